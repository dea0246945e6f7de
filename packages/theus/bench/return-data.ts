/**
 * Row 4: the "return data" style on a flat record of N balances, N = 1k, 10k, 100k, 1M: a process
 * whose one output is `domain.accounts` returns `{ ...accounts, [from]: a - 1, [to]: b + 1 }`,
 * against the same update written by hand on a plain frozen object
 * (`Object.freeze({ ...accounts, [from]: a - 1, [to]: b + 1 })`). Each op is O(N), so the large
 * sizes time one op per sample and fewer rounds.
 *
 * Child: `node --import tsx bench/return-data.ts` prints one {@link Rounds} per size.
 *
 * @packageDocumentation
 */
import { Engine, toPlain } from 'theus';
import { emit, isMain, runChild } from './child.js';
import { returnTransfer } from './flat-transfers.js';
import { fmt, printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, windowed, type Rounds, type Sampler, type WindowOptions } from './rounds.js';
import { balances, makePairs, pairCursor, START_BALANCE, sumOf, type Pair } from './transfer-common.js';

/** Sizes with their rounds and windows: from 100k on, a sample is a single op; 1M takes one round (seconds per op). */
const SIZES: readonly { readonly n: number; readonly rounds: number; readonly window: WindowOptions }[] = [
  { n: 1_000, rounds: 7, window: { ms: 150, warmupMs: 300 } },
  { n: 10_000, rounds: 7, window: { ms: 150, warmupMs: 300 } },
  { n: 100_000, rounds: 3, window: { ms: 0, warmupMs: 1 } },
  { n: 1_000_000, rounds: 1, window: { ms: 0, warmupMs: 0 } },
];

const THEUS = 'theus return';
const WRITE_TIMEOUT_MS = 600_000;
const SPREAD = 'hand spread';

/** One size's figures. */
interface SizeResult {
  readonly n: number;
  readonly rounds: Rounds;
}

function conserved(name: string, n: number, sum: number): void {
  if (sum !== n * START_BALANCE) throw new Error(`${name}: balances not conserved: ${String(sum)} !== ${String(n * START_BALANCE)}`);
}

function theus(n: number, pairs: readonly Pair[], window: WindowOptions): Sampler {
  // One op at 1M can outlast the default 30 s write timeout: the row measures the op, not the timeout.
  const engine = new Engine({
    context: { domain: { accounts: balances(n) } },
    processes: [returnTransfer],
    conflict: { writeTimeoutMs: WRITE_TIMEOUT_MS },
  });
  const next = pairCursor(pairs);
  const op = (): Promise<unknown> => {
    const { from, to } = next();
    return engine.execute(returnTransfer, { from, to });
  };
  return windowed(THEUS, op, window, () => conserved(THEUS, n, sumOf(toPlain(engine.state.domain.accounts))));
}

function spread(n: number, pairs: readonly Pair[], window: WindowOptions): Sampler {
  let accounts: Readonly<Record<string, number>> = Object.freeze(balances(n));
  const next = pairCursor(pairs);
  const op = (): void => {
    const { from, to } = next();
    accounts = Object.freeze({ ...accounts, [from]: accounts[from]! - 1, [to]: accounts[to]! + 1 });
  };
  return windowed(SPREAD, op, window, () => conserved(SPREAD, n, sumOf(accounts)));
}

/** The child: each size on its own, both contenders interleaved. */
async function measure(): Promise<{ sizes: SizeResult[] }> {
  const sizes: SizeResult[] = [];
  for (const { n, rounds, window } of SIZES) {
    const pairs = makePairs(1, n);
    sizes.push({ n, rounds: await interleave([theus(n, pairs, window), spread(n, pairs, window)], rounds) });
  }
  return { sizes };
}

/** Runs row 4 in a child, prints its table and returns its summary lines. */
export async function returnDataRows(): Promise<string[]> {
  let sizes: readonly SizeResult[] = [];
  try {
    sizes = (await runChild<{ sizes: SizeResult[] }>('return-data.ts', [])).sizes;
  } catch (error) {
    printError('return data (child process)', error);
  }
  const byN = new Map(sizes.map((s) => [s.n, s.rounds]));
  const figures = SIZES.map(({ n, rounds: count }) => {
    const rounds = byN.get(n);
    return {
      n,
      count,
      theusUs: rounds === undefined ? undefined : usOf(rounds, THEUS),
      spreadUs: rounds === undefined ? undefined : usOf(rounds, SPREAD),
      // ops/s ratio: the hand spread's time over Theus's.
      speed: rounds === undefined ? undefined : timeRatio(rounds, SPREAD, THEUS),
    };
  });
  printTable(
    'Return-data style: return { ...accounts, [a]: x, [b]: y } vs a hand-written frozen spread (ms/op, median of interleaved rounds)',
    ['N', 'rounds', 'theus ms', 'hand spread ms', 'theus ops/s vs spread'],
    figures.map((f) => [
      fmt(f.n),
      String(f.count),
      cell(f.theusUs === undefined ? undefined : f.theusUs / 1000, 3),
      cell(f.spreadUs === undefined ? undefined : f.spreadUs / 1000, 3),
      cell(f.speed, 2, 'x'),
    ]),
  );
  for (const s of sizes) printFailures(s.rounds);
  return figures.map((f) =>
    target(
      `return data at ${fmt(f.n)}: theus ops/s / hand spread ops/s`,
      '>=',
      1,
      f.speed,
      `theus ${cell(f.theusUs === undefined ? undefined : f.theusUs / 1000, 3)} ms, spread ${cell(f.spreadUs === undefined ? undefined : f.spreadUs / 1000, 3)} ms`,
    ),
  );
}

if (isMain(import.meta.url)) emit(await measure());
