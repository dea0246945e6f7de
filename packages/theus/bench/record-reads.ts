/**
 * Rows 6 and 7: reading a 10,000-key record of balances inside a process, against the same reads
 * of a plain frozen object. Row 6 reads a declared INPUT (a `semantic: 'pure'` process):
 * `Object.keys`, `JSON.stringify`, keyed reads of every key (from a precomputed key array) and
 * `for..in`. Row 7 reads through a declared OUTPUT (the copy-on-write draft): keyed reads of
 * every key, and `ctx.domain.user.profile.age` in a loop where `domain.user` is the output. The
 * timed loop runs inside one process run, which returns its elapsed ms; the plain loop runs
 * alone; the two are interleaved round by round.
 *
 * Child: `node --import tsx bench/record-reads.ts` prints one {@link Rounds} per read.
 *
 * @packageDocumentation
 */
import { Engine, process, update, type AnyProcess } from 'theus';
import { emit, isMain, runChild } from './child.js';
import { fmt, median, printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, type Rounds, type Sampler } from './rounds.js';
import { accountKey, balances, deepFreeze } from './transfer-common.js';

const KEYS = Array.from({ length: 10_000 }, (_, i) => accountKey(i));
const NESTED_READS = 1_000_000;
const ROUNDS = 7;
/** Each sample repeats its read for about this long. */
const SAMPLE_MS = 25;

/** Keeps every read's result alive so the JIT cannot drop it. */
let sink = 0;

type Rec = Readonly<Record<string, unknown>>;
type Read = (o: Rec) => number;
type Nested = { readonly domain: { readonly user: { readonly profile: { readonly age: number } } } };

/**
 * The reads, written twice on purpose (PLAIN and CTX, identical text): each copy has its own type
 * feedback, so the plain loops stay as fast as they would be in code that never sees a proxy.
 */
const PLAIN: Readonly<Record<string, Read>> = {
  'Object.keys': (o) => Object.keys(o).length,
  'JSON.stringify': (o) => JSON.stringify(o).length,
  'keyed reads': (o) => {
    let found = 0;
    for (const k of KEYS) if (o[k] !== undefined) found++;
    return found;
  },
  'for..in': (o) => {
    let count = 0;
    for (const k in o) if (k !== '') count++;
    return count;
  },
};
const CTX: Readonly<Record<string, Read>> = {
  'Object.keys': (o) => Object.keys(o).length,
  'JSON.stringify': (o) => JSON.stringify(o).length,
  'keyed reads': (o) => {
    let found = 0;
    for (const k of KEYS) if (o[k] !== undefined) found++;
    return found;
  },
  'for..in': (o) => {
    let count = 0;
    for (const k in o) if (k !== '') count++;
    return count;
  },
};

/** `read` applied `reps` times to `o`, in ms. */
function timed(read: Read, o: Rec, reps: number): number {
  const start = performance.now();
  for (let r = 0; r < reps; r++) sink += read(o);
  return performance.now() - start;
}

/** The same nested read loop as the process's, on a plain frozen object (the root is a parameter, as ctx is). */
function plainNested(root: Nested, reps: number): number {
  const start = performance.now();
  for (let r = 0; r < reps; r++) for (let i = 0; i < NESTED_READS; i++) sink += root.domain.user.profile.age;
  return performance.now() - start;
}

interface ReadArgs {
  readonly read: string;
  readonly reps: number;
}

const readInput = process({ name: 'readInput', inputs: ['domain.accounts'], semantic: 'pure' }, (ctx, { read, reps }: ReadArgs) =>
  timed(CTX[read]!, ctx.domain.accounts, reps),
);

const readDraft = process({ name: 'readDraft', outputs: ['domain.accounts'] }, (ctx, { read, reps }: ReadArgs) =>
  update({}, { result: timed(CTX[read]!, ctx.domain.accounts, reps) }),
);

const readNested = process({ name: 'readNested', outputs: ['domain.user'] }, (ctx, { reps }: ReadArgs) => {
  const start = performance.now();
  for (let r = 0; r < reps; r++) for (let i = 0; i < NESTED_READS; i++) sink += ctx.domain.user.profile.age;
  return update({}, { result: performance.now() - start });
});

/**
 * A sampler of `run(reps)` (ms for `reps` repetitions): warming calibrates `reps` so that one
 * sample lasts about {@link SAMPLE_MS}; samples are µs per repetition.
 */
function calibrated(name: string, run: (reps: number) => Promise<number> | number): Sampler {
  let reps = 1;
  return {
    name,
    async warm() {
      const once: number[] = [];
      for (let i = 0; i < 5; i++) once.push(await run(1));
      reps = Math.max(1, Math.round(SAMPLE_MS / Math.max(median(once), 1e-3)));
    },
    async sample() {
      return ((await run(reps)) * 1000) / reps;
    },
  };
}

/** The rows: [row, read, plain sampler, theus sampler]. */
function comparisons(): [row: 6 | 7, read: string, plain: Sampler, theus: Sampler][] {
  const accounts = balances(KEYS.length);
  const user = { profile: { name: 'x', age: 3 } };
  const engine = new Engine({ context: { domain: { accounts, user } }, processes: [readInput, readDraft, readNested] });
  const plain = deepFreeze({ domain: { accounts: balances(KEYS.length), user: { profile: { name: 'x', age: 3 } } } });
  const theus = (def: AnyProcess, read: string) => (reps: number) => engine.execute(def, { read, reps }) as Promise<number>;
  const plainRead = (read: string) => (reps: number) => timed(PLAIN[read]!, plain.domain.accounts, reps);
  return [
    ...Object.keys(PLAIN).map(
      (read) =>
        [6, read, calibrated('plain', plainRead(read)), calibrated('theus', theus(readInput, read))] as [6, string, Sampler, Sampler],
    ),
    [7, 'keyed reads', calibrated('plain', plainRead('keyed reads')), calibrated('theus', theus(readDraft, 'keyed reads'))],
    [
      7,
      `ctx.domain.user.profile.age x ${fmt(NESTED_READS)}`,
      calibrated('plain', (reps) => plainNested(plain, reps)),
      calibrated('theus', theus(readNested, '')),
    ],
  ];
}

/** What the child sends: one comparison per read. */
interface ReadResult {
  readonly row: 6 | 7;
  readonly read: string;
  readonly rounds: Rounds;
}

/** The child: each read on its own, plain and theus interleaved. */
async function measure(): Promise<{ reads: ReadResult[]; sink: number }> {
  const reads: ReadResult[] = [];
  for (const [row, read, plain, theus] of comparisons()) reads.push({ row, read, rounds: await interleave([plain, theus], ROUNDS) });
  return { reads, sink };
}

/** Runs rows 6 and 7 in a child, prints their table and returns their summary lines. */
export async function recordReadRows(): Promise<string[]> {
  let reads: readonly ReadResult[] = [];
  try {
    reads = (await runChild<{ reads: ReadResult[] }>('record-reads.ts', [])).reads;
  } catch (error) {
    printError('record reads (child process)', error);
  }
  const goal = { 6: 1.5, 7: 3 } as const;
  const where = { 6: 'input (pure process)', 7: 'output (draft)' } as const;
  printTable(
    `Reads of a 10,000-key record inside a process vs a plain frozen object (us per pass, median of ${String(ROUNDS)} interleaved rounds)`,
    ['row', 'declared as', 'read', 'plain us', 'theus us', 'theus/plain'],
    reads.map((r) => [
      String(r.row),
      where[r.row],
      r.read,
      cell(usOf(r.rounds, 'plain')),
      cell(usOf(r.rounds, 'theus')),
      cell(timeRatio(r.rounds, 'theus', 'plain'), 2, 'x'),
    ]),
  );
  for (const r of reads) printFailures(r.rounds);
  if (reads.length === 0) return [target('reads of a 10k record in a process / plain', '<=', 1.5, undefined)];
  return reads.map((r) =>
    target(`${where[r.row]} read, ${r.read}: theus / plain time`, '<=', goal[r.row], timeRatio(r.rounds, 'theus', 'plain')),
  );
}

if (isMain(import.meta.url)) emit(await measure());
