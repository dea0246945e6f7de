/**
 * Row 3: a transfer by shadow writes on a flat record of N balances (`domain.accounts`, declared
 * as input and output; `accounts[from] -= 1; accounts[to] += 1`), N = 1k, 10k, 100k, 1M, against
 * immutable.js (`updateIn` twice on a `Map` built once with `fromJS`). Every size and both
 * contenders are interleaved in the same rounds, so the 1M / 100k ratio is a per-round ratio too.
 *
 * Child: `node --import tsx bench/transfer-scale.ts` prints its {@link Rounds}.
 *
 * @packageDocumentation
 */
import { fromJS, type Map as ImmutableMap } from 'immutable';
import { Engine, toPlain } from 'theus';
import { emit, isMain, runChild } from './child.js';
import { shadowTransfer } from './flat-transfers.js';
import { fmt, printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, windowed, type Rounds, type Sampler } from './rounds.js';
import { balances, makePairs, pairCursor, START_BALANCE, sumOf, type Pair } from './transfer-common.js';

const SIZES = [1_000, 10_000, 100_000, 1_000_000] as const;
const ROUNDS = 7;
const WINDOW = { ms: 120, warmupMs: 200 } as const;

const theusName = (n: number): string => `theus ${String(n)}`;
const immutableName = (n: number): string => `immutable.js ${String(n)}`;

/** Throws unless the balances still sum to what they started with. */
function conserved(name: string, n: number, sum: number): void {
  if (sum !== n * START_BALANCE) throw new Error(`${name}: balances not conserved: ${String(sum)} !== ${String(n * START_BALANCE)}`);
}

function theus(n: number, accounts: Record<string, number>, pairs: readonly Pair[]): Sampler {
  const engine = new Engine({ context: { domain: { accounts } }, processes: [shadowTransfer] });
  const next = pairCursor(pairs);
  const op = (): Promise<unknown> => {
    const { from, to } = next();
    return engine.execute(shadowTransfer, { from, to });
  };
  return windowed(theusName(n), op, WINDOW, () => conserved(theusName(n), n, sumOf(toPlain(engine.state.domain.accounts))));
}

function immutable(n: number, accounts: Readonly<Record<string, number>>, pairs: readonly Pair[]): Sampler {
  let state = fromJS({ domain: { accounts } }) as ImmutableMap<string, unknown>;
  const next = pairCursor(pairs);
  const op = (): void => {
    const { from, to } = next();
    state = state
      .updateIn(['domain', 'accounts', from], (v) => (v as number) - 1)
      .updateIn(['domain', 'accounts', to], (v) => (v as number) + 1);
  };
  const total = (): number => (state.getIn(['domain', 'accounts']) as ImmutableMap<string, number>).reduce((sum, v) => sum + v, 0);
  return windowed(immutableName(n), op, WINDOW, () => conserved(immutableName(n), n, total()));
}

/** The child: every size, both contenders, in the same interleaved rounds. */
async function measure(): Promise<Rounds> {
  return interleave(
    SIZES.flatMap((n) => {
      const pairs = makePairs(1, n);
      const accounts = balances(n);
      // fromJS copies the balances; the engine then takes them over as its initial state.
      return [immutable(n, accounts, pairs), theus(n, accounts, pairs)];
    }),
    ROUNDS,
  );
}

/** Runs row 3 in a child, prints its table and returns its summary lines. */
export async function transferScaleRows(): Promise<string[]> {
  let rounds: Rounds | undefined;
  try {
    rounds = await runChild<Rounds>('transfer-scale.ts', []);
  } catch (error) {
    printError('transfer at scale (child process)', error);
  }
  const ratio = (a: string, b: string): number | undefined => (rounds === undefined ? undefined : timeRatio(rounds, a, b));
  const us = (name: string): number | undefined => (rounds === undefined ? undefined : usOf(rounds, name));
  printTable(
    `Transfer by shadow writes on a flat record of N balances vs immutable.js updateIn (us/commit, median of ${String(ROUNDS)} interleaved rounds)`,
    ['N', 'theus us', 'immutable.js us', 'theus/immutable.js', 'theus vs 100k'],
    SIZES.map((n) => [
      fmt(n),
      cell(us(theusName(n))),
      cell(us(immutableName(n))),
      cell(ratio(theusName(n), immutableName(n)), 2, 'x'),
      cell(ratio(theusName(n), theusName(100_000)), 2, 'x'),
    ]),
  );
  if (rounds !== undefined) printFailures(rounds);
  return [
    target(
      'flat to 1M: shadow transfer, 1M / 100k commit time',
      '<=',
      2,
      ratio(theusName(1_000_000), theusName(100_000)),
      `1M ${cell(us(theusName(1_000_000)))} us, 100k ${cell(us(theusName(100_000)))} us`,
    ),
    ...SIZES.map((n) =>
      target(
        `flat to 1M (stretch): shadow transfer at ${fmt(n)}, theus / immutable.js time`,
        '<=',
        2,
        ratio(theusName(n), immutableName(n)),
        `theus ${cell(us(theusName(n)))} us, immutable.js ${cell(us(immutableName(n)))} us`,
      ),
    ),
  ];
}

if (isMain(import.meta.url)) emit(await measure());
