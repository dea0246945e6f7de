/**
 * Issue 11, row A: durable commits per second on SQLite (`synchronous = FULL`, WAL), against raw
 * better-sqlite3 on the same disk.
 *
 * - `raw 1 writer`: better-sqlite3 directly, one INSERT of a commit-like JSON row per op, each in
 *   its own transaction (autocommit): one fsync per commit. better-sqlite3 is synchronous, so
 *   eight "writers" would run one after another: this is also the raw figure for 8 writers.
 * - `theus 1 writer`: a loop of awaited `engine.execute(bump, { key })` on an engine with
 *   `sqliteStore({ path })`; a run resolves once its commit is on disk.
 * - `theus 8 writers`: eight concurrent loops on one engine, each on its own counter key (no
 *   conflicts expected; conflicts are counted). The engine groups the commits of one event-loop
 *   turn into one append, one SQLite transaction, one fsync.
 *
 * Each contender writes its own file in a fresh temp directory (removed afterwards); the
 * contenders are sampled in interleaved rounds of time windows (an op takes about one fsync).
 * After every window the commits are checked (`domain.n`, `engine.version`, the rows the store
 * reads back); after the last, the file of each is opened with better-sqlite3 and its rows counted.
 *
 * Child: `node --import tsx bench/durable-commits.ts` prints its {@link DurableResult}.
 *
 * @packageDocumentation
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Engine, process, type CommitUnit, type Store } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { emit, errorInfo, isMain, runChild } from './child.js';
import { fmt, printError, printTable, target } from './harness.js';
import { cell, interleave, printFailures, timeRatio, usOf, type Rounds, type Sampler } from './rounds.js';

const ROUNDS = 4;
/** Each sample writes for this long: an op is one fsync (milliseconds), so windows, not op counts. */
const SAMPLE_MS = 1_500;
const WARMUP_MS = 300;
const WRITERS = 8;

const RAW = 'raw 1 writer';
const THEUS_1 = 'theus 1 writer';
const THEUS_8 = `theus ${String(WRITERS)} writers`;

/** What the child measured: the rounds and, per Theus contender, how its commits were grouped. */
interface DurableResult {
  readonly rounds: Rounds;
  readonly stats: Readonly<Record<string, Stats>>;
}

/** Commits made, appends (SQLite transactions) they took, conflicts seen. */
interface Stats {
  readonly commits: number;
  readonly appends: number;
  readonly conflicts: number;
}

/** A contender: its sampler, and how to verify its file and remove it afterwards. */
interface Contender {
  readonly sampler: Sampler;
  stats(): Stats;
  /** Closes it, checks the rows its file holds, removes its directory. */
  dispose(): Promise<void>;
}

/** The state: a commit count and one counter per writer. */
interface Counted {
  readonly domain: { n: number; counters: Record<string, number> };
}

interface Bump {
  readonly key: string;
}

const bump = process(
  { name: 'bump', inputs: ['domain.n', 'domain.counters'], outputs: ['domain.n', 'domain.counters'] },
  (ctx, { key }: Bump) => {
    const counters = ctx.domain.counters as Record<string, number>;
    ctx.domain.n = (ctx.domain.n as number) + 1;
    counters[key] = (counters[key] ?? 0) + 1;
  },
);

/** `writers` loops each awaiting `op(w)` until `ms` have passed; commits made and the elapsed ms. */
async function timed(ms: number, writers: number, op: (writer: number) => unknown): Promise<{ count: number; elapsed: number }> {
  let count = 0;
  const start = performance.now();
  const deadline = start + ms;
  const loop = async (writer: number): Promise<void> => {
    do {
      await op(writer);
      count++;
    } while (performance.now() < deadline);
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => loop(w)));
  return { count, elapsed: performance.now() - start };
}

function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `theus-bench-${label}-`));
}

/** `make()`, removing `dir` when it throws or rejects (a contender that could not be set up). */
function orRemove<T>(dir: string, make: () => T): T {
  const remove = (error: unknown): never => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  };
  try {
    const made = make();
    return (made instanceof Promise ? made.catch(remove) : made) as T;
  } catch (error) {
    return remove(error);
  }
}

/** The rows of `commits` in the file at `path` (opened read-only once its owner closed it). */
function rowsIn(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], number>('SELECT COUNT(*) FROM commits').pluck().get() ?? 0;
  } finally {
    db.close();
  }
}

function expectEqual(name: string, what: string, got: unknown, expected: unknown): void {
  if (got !== expected) throw new Error(`${name}: ${what} is ${String(got)}, expected ${String(expected)}`);
}

/** Raw better-sqlite3: one autocommitted INSERT of a commit-like row per op. */
function raw(): Contender {
  const dir = tempDir('raw');
  const path = join(dir, 'raw.db');
  const db = orRemove(dir, () => {
    const opened = new Database(path);
    opened.pragma('journal_mode = WAL');
    opened.pragma('synchronous = FULL');
    opened.exec(
      'CREATE TABLE commits (version INTEGER PRIMARY KEY, process TEXT NOT NULL, args TEXT, patches TEXT NOT NULL, time INTEGER NOT NULL)',
    );
    return opened;
  });
  const insert = db.prepare<[number, string, string, string, number]>(
    'INSERT INTO commits (version, process, args, patches, time) VALUES (?, ?, ?, ?, ?)',
  );
  const count = db.prepare<[], number>('SELECT COUNT(*) FROM commits').pluck();
  let version = 0;
  const op = (): void => {
    version++;
    const key = 'w0';
    const patches = [
      { op: 'replace', path: ['domain', 'n'], value: version },
      { op: 'replace', path: ['domain', 'counters', key], value: version },
    ];
    insert.run(version, 'bump', JSON.stringify({ key }), JSON.stringify(patches), Date.now());
  };
  const sample = async (ms: number): Promise<number> => {
    const { count: n, elapsed } = await timed(ms, 1, op);
    expectEqual(RAW, 'the row count', count.get(), version);
    return (elapsed * 1000) / n;
  };
  return {
    sampler: { name: RAW, warm: async () => void (await sample(WARMUP_MS)), sample: () => sample(SAMPLE_MS) },
    stats: () => ({ commits: version, appends: version, conflicts: 0 }),
    dispose() {
      try {
        if (db.open) db.close();
        expectEqual(RAW, 'the rows in the file', rowsIn(path), version);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return Promise.resolve();
    },
  };
}

/** A store that counts its appends (each one SQLite transaction) and the units they held. */
function counting(inner: Store, counts: { appends: number; units: number }): Store {
  return {
    kind: inner.kind,
    groupCommits: inner.groupCommits,
    open: () => inner.open(),
    seed: (state, version) => inner.seed(state, version),
    append(units: readonly CommitUnit[]) {
      counts.appends++;
      counts.units += units.length;
      return inner.append(units);
    },
    history: (query) => inner.history(query),
    oldestVersion: () => inner.oldestVersion(),
    stateAt: (version, replay) => inner.stateAt(version, replay),
    outbox: inner.outbox,
    close: () => inner.close(),
  };
}

/** Theus with `writers` concurrent loops of `execute(bump)`, each writer on its own counter key. */
async function theus(name: string, writers: number): Promise<Contender> {
  const dir = tempDir(`theus${String(writers)}`);
  const path = join(dir, 'theus.db');
  const counts = { appends: 0, units: 0 };
  const context: Counted = { domain: { n: 0, counters: {} } };
  const engine = await orRemove(dir, () => Engine.open({ context, processes: [bump], store: counting(sqliteStore({ path }), counts) }));
  let conflicts = 0;
  engine.on('conflict', () => void conflicts++);
  const keys = Array.from({ length: writers }, (_, w) => `w${String(w)}`);
  const op = (writer: number): Promise<unknown> => engine.execute(bump, { key: keys[writer] as string });
  let commits = 0;
  const sample = async (ms: number): Promise<number> => {
    const before = engine.version;
    const { count, elapsed } = await timed(ms, writers, op);
    commits += count;
    expectEqual(name, 'domain.n', engine.state.domain.n, commits);
    expectEqual(name, 'engine.version', engine.version, commits);
    expectEqual(name, 'the commits the store reads back', engine.history({ from: before + 1 }).length, count);
    const counters = engine.state.domain.counters;
    expectEqual(
      name,
      'the sum of the counters',
      keys.reduce((sum, key) => sum + (counters[key] ?? 0), 0),
      commits,
    );
    return (elapsed * 1000) / count;
  };
  return {
    sampler: { name, warm: async () => void (await sample(WARMUP_MS)), sample: () => sample(SAMPLE_MS) },
    stats: () => ({ commits, appends: counts.appends, conflicts }),
    async dispose() {
      try {
        await engine.close();
        expectEqual(name, 'the rows in the file', rowsIn(path), commits);
        expectEqual(name, 'the units appended', counts.units, commits);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The child: the three contenders interleaved; each is verified and removed afterwards. */
async function measure(): Promise<DurableResult> {
  const contenders: Contender[] = [];
  try {
    contenders.push(raw(), await theus(THEUS_1, 1), await theus(THEUS_8, WRITERS));
  } catch (error) {
    // Set-up failed: remove the files made so far, then report it.
    for (const contender of contenders) await contender.dispose().catch(() => undefined);
    throw error;
  }
  const rounds = await interleave(
    contenders.map((c) => c.sampler),
    ROUNDS,
  );
  const errors = { ...rounds.errors };
  const stats: Record<string, Stats> = {};
  for (const contender of contenders) {
    const { name } = contender.sampler;
    stats[name] = contender.stats();
    try {
      await contender.dispose();
    } catch (error) {
      errors[name] ??= errorInfo(error);
    }
  }
  return { rounds: { us: rounds.us, errors }, stats };
}

/** Runs row A in a child, prints its table and returns its summary lines. */
export async function durableCommitRows(): Promise<string[]> {
  let result: DurableResult | undefined;
  try {
    result = await runChild<DurableResult>('durable-commits.ts', []);
  } catch (error) {
    printError('durable commits (child process)', error);
  }
  const rounds = result?.rounds;
  const us = (name: string): number | undefined => (rounds === undefined ? undefined : usOf(rounds, name));
  const rate = (name: string): number | undefined => {
    const value = us(name);
    return value === undefined ? undefined : 1e6 / value;
  };
  // Commits/s ratios: raw's time per commit over Theus's, per round.
  const vsRaw = (name: string): number | undefined => (rounds === undefined ? undefined : timeRatio(rounds, RAW, name));
  const perAppend = (name: string): number | undefined => {
    const s = result?.stats[name];
    return s === undefined || s.appends === 0 ? undefined : s.commits / s.appends;
  };
  printTable(
    `Durable commits on SQLite (synchronous = FULL, WAL), one file each on the same disk (median of ${String(ROUNDS)} interleaved rounds of ${fmt(SAMPLE_MS / 1000, 1)} s)`,
    ['contender', 'commits/s', 'ms/commit', 'vs raw', 'commits/transaction', 'commits made', 'conflicts'],
    [RAW, THEUS_1, THEUS_8].map((name) => [
      name,
      cell(rate(name), 0),
      cell(us(name) === undefined ? undefined : (us(name) as number) / 1000, 3),
      cell(vsRaw(name), 2, 'x'),
      cell(perAppend(name), 2),
      result?.stats[name] === undefined ? 'n/a' : fmt(result.stats[name].commits),
      result?.stats[name] === undefined ? 'n/a' : fmt(result.stats[name].conflicts),
    ]),
  );
  if (rounds !== undefined) printFailures(rounds);
  const rawMs = us(RAW) === undefined ? undefined : (us(RAW) as number) / 1000;
  const disk = `raw commit (about one fsync) ${cell(rawMs, 3)} ms; figures depend on the disk's fsync latency (shared 2-core VM)`;
  const conflicts = result?.stats[THEUS_8]?.conflicts;
  return [
    target(
      'durable commits, 1 writer: theus / raw better-sqlite3 commits/s',
      '>=',
      0.5,
      vsRaw(THEUS_1),
      `theus ${cell(rate(THEUS_1), 0)}/s, raw ${cell(rate(RAW), 0)}/s; ${disk}`,
    ),
    target(
      `durable commits, ${String(WRITERS)} writers: theus / raw better-sqlite3 commits/s`,
      '>=',
      1,
      vsRaw(THEUS_8),
      `theus ${cell(rate(THEUS_8), 0)}/s, ${cell(perAppend(THEUS_8), 2)} commits per transaction, ${conflicts === undefined ? 'n/a' : fmt(conflicts)} conflicts; raw ${cell(rate(RAW), 0)}/s`,
    ),
  ];
}

if (isMain(import.meta.url)) emit(await measure());
