/**
 * Interleaved rounds: every round samples every contender once, back to back, alternating the
 * order (A, B, then B, A), so a slow patch of a shared machine weighs on both sides of a ratio.
 * Figures are medians over rounds; ratios are medians of per-round ratios. The result is plain
 * data (µs per operation per round, errors as {@link ErrorInfo}), so a child can send it.
 *
 * @packageDocumentation
 */
import { errorInfo, reviveError, type ErrorInfo } from './child.js';
import { fmt, median, printError, WARMUP_MS, window, WINDOW_MS } from './harness.js';

/** One contender: `sample()` measures it once and returns its µs per operation. */
export interface Sampler {
  readonly name: string;
  /** Runs before the first round (warm-up, calibration). */
  warm?(): Promise<void> | void;
  sample(): Promise<number> | number;
  /** Runs after the last round; throwing marks the contender failed (e.g. money not conserved). */
  check?(): void;
}

/** What interleaved rounds measured: µs per operation, one entry per round, and failures. */
export interface Rounds {
  readonly us: Readonly<Record<string, readonly number[]>>;
  readonly errors: Readonly<Record<string, ErrorInfo>>;
}

/** How a {@link windowed} sampler times its op. */
export interface WindowOptions {
  /** Operations one call of `op` performs (µs are reported per operation). */
  readonly per?: number;
  /** Each sample runs `op` at least once and for this many ms. */
  readonly ms?: number;
  /** Warm-up before the first round, in ms; 0 = none. */
  readonly warmupMs?: number;
}

/** A sampler timing `op` (sync or async, awaited one at a time) in windows of `ms`. */
export function windowed(name: string, op: () => unknown, options: WindowOptions = {}, check?: () => void): Sampler {
  const { per = 1, ms = WINDOW_MS, warmupMs = WARMUP_MS } = options;
  return {
    name,
    async warm() {
      if (warmupMs > 0) await window(op, warmupMs);
    },
    async sample() {
      return 1e6 / ((await window(op, ms)) * per);
    },
    ...(check === undefined ? {} : { check }),
  };
}

/** Warms every sampler, then samples them all in `rounds` interleaved rounds. */
export async function interleave(samplers: readonly Sampler[], rounds: number): Promise<Rounds> {
  const us: Record<string, number[]> = {};
  const errors: Record<string, ErrorInfo> = {};
  const attempt = async (sampler: Sampler, step: () => Promise<void> | void): Promise<void> => {
    if (errors[sampler.name] !== undefined) return;
    try {
      await step();
    } catch (error) {
      errors[sampler.name] = errorInfo(error);
    }
  };
  for (const sampler of samplers) {
    us[sampler.name] = [];
    await attempt(sampler, () => sampler.warm?.());
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? samplers : [...samplers].reverse();
    for (const sampler of order) await attempt(sampler, async () => void us[sampler.name]!.push(await sampler.sample()));
  }
  for (const sampler of samplers) await attempt(sampler, () => sampler.check?.());
  return { us, errors };
}

/** The median µs per operation of `name`, or undefined if it failed. */
export function usOf(rounds: Rounds, name: string): number | undefined {
  const values = rounds.us[name];
  return rounds.errors[name] !== undefined || values === undefined || values.length === 0 ? undefined : median(values);
}

/** The median over rounds of `a`'s time ÷ `b`'s time (each round's pair measured back to back). */
export function timeRatio(rounds: Rounds, a: string, b: string): number | undefined {
  const as = rounds.us[a];
  const bs = rounds.us[b];
  if (rounds.errors[a] !== undefined || rounds.errors[b] !== undefined || as === undefined || bs === undefined) return undefined;
  const ratios = as.flatMap((x, i) => (bs[i] === undefined ? [] : [x / bs[i]]));
  return ratios.length === 0 ? undefined : median(ratios);
}

/** Prints the error of every contender that failed. */
export function printFailures(rounds: Rounds): void {
  for (const [name, info] of Object.entries(rounds.errors)) printError(name, reviveError(info));
}

/** A table cell: `value` with `digits` decimals and `suffix`, or `n/a`. */
export function cell(value: number | undefined, digits = 2, suffix = ''): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${fmt(value, digits)}${suffix}`;
}
