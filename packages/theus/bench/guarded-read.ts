/**
 * Benchmark 1: the cost of reading through a process's guarded `ctx` versus a plain deeply
 * frozen object. The timed loop runs inside one process run; the process returns its elapsed ms.
 *
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import { Engine, process } from 'theus';
import { fmt, median, printTable } from './harness.js';

const N = 5_000_000;
const REPEATS = 5;

/** Keeps loop results alive so the JIT cannot drop the reads. */
let sink = 0;

/** Deep-freezes a plain tree and returns it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const reader = process({ name: 'reader', inputs: ['domain.user'], semantic: 'pure' }, (ctx) => {
  let sum = 0;
  const start = performance.now();
  for (let i = 0; i < N; i++) sum += ctx.domain.user.profile.age as number;
  const elapsed = performance.now() - start;
  sink += sum;
  return elapsed;
});

/** The same loop over a plain deeply frozen object (the root is a parameter, as ctx is). */
function plainLoop(root: { domain: { user: { profile: { age: number } } } }): number {
  let sum = 0;
  const start = performance.now();
  for (let i = 0; i < N; i++) sum += root.domain.user.profile.age;
  const elapsed = performance.now() - start;
  sink += sum;
  return elapsed;
}

/** Runs benchmark 1 and returns the guarded/plain ratio (undefined if the guarded run threw). */
export async function guardedReadBench(): Promise<{ ratio: number | undefined; error?: unknown }> {
  const user = { profile: { name: 'x', age: 3 } };
  const engine = new Engine({ context: { domain: { user } }, processes: [reader] });
  const frozen = deepFreeze({ domain: { user: { profile: { name: 'x', age: 3 } } } });
  const guarded: number[] = [];
  const plain: number[] = [];
  let error: unknown;
  for (let r = 0; r < REPEATS; r++) {
    plain.push(plainLoop(frozen));
    if (error !== undefined) continue;
    try {
      guarded.push(await engine.execute(reader));
    } catch (e) {
      error = e;
    }
  }
  if (sink !== 3 * N * (plain.length + guarded.length)) throw new Error(`guarded-read: wrong sum ${sink}`);
  const nsPlain = (median(plain) * 1e6) / N;
  const nsGuarded = guarded.length === 0 ? undefined : (median(guarded) * 1e6) / N;
  const ratio = nsGuarded === undefined ? undefined : nsGuarded / nsPlain;
  printTable(
    `1. Guarded read (N=${fmt(N)} reads/run, median of ${REPEATS} runs)`,
    ['variant', 'ms/run', 'ns/read', 'vs plain'],
    [
      ['plain frozen object', fmt(median(plain), 1), fmt(nsPlain, 2), '1.00x'],
      [
        'theus ctx (pure process)',
        guarded.length === 0 ? 'error' : fmt(median(guarded), 1),
        nsGuarded === undefined ? 'error' : fmt(nsGuarded, 2),
        ratio === undefined ? 'error' : `${fmt(ratio, 2)}x`,
      ],
    ],
  );
  await engine.close();
  return error === undefined ? { ratio } : { ratio, error };
}
