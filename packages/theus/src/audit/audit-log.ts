/**
 * The audit log: every rule evaluation, pass, fail or skip, in a bounded ring that overwrites its
 * oldest entry, so a long-running engine keeps the last N entries at a constant cost per entry.
 *
 * @packageDocumentation
 */
import type { AuditAction, AuditLevel } from './levels.js';
import type { AuditGate, AuditRule } from './recipe-types.js';
import type { RuleViolation } from './rule-eval.js';
import { previewValue } from './value-preview.js';

/** One evaluation of one rule. */
export interface AuditLogEntry {
  /** Milliseconds since the epoch (or the tracker's `now()`). */
  readonly time: number;
  readonly process: string;
  readonly gate: AuditGate;
  readonly field: string;
  /** The rule's index in its gate's list. */
  readonly rule: number;
  /** `skipped` when the field was absent (undefined): the rule was not evaluated. */
  readonly status: 'pass' | 'fail' | 'skipped';
  /** True for `pass` and `skipped`. */
  readonly ok: boolean;
  readonly level: AuditLevel;
  /** A bounded preview of the value checked. */
  readonly value: string;
  /** The field's counter after this check (the count reached when the action fired). */
  readonly counter: number;
  /** What the check amounted to for this field. */
  readonly action: AuditAction;
  /** The violations, joined, when the rule failed. */
  readonly detail?: string;
}

/** A bounded, overwrite-oldest log. A capacity of 0 keeps nothing. */
export class AuditLog {
  readonly #items: (AuditLogEntry | undefined)[];
  #next = 0;
  #size = 0;

  /** @param capacity - entries kept (an integer >= 0). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`audit log size must be an integer >= 0, got ${String(capacity)}`);
    this.#items = new Array<AuditLogEntry | undefined>(capacity);
  }

  /** Appends an entry, dropping the oldest one when full. */
  push(entry: AuditLogEntry): void {
    if (this.capacity === 0) return;
    this.#items[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** Logs one evaluation of `rule` (a no-op with capacity 0, so nothing is previewed). */
  record(
    time: number,
    at: { readonly process: string; readonly gate: AuditGate },
    rule: AuditRule,
    status: AuditLogEntry['status'],
    value: unknown,
    counter: number,
    action: AuditAction,
    violations: readonly RuleViolation[] = [],
  ): void {
    if (this.capacity === 0) return;
    // One literal shape per entry keeps logging cheap; entries are frozen when handed out.
    const entry: { -readonly [K in keyof AuditLogEntry]: AuditLogEntry[K] } = {
      time,
      process: at.process,
      gate: at.gate,
      field: rule.field,
      rule: rule.index,
      status,
      ok: status !== 'fail',
      level: rule.level,
      value: previewValue(value),
      counter,
      action,
    };
    if (violations.length > 0) entry.detail = violations.map((v) => v.text).join('; ');
    this.push(entry);
  }

  /** The entries, oldest first. */
  toArray(): AuditLogEntry[] {
    const out: AuditLogEntry[] = [];
    const start = (this.#next - this.#size + this.capacity) % Math.max(this.capacity, 1);
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#items[(start + i) % this.capacity];
      if (entry !== undefined) out.push(entry);
    }
    return out;
  }

  /** How many entries are kept now. */
  get size(): number {
    return this.#size;
  }

  /** Removes every entry. */
  clear(): void {
    this.#items.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}
