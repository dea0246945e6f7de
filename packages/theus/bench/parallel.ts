/**
 * Issue 12 rows: parallel processes and the HEAVY zone, each contender interleaved round by round.
 *
 * - HEAVY hand-off: a parallel process reads a 512 MB SharedArrayBuffer-backed Float32Array
 *   registered with `engine.heavy.alloc` (one run per op: the worker gets the same memory), against
 *   `structuredClone` of a 512 MB Float32Array on an ordinary ArrayBuffer (what a copy costs).
 * - CPU-bound batch: 8 runs of about 40 ms of arithmetic, `engine.executeParallel` on a pool of
 *   2 workers, against the same 8 runs inline (a non-parallel twin, one after another).
 * - Per-task overhead: 64 trivial parallel runs (`executeParallel`) against 64 trivial tasks on a
 *   bare piscina pool of the same size.
 *
 * Child: `node --import tsx bench/parallel.ts` prints its {@link Rounds}.
 *
 * @packageDocumentation
 */
import { Piscina } from 'piscina';
import { Engine } from 'theus';
import { emit, isMain, runChild } from './child.js';
import { fmt, printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, type Rounds, type Sampler } from './rounds.js';
import { spin, spinInline, touchHeavy, trivial, work } from './parallel-processes.js';

const HEAVY_LENGTH = 128 * 1024 * 1024; // 512 MB of float32
const BATCH = 8;
const SPIN_N = 8;
const TASKS = 64;
const POOL = 2;

const HANDOFF = 'theus HEAVY hand-off';
const CLONE = 'structuredClone 512 MB';
const PARALLEL = 'theus 8 runs, pool of 2';
const INLINE = '8 runs inline';
const TRIVIAL = 'theus trivial parallel run';
const BARE = 'bare piscina task';

/** Times `op` over `times` calls: µs per call. */
async function perCall(op: () => unknown, times: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < times; i++) await op();
  return ((performance.now() - start) * 1000) / times;
}

async function measure(): Promise<Rounds> {
  const engine = new Engine({ context: { heavy: {} }, processes: [touchHeavy, spin, spinInline, trivial], workers: { size: POOL } });
  const bare = new Piscina({ filename: new URL('./parallel-bare-task.ts', import.meta.url).href, minThreads: POOL, maxThreads: POOL });
  try {
    const big = await engine.heavy.alloc('big', { type: 'float32', length: HEAVY_LENGTH });
    big[0] = 1;
    const copy = new Float32Array(HEAVY_LENGTH);
    const expected = work(SPIN_N);
    const samplers: Sampler[] = [
      {
        name: HANDOFF,
        warm: async () => void (await perCall(() => engine.execute(touchHeavy), 20)),
        sample: () => perCall(() => engine.execute(touchHeavy), 50),
        check: () => {
          if (big[0] !== 1) throw new Error('the HEAVY array changed');
        },
      },
      { name: CLONE, sample: () => perCall(() => structuredClone(copy), 1) },
      {
        name: PARALLEL,
        warm: async () =>
          void (await engine.executeParallel(
            spin,
            Array.from({ length: POOL }, () => ({ n: 1 })),
          )),
        sample: () =>
          perCall(async () => {
            const results = await engine.executeParallel(
              spin,
              Array.from({ length: BATCH }, () => ({ n: SPIN_N })),
            );
            if (results.some((result) => result !== expected)) throw new Error('a parallel run computed something else');
          }, 1),
      },
      {
        name: INLINE,
        sample: () =>
          perCall(async () => {
            for (let i = 0; i < BATCH; i++) await engine.execute(spinInline, { n: SPIN_N });
          }, 1),
      },
      {
        name: TRIVIAL,
        warm: async () =>
          void (await engine.executeParallel(
            trivial,
            Array.from({ length: TASKS }, () => undefined),
          )),
        sample: async () =>
          (await perCall(
            () =>
              engine.executeParallel(
                trivial,
                Array.from({ length: TASKS }, () => undefined),
              ),
            5,
          )) / TASKS,
      },
      {
        name: BARE,
        warm: async () => void (await Promise.all(Array.from({ length: TASKS }, () => bare.run(undefined)))),
        sample: async () => (await perCall(() => Promise.all(Array.from({ length: TASKS }, () => bare.run(undefined))), 5)) / TASKS,
      },
    ];
    return await interleave(samplers, 5);
  } finally {
    await bare.destroy();
    await engine.close();
  }
}

/** Runs the issue 12 rows in a child, prints the table and returns the summary lines. */
export async function parallelRows(): Promise<string[]> {
  let rounds: Rounds;
  try {
    rounds = await runChild<Rounds>('parallel.ts', []);
  } catch (error) {
    printError('parallel rows', error);
    return [target('HEAVY hand-off of 512 MB vs structuredClone', '>=', 1000, undefined)];
  }
  printFailures(rounds);
  const us = (name: string): string => cell(usOf(rounds, name), 1);
  printTable(
    `Parallel processes and the HEAVY zone (median of 5 interleaved rounds; pool of ${String(POOL)} workers)`,
    ['contender', 'µs per op', 'what one op is'],
    [
      [HANDOFF, us(HANDOFF), 'a parallel run reading a 512 MB SharedArrayBuffer-backed Float32Array'],
      [CLONE, us(CLONE), 'structuredClone of a 512 MB Float32Array'],
      [PARALLEL, us(PARALLEL), `executeParallel of ${String(BATCH)} CPU-bound runs`],
      [INLINE, us(INLINE), `the same ${String(BATCH)} runs on the main thread`],
      [TRIVIAL, us(TRIVIAL), `one of ${String(TASKS)} trivial parallel runs in a batch`],
      [BARE, us(BARE), `one of ${String(TASKS)} trivial tasks on a bare piscina pool`],
    ],
  );
  const handoff = usOf(rounds, HANDOFF);
  return [
    target(
      'HEAVY hand-off of 512 MB: clone time / hand-off time',
      '>=',
      1000,
      timeRatio(rounds, CLONE, HANDOFF),
      `a whole parallel run with the array ${fmt((handoff ?? NaN) / 1000, 3)} ms (goal < 1 ms); clone ${fmt((usOf(rounds, CLONE) ?? NaN) / 1000, 0)} ms`,
    ),
    target(
      `CPU-bound batch of ${String(BATCH)}, pool of ${String(POOL)}: inline time / parallel time`,
      '>=',
      1.8,
      timeRatio(rounds, INLINE, PARALLEL),
    ),
    target('per-task overhead: trivial parallel run / bare piscina task', '<=', 1.5, timeRatio(rounds, TRIVIAL, BARE)),
  ];
}

if (isMain(import.meta.url)) emit(await measure());
