/**
 * Failure counters per (process, gate, field) and the dual-threshold rule: below
 * `min_threshold` silent, from it a warning, at `max_threshold` the level's action fires and the
 * counter starts again at 0. A counter therefore never stays at or above `max_threshold`.
 *
 * @packageDocumentation
 */
import type { AuditSettings } from './recipe-types.js';

/** What one counted failure amounts to. */
export type CounterStage = 'silent' | 'warn' | 'trigger';

/** The result of counting a failure: the count it reached and its stage. */
export interface CounterStep {
  /** The count this failure reached (before a trigger's reset), 1-based. */
  readonly count: number;
  readonly stage: CounterStage;
}

/** The map key of a counter. */
export function counterKey(process: string, gate: string, field: string): string {
  return `${process}\u0000${gate}\u0000${field}`;
}

/** Failure counters of one tracker (never shared). */
export class ThresholdCounters {
  readonly #counts = new Map<string, number>();

  /** The current count of `key` (0 when never failed or reset). */
  get(key: string): number {
    // The steady state of a healthy system: nothing failing, so no hashing at all.
    return this.#counts.size === 0 ? 0 : (this.#counts.get(key) ?? 0);
  }

  /** Counts one failure of `key` under `settings` and says what it amounts to. */
  fail(key: string, settings: Pick<AuditSettings, 'minThreshold' | 'maxThreshold'>): CounterStep {
    const count = (this.#counts.get(key) ?? 0) + 1;
    if (count >= settings.maxThreshold) {
      this.#counts.delete(key);
      return { count, stage: 'trigger' };
    }
    this.#counts.set(key, count);
    return { count, stage: settings.minThreshold > 0 && count >= settings.minThreshold ? 'warn' : 'silent' };
  }

  /** Records a passing check: the counter restarts at 0 when `reset` is true. */
  succeed(key: string, reset: boolean): void {
    if (reset) this.#counts.delete(key);
  }

  /** Every non-zero counter, keyed by `process`, `gate` and `field`. */
  entries(): { process: string; gate: string; field: string; count: number }[] {
    return [...this.#counts].map(([key, count]) => {
      const [process = '', gate = '', field = ''] = key.split('\u0000');
      return { process, gate, field, count };
    });
  }

  /** Resets every counter. */
  clear(): void {
    this.#counts.clear();
  }
}
