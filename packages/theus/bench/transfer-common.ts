/**
 * Shared pieces of the transfer benchmarks: the fixed-seed account pairs, the initial balances,
 * and a runner that times each variant in steady state and checks that money is conserved.
 *
 * @packageDocumentation
 */
import { Engine, type AnyProcess } from 'theus';
import { fmt, measure, printError, printTable, type VariantResult } from './harness.js';

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

/** 65,536 pairs of distinct accounts from a fixed-seed LCG (Numerical Recipes constants). */
export function makePairs(perBucket: number): readonly Pair[] {
  let seed = 0x2545f491;
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % ACCOUNTS;
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
      return { op: () => engine.execute(def.name, args(next())), total: () => total(engine.state) };
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

/** Times every variant, verifies conservation, prints a table with ratios to the baselines. */
export async function runTransferBench(
  title: string,
  variants: readonly TransferVariant[],
  baselines: readonly string[],
): Promise<Map<string, number | undefined>> {
  const results: VariantResult[] = [];
  for (const variant of variants) {
    let result: VariantResult;
    try {
      const { op, total } = variant.setup();
      result = await measure(variant.name, op);
      const sum = total();
      if (result.error === undefined && sum !== ACCOUNTS * START_BALANCE) {
        throw new Error(`${variant.name}: balances not conserved: ${sum} !== ${ACCOUNTS * START_BALANCE}`);
      }
    } catch (error) {
      result = { name: variant.name, opsPerSec: undefined, error };
    }
    results.push(result);
  }
  const rate = new Map(results.map((r) => [r.name, r.opsPerSec]));
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined ? 'n/a' : `${fmt(a / b, 2)}x`;
  printTable(
    title,
    ['variant', 'ops/s', 'us/op', ...baselines.map((b) => `vs ${b}`)],
    results.map((r) => [
      r.name,
      r.opsPerSec === undefined ? 'error' : fmt(r.opsPerSec),
      r.opsPerSec === undefined ? 'error' : fmt(1e6 / r.opsPerSec, 2),
      ...baselines.map((b) => ratio(r.opsPerSec, rate.get(b))),
    ]),
  );
  for (const r of results) if (r.error !== undefined) printError(r.name, r.error);
  return rate;
}
