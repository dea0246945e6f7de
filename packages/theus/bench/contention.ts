/**
 * Benchmark: contention. `WRITERS` concurrent writers each run `PER_WRITER` read-await-write
 * increments (read the field, await one `setImmediate`, write it back) with default engine
 * options, on one shared field and on one field each. The baseline does the same with a
 * hand-written promise mutex per field (the fastest correct way to serialise such updates by
 * hand). Rounds alternate theus / mutex; the median of each is reported with the ratio, the
 * number of failed runs and whether the final counts are exact.
 *
 * @packageDocumentation
 */
import { Engine, process, type AnyProcess } from 'theus';
import { fmt, median, printTable } from './harness.js';

const WRITERS = 100;
const PER_WRITER = 50;
const WARMUP_ROUNDS = 2;
const ROUNDS = 7;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What one round measured. */
interface Round {
  readonly commitsPerSec: number;
  readonly failures: number;
  readonly exact: boolean;
}

/** The processes incrementing `domain.f<i>`, one per field (`fields` of them). */
function incrementers(fields: number): AnyProcess[] {
  return Array.from({ length: fields }, (_, i) => {
    const path = `domain.f${i}`;
    return process({ name: `inc${i}`, inputs: [path], outputs: [path] }, async (ctx) => {
      const seen = (ctx.domain as Record<string, number>)[`f${i}`] as number;
      await nextTurn();
      return seen + 1;
    });
  });
}

/** One theus round: writer `w` increments field `w % fields`. */
async function theusRound(fields: number, processes: readonly AnyProcess[]): Promise<Round> {
  const domain: Record<string, number> = {};
  for (let i = 0; i < fields; i++) domain[`f${i}`] = 0;
  const engine = new Engine({ context: { domain }, processes });
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const name = `inc${w % fields}`;
      for (let k = 0; k < PER_WRITER; k++) await engine.execute(name).catch(() => failures++);
    }),
  );
  const elapsed = performance.now() - started;
  const state = engine.state.domain;
  const total = Object.values(state).reduce((sum, n) => sum + n, 0);
  await engine.close();
  return { commitsPerSec: (total * 1000) / elapsed, failures, exact: total === WRITERS * PER_WRITER };
}

/** A promise mutex: `lock()` resolves to the release function once every earlier holder released. */
function mutex(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => (release = resolve));
    return previous.then(() => release);
  };
}

/** One baseline round: the same updates on a plain object, serialised per field by a mutex. */
async function mutexRound(fields: number): Promise<Round> {
  const state: Record<string, number> = {};
  const locks = Array.from({ length: fields }, mutex);
  for (let i = 0; i < fields; i++) state[`f${i}`] = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const key = `f${w % fields}`;
      const lock = locks[w % fields] as () => Promise<() => void>;
      for (let k = 0; k < PER_WRITER; k++) {
        const release = await lock();
        try {
          const seen = state[key] as number;
          await nextTurn();
          state[key] = seen + 1;
        } finally {
          release();
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const total = Object.values(state).reduce((sum, n) => sum + n, 0);
  return { commitsPerSec: (total * 1000) / elapsed, failures: 0, exact: total === WRITERS * PER_WRITER };
}

/** The medians of interleaved theus and mutex rounds on `fields` fields. */
async function compare(fields: number): Promise<{ theus: number; mutex: number; failures: number; exact: boolean }> {
  const processes = incrementers(fields);
  for (let r = 0; r < WARMUP_ROUNDS; r++) {
    await theusRound(fields, processes);
    await mutexRound(fields);
  }
  const theus: number[] = [];
  const baseline: number[] = [];
  let failures = 0;
  let exact = true;
  for (let r = 0; r < ROUNDS; r++) {
    const ours = await theusRound(fields, processes);
    theus.push(ours.commitsPerSec);
    failures += ours.failures;
    exact &&= ours.exact;
    baseline.push((await mutexRound(fields)).commitsPerSec);
  }
  return { theus: median(theus), mutex: median(baseline), failures, exact };
}

/** Runs the contention benchmark, prints its table and returns the theus / mutex ratios and the failures. */
export async function contentionBench(): Promise<{ one: number; disjoint: number; failures: number }> {
  const one = await compare(1);
  const disjoint = await compare(WRITERS);
  const row = (label: string, r: typeof one): string[] => [
    label,
    fmt(r.theus),
    fmt(r.mutex),
    fmt(r.theus / r.mutex, 2),
    String(r.failures),
    r.exact ? 'yes' : 'NO',
  ];
  printTable(
    `Contention: ${WRITERS} writers x ${PER_WRITER} read-await(setImmediate)-write increments, default options (median of ${ROUNDS} interleaved rounds)`,
    ['variant', 'theus commits/s', 'mutex commits/s', 'theus/mutex', 'failed runs', 'exact'],
    [row('one shared field', one), row(`one field per writer (${WRITERS} fields)`, disjoint)],
  );
  return { one: one.theus / one.mutex, disjoint: disjoint.theus / disjoint.mutex, failures: one.failures + disjoint.failures };
}
