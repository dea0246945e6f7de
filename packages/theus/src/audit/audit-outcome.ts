/**
 * The decision a gate check returns: the strongest action due and every failure, plus the error
 * to throw for `block`, `abort` and `stop`. The engine applies it; this module never throws it.
 *
 * @packageDocumentation
 */
import { AuditAbortError, AuditBlockError, AuditStopError, type AuditError } from '../errors/index.js';
import { LEVEL_ACTIONS, type AuditAction, type AuditLevel } from './levels.js';
import type { AuditGate, AuditRule, RuleKind } from './recipe-types.js';
import type { RuleViolation } from './rule-eval.js';
import type { CounterStage } from './threshold-counters.js';
import { previewValue } from './value-preview.js';

/** One failed rule in one check (JSON-safe: the value is a bounded preview). */
export interface AuditFailure {
  readonly process: string;
  readonly gate: AuditGate;
  readonly field: string;
  /** The rule's index in its gate's list. */
  readonly rule: number;
  /** The checks of the rule that failed. */
  readonly checks: readonly RuleKind[];
  readonly level: AuditLevel;
  /** What this failure amounted to for its field (`count` while below the thresholds). */
  readonly action: AuditAction;
  /** The count the field's counter reached with this failure. */
  readonly counter: number;
  readonly maxThreshold: number;
  /** A bounded preview of the value found. */
  readonly actual: string;
  /** The bounds missed, e.g. `>= 0.01`. */
  readonly expected: string;
  /** What went wrong, in words. */
  readonly violation: string;
  /** The recipe author's `message`. */
  readonly message?: string;
  /** Where the rule is written. */
  readonly where: string;
}

/**
 * The result of a gate check. `pass`: nothing failed. `count`: rules failed below every
 * threshold. `info`/`warn`: report an event. `block`/`abort`/`stop`: throw `error`.
 */
export interface AuditOutcome {
  readonly action: AuditAction;
  readonly failures: readonly AuditFailure[];
  /** Present for `block`, `abort` and `stop`: the error the engine throws. */
  readonly error?: AuditError;
}

/** The outcome of a check where every rule passed or was skipped. */
export const PASSED: AuditOutcome = Object.freeze({ action: 'pass', failures: Object.freeze([]) });

const CONSEQUENCE = {
  block: 'The run was rolled back.',
  abort: 'The run was aborted and a workflow running it stops.',
  stop: 'The engine halts: every later run fails until engine.resume().',
} as const;

/** Builds the outcome of a check, with its error when the action throws. */
export function outcomeOf(process: string, gate: AuditGate, action: AuditAction, failures: readonly AuditFailure[]): AuditOutcome {
  const frozen = Object.freeze(failures.map((f) => Object.freeze({ ...f, checks: Object.freeze([...f.checks]) })));
  if (action !== 'block' && action !== 'abort' && action !== 'stop') return Object.freeze({ action, failures: frozen });
  const lines = frozen.map((f) => {
    const note = f.message === undefined ? '' : ` — ${f.message}`;
    return `  - field '${f.field}' rule #${String(f.rule)} (${f.checks.join(', ')}; level ${f.level}; failure ${String(f.counter)}/${String(f.maxThreshold)}): ${f.violation}${note} [${f.where}]`;
  });
  const count = frozen.length === 1 ? '1 rule failed' : `${String(frozen.length)} rules failed`;
  const message = `Audit ${action}: process '${process}', ${gate} gate, ${count}:\n${lines.join('\n')}\n${CONSEQUENCE[action]} Fix the value, or change the rule in the audit recipe.`;
  const details = { process, gate, failures: frozen };
  const error =
    action === 'stop'
      ? new AuditStopError('AUDIT_STOP', message, { details })
      : action === 'abort'
        ? new AuditAbortError('AUDIT_ABORT', message, { details })
        : new AuditBlockError('AUDIT_BLOCK', message, { details });
  return Object.freeze({ action, failures: frozen, error });
}

/** What a counted failure amounts to: the level's action at max_threshold, a warning from min_threshold (info for level I). */
export function actionOf(stage: CounterStage, level: AuditLevel): AuditAction {
  if (stage === 'trigger') return LEVEL_ACTIONS[level];
  if (stage === 'warn') return level === 'I' ? 'info' : 'warn';
  return 'count';
}

/** Describes one failed rule for the outcome and the error's details. */
export function failureOf(
  at: { readonly process: string; readonly gate: AuditGate },
  rule: AuditRule,
  violations: readonly RuleViolation[],
  value: unknown,
  counter: number,
  action: AuditAction,
  maxThreshold: number,
): AuditFailure {
  const failure: AuditFailure = {
    process: at.process,
    gate: at.gate,
    field: rule.field,
    rule: rule.index,
    checks: violations.map((v) => v.check),
    level: rule.level,
    action,
    counter,
    maxThreshold,
    actual: previewValue(value),
    expected: violations.map((v) => v.expected).join(' and '),
    violation: violations.map((v) => v.text).join('; '),
    where: rule.where,
  };
  return rule.message === undefined ? failure : { ...failure, message: rule.message };
}
