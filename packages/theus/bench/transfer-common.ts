/**
 * Shared pieces of the transfer benchmarks: the fixed-seed account pairs, the initial balances,
 * and a runner that times each variant in steady state and checks that money is conserved.
 *
 * @packageDocumentation
 */
import { Engine, type AnyProcess } from 'theus';
import { fmt, median, printError, printTable, WARMUP_MS, window, WINDOW_MS } from './harness.js';

export const ACCOUNTS = 10_000;
export const START_BALANCE = 1_000_000;

/** One transfer: account keys and, in the bucketed layout, their bucket keys. */
export interface Pair {
  readonly from: string;
  readonly to: string;
  readonly fromBucket: string;
  readonly toBucket: string;
}

/** The key of account `i`, and of the bucket that holds it when there are `perBucket` per bucket. */
export const accountKey = (i: number): string => `acc${i}`;
export const bucketKey = (i: number, perBucket: number): string => `b${Math.floor(i / perBucket)}`;

const PAIR_COUNT = 1 << 16;

/** 65,536 pairs of distinct accounts below `accounts` from a fixed-seed LCG (Numerical Recipes constants). */
export function makePairs(perBucket: number, accounts = ACCOUNTS): readonly Pair[] {
  let seed = 0x2545f491;
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % accounts;
  };
  const pairs: Pair[] = [];
  while (pairs.length < PAIR_COUNT) {
    const a = next();
    const b = next();
    if (a === b) continue;
    pairs.push({ from: accountKey(a), to: accountKey(b), fromBucket: bucketKey(a, perBucket), toBucket: bucketKey(b, perBucket) });
  }
  return pairs;
}

/** Returns the pairs cyclically, one per call. */
export function pairCursor(pairs: readonly Pair[]): () => Pair {
  let i = 0;
  return () => pairs[i++ & (PAIR_COUNT - 1)]!;
}

/** A flat record of `n` balances (`acc0 ... acc<n-1>`, each {@link START_BALANCE}), not frozen. */
export function balances(n: number): Record<string, number> {
  // fromEntries builds a large object about twice as fast as assigning key by key.
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [accountKey(i), START_BALANCE]));
}

/** The sum of a flat record of balances. */
export function sumOf(accounts: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const key in accounts) sum += accounts[key]!;
  return sum;
}

/** Deep-freezes a plain tree and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A variant: `op` does one transfer on the latest state; `total` sums all balances afterwards. */
export interface TransferVariant {
  readonly name: string;
  setup(): { op: () => unknown; total: () => number };
}

/** A Theus variant: sequential awaited executes of `def` on its own engine. */
export function theusVariant<S extends object>(
  name: string,
  initial: () => S,
  def: AnyProcess,
  args: (p: Pair) => object,
  pairs: readonly Pair[],
  total: (s: S) => number,
): TransferVariant {
  return {
    name,
    setup() {
      const engine = new Engine({ context: initial(), processes: [def] });
      const next = pairCursor(pairs);
      return { op: () => engine.execute(def.name, args(next())), total: () => total(engine.state as S) };
    },
  };
}

/** A plain variant: `step` maps the latest state to the next one. */
export function plainVariant<S>(
  name: string,
  initial: () => S,
  step: (s: S, p: Pair) => S,
  pairs: readonly Pair[],
  total: (s: S) => number,
): TransferVariant {
  return {
    name,
    setup() {
      let state = initial();
      const next = pairCursor(pairs);
      const op = (): void => {
        state = step(state, next());
      };
      return { op, total: () => total(state) };
    },
  };
}

/** What a transfer benchmark measured: median ops/s per variant, and robust ratios. */
export interface TransferResults {
  readonly rate: ReadonlyMap<string, number | undefined>;
  /** The median over rounds of `variant` ops/s ÷ `baseline` ops/s measured back to back. */
  ratio(variant: string, baseline: string): number | undefined;
}

/** How many interleaved rounds a transfer benchmark times (each variant one window per round). */
const ROUNDS = 7;

/**
 * Times every variant in interleaved rounds (each round times every variant once, back to back),
 * verifies conservation, and prints a table. Ratios are medians of per-round ratios, so a slow
 * patch of a shared machine weighs on both sides of a ratio instead of on one variant.
 */
export async function runTransferBench(
  title: string,
  variants: readonly TransferVariant[],
  baselines: readonly string[],
): Promise<TransferResults> {
  const live: { name: string; op: () => unknown; total: () => number }[] = [];
  const errors = new Map<string, unknown>();
  for (const variant of variants) {
    try {
      const { op, total } = variant.setup();
      await window(op, WARMUP_MS);
      live.push({ name: variant.name, op, total });
    } catch (error) {
      errors.set(variant.name, error);
    }
  }
  const rounds: Map<string, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rates = new Map<string, number>();
    for (const variant of live) {
      if (errors.has(variant.name)) continue;
      try {
        rates.set(variant.name, await window(variant.op, WINDOW_MS));
      } catch (error) {
        errors.set(variant.name, error);
      }
    }
    rounds.push(rates);
  }
  for (const variant of live) {
    const sum = variant.total();
    if (!errors.has(variant.name) && sum !== ACCOUNTS * START_BALANCE) {
      errors.set(variant.name, new Error(`${variant.name}: balances not conserved: ${sum} !== ${ACCOUNTS * START_BALANCE}`));
    }
  }
  const medianOf = (values: number[]): number | undefined => (values.length === 0 ? undefined : median(values));
  const rate = new Map<string, number | undefined>(
    variants.map((v) => [v.name, errors.has(v.name) ? undefined : medianOf(rounds.flatMap((r) => r.get(v.name) ?? []))]),
  );
  const ratio = (variant: string, baseline: string): number | undefined => {
    if (errors.has(variant) || errors.has(baseline)) return undefined;
    return medianOf(
      rounds.flatMap((r) => {
        const a = r.get(variant);
        const b = r.get(baseline);
        return a === undefined || b === undefined ? [] : [a / b];
      }),
    );
  };
  const shown = (value: number | undefined): string => (value === undefined ? 'n/a' : `${fmt(value, 2)}x`);
  printTable(
    `${title} (median of ${String(ROUNDS)} interleaved rounds)`,
    ['variant', 'ops/s', 'us/op', ...baselines.map((b) => `vs ${b}`)],
    variants.map((v) => {
      const r = rate.get(v.name);
      return [
        v.name,
        r === undefined ? 'error' : fmt(r),
        r === undefined ? 'error' : fmt(1e6 / r, 2),
        ...baselines.map((b) => shown(ratio(v.name, b))),
      ];
    }),
  );
  for (const [name, error] of errors) printError(name, error);
  return { rate, ratio };
}
