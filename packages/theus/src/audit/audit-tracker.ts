/**
 * The gate checker: evaluates a process's rules at one gate, counts failures per
 * (process, gate, field), keeps the audit log, and returns the decision for the engine to apply.
 *
 * @packageDocumentation
 */
import { TheusError } from '../errors/index.js';
import { AuditLog, type AuditLogEntry } from './audit-log.js';
import { actionOf, failureOf, outcomeOf, PASSED, type AuditFailure, type AuditOutcome } from './audit-outcome.js';
import { planGate, type AuditFieldRef, type GateFieldPlan } from './gate-plan.js';
import { levelRank, strongerAction, type AuditAction } from './levels.js';
import type { AuditGate, AuditRecipe, AuditRule } from './recipe-types.js';
import { evaluateRule, rulePasses, type RuleViolation } from './rule-eval.js';
import { counterKey, ThresholdCounters } from './threshold-counters.js';

/** What a gate check needs from the engine. */
export interface AuditGateInput {
  readonly process: string;
  readonly gate: AuditGate;
  /**
   * The value of a rule's `field`, or `undefined` when absent (the rule is then skipped and
   * logged as `skipped`). Resolve an argument of that exact name first, else a dotted context
   * path (at the output gate: the state as it will be committed, returned values included).
   * Called once per distinct field per check.
   */
  read(field: string, ref: AuditFieldRef): unknown;
  /** When given, called for each field that was absent in this check (its rules were logged as `skipped`). */
  skipped?(field: string, ref: AuditFieldRef): void;
  /** The check's time (ms since the epoch); the tracker reads its clock when absent. */
  readonly time?: number | undefined;
  /**
   * When given, `reset_on_success` resets of passing fields are collected here instead of being
   * applied, so that a run which later fails leaves no audit success behind; apply them with
   * {@link AuditTracker.confirmResets} once the run committed.
   */
  readonly deferredResets?: string[] | undefined;
}

/** Options of {@link AuditTracker}. */
export interface AuditTrackerOptions {
  /** Log entries kept (default 1000; 0 keeps none). */
  readonly logSize?: number;
  /** The clock for log entries (default `Date.now`). */
  readonly now?: () => number;
}

/** A non-zero counter. */
export interface AuditCounter {
  readonly process: string;
  readonly gate: AuditGate;
  readonly field: string;
  readonly count: number;
}

/** A field's plan with its counter key and whether a pass resets it (only if every rule says so). */
interface TrackedField extends GateFieldPlan {
  readonly key: string;
  readonly resetOnSuccess: boolean;
}

interface Evaluated {
  readonly rule: AuditRule;
  readonly violations: readonly RuleViolation[];
}

/**
 * Checks gates against one recipe. Each tracker owns its counters and log; nothing is shared.
 *
 * @example
 * ```ts
 * const tracker = new AuditTracker(loadAuditRecipe(yamlText));
 * const outcome = tracker.check({ process: 'transfer', gate: 'input', read: (f) => args[f] });
 * if (outcome.error) throw outcome.error;
 * ```
 */
export class AuditTracker {
  readonly #recipe: AuditRecipe;
  readonly #counters = new ThresholdCounters();
  readonly #log: AuditLog;
  readonly #now: () => number;
  readonly #plans = { input: new Map<string, readonly TrackedField[]>(), output: new Map<string, readonly TrackedField[]>() };

  constructor(recipe: AuditRecipe, options: AuditTrackerOptions = {}) {
    const size = options.logSize ?? 1000;
    if (!Number.isInteger(size) || size < 0) {
      throw new TheusError('ENGINE_INVALID_OPTION', `audit logSize must be an integer >= 0, got ${String(size)}`, {
        details: { logSize: size },
      });
    }
    this.#recipe = recipe;
    this.#log = new AuditLog(size);
    this.#now = options.now ?? Date.now;
  }

  /** The recipe this tracker checks against. */
  get recipe(): AuditRecipe {
    return this.#recipe;
  }

  /** Checks one gate: every rule is evaluated and logged; counters move once per field. */
  check(input: AuditGateInput): AuditOutcome {
    const plan = this.#planFor(input.process, input.gate);
    if (plan.length === 0) return PASSED;
    const time = input.time ?? this.#now();
    let failures: AuditFailure[] | undefined;
    let action: AuditAction = 'pass';
    for (let f = 0; f < plan.length; f++) {
      const field = plan[f] as TrackedField;
      const rules = field.rules;
      const value = input.read(field.field, field);
      if (value === undefined) {
        const counter = this.#counters.get(field.key);
        for (let r = 0; r < rules.length; r++) this.#log.record(time, input, rules[r] as AuditRule, 'skipped', value, counter, 'pass');
        input.skipped?.(field.field, field);
        continue;
      }
      let failing: Evaluated[] | undefined;
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r] as AuditRule;
        if (rulePasses(rule, value)) continue;
        (failing ??= []).push({ rule, violations: evaluateRule(rule, value) });
      }
      if (failing === undefined) {
        let counter = this.#counters.get(field.key);
        // Only a field that has failed before has a counter to reset.
        if (counter > 0 && field.resetOnSuccess) {
          if (input.deferredResets !== undefined) input.deferredResets.push(field.key);
          else {
            this.#counters.succeed(field.key, true);
            counter = 0;
          }
        }
        for (let r = 0; r < rules.length; r++) this.#log.record(time, input, rules[r] as AuditRule, 'pass', value, counter, 'pass');
        continue;
      }
      const governing = failing.reduce((a, b) => (levelRank(b.rule.level) > levelRank(a.rule.level) ? b : a)).rule;
      const step = this.#counters.fail(field.key, governing);
      const fieldAction = actionOf(step.stage, governing.level);
      action = strongerAction(action, fieldAction);
      for (const rule of field.rules) {
        const failed = failing.find((e) => e.rule === rule);
        this.#log.record(time, input, rule, failed === undefined ? 'pass' : 'fail', value, step.count, fieldAction, failed?.violations);
        if (failed !== undefined)
          (failures ??= []).push(failureOf(input, failed.rule, failed.violations, value, step.count, fieldAction, governing.maxThreshold));
      }
    }
    return action === 'pass' ? PASSED : outcomeOf(input.process, input.gate, action, failures ?? []);
  }

  /**
   * Applies `reset_on_success` resets that a check deferred (see {@link AuditGateInput.deferredResets}):
   * the engine calls this once the run they belong to has committed.
   */
  confirmResets(keys: readonly string[]): void {
    for (const key of keys) this.#counters.succeed(key, true);
  }

  /** The current failure count of a field at a gate (0 after a reset or a fired action). */
  counter(process: string, gate: AuditGate, field: string): number {
    return this.#counters.get(counterKey(process, gate, field));
  }

  /** Every non-zero counter. */
  counters(): readonly AuditCounter[] {
    return this.#counters.entries() as AuditCounter[];
  }

  /** The log, oldest entry first. */
  logs(): readonly AuditLogEntry[] {
    return this.#log.toArray().map((entry) => Object.freeze(entry));
  }

  /** Clears every counter and the log. */
  reset(): void {
    this.#counters.clear();
    this.#log.clear();
  }

  #planFor(process: string, gate: AuditGate): readonly TrackedField[] {
    const plans = this.#plans[gate];
    let plan = plans.get(process);
    if (plan === undefined) {
      plan = planGate(this.#recipe, process, gate).map((field) => ({
        ...field,
        key: counterKey(process, gate, field.field),
        resetOnSuccess: field.rules.every((r) => r.resetOnSuccess),
      }));
      plans.set(process, plan);
    }
    return plan;
  }
}
