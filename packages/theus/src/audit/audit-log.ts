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
  // Columns rather than one object per check: recording allocates nothing, so a full ring of
  // entries does not survive young-generation GC into the old generation. Entries (with their
  // value previews) are built only when read.
  readonly #time: number[];
  readonly #process: string[];
  readonly #gate: AuditGate[];
  readonly #rule: (AuditRule | undefined)[];
  readonly #status: AuditLogEntry['status'][];
  readonly #value: unknown[];
  readonly #counter: number[];
  readonly #action: AuditAction[];
  readonly #violations: (readonly RuleViolation[] | undefined)[];
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`audit log size must be an integer >= 0, got ${String(capacity)}`);
    this.#time = new Array<number>(capacity).fill(0);
    this.#process = new Array<string>(capacity).fill('');
    this.#gate = new Array<AuditGate>(capacity).fill('input');
    this.#rule = new Array<AuditRule | undefined>(capacity).fill(undefined);
    this.#status = new Array<AuditLogEntry['status']>(capacity).fill('pass');
    this.#value = new Array<unknown>(capacity).fill(undefined);
    this.#counter = new Array<number>(capacity).fill(0);
    this.#action = new Array<AuditAction>(capacity).fill('pass');
    this.#violations = new Array<readonly RuleViolation[] | undefined>(capacity).fill(undefined);
  }

  /** Records one rule's check. The value is kept by reference and previewed when read. */
  record(
    time: number,
    at: { readonly process: string; readonly gate: AuditGate },
    rule: AuditRule,
    status: AuditLogEntry['status'],
    value: unknown,
    counter: number,
    action: AuditAction,
    violations?: readonly RuleViolation[],
  ): void {
    const capacity = this.capacity;
    if (capacity === 0) return;
    const i = this.#next;
    this.#time[i] = time;
    this.#process[i] = at.process;
    this.#gate[i] = at.gate;
    this.#rule[i] = rule;
    this.#status[i] = status;
    this.#value[i] = value;
    this.#counter[i] = counter;
    this.#action[i] = action;
    this.#violations[i] = violations !== undefined && violations.length > 0 ? violations : undefined;
    this.#next = i + 1 === capacity ? 0 : i + 1;
    if (this.#size < capacity) this.#size++;
  }

  /** The recorded entries, oldest first. */
  toArray(): AuditLogEntry[] {
    const out: AuditLogEntry[] = [];
    const capacity = this.capacity;
    if (capacity === 0) return out;
    const start = (this.#next - this.#size + capacity) % capacity;
    for (let n = 0; n < this.#size; n++) {
      const i = (start + n) % capacity;
      const rule = this.#rule[i] as AuditRule;
      const status = this.#status[i] as AuditLogEntry['status'];
      const entry: { -readonly [K in keyof AuditLogEntry]: AuditLogEntry[K] } = {
        time: this.#time[i] as number,
        process: this.#process[i] as string,
        gate: this.#gate[i] as AuditGate,
        field: rule.field,
        rule: rule.index,
        status,
        ok: status !== 'fail',
        level: rule.level,
        value: previewValue(this.#value[i]),
        counter: this.#counter[i] as number,
        action: this.#action[i] as AuditAction,
      };
      const violations = this.#violations[i];
      if (violations !== undefined) entry.detail = violations.map((v) => v.text).join('; ');
      out.push(entry);
    }
    return out;
  }

  /** How many entries are kept now. */
  get size(): number {
    return this.#size;
  }

  /** Drops every entry. */
  clear(): void {
    this.#rule.fill(undefined);
    this.#value.fill(undefined);
    this.#violations.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}
