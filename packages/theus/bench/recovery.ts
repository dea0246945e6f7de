/**
 * Issue 11, row B: recovery time of a 1,000,000-commit SQLite log: how long
 * `Engine.open({ store: sqliteStore({ path }) })` takes to restore the state.
 *
 * The logs are built without running the engine a million times: the store is opened directly,
 * seeded, and given hand-made commit units in batches (commit `v` sets `domain.n` to `v` and
 * `domain.counters.k<v % 1000>` to `v`, so the state holds a 1,000-key record). Two files hold the
 * same log: one with a snapshot every 1,000 commits (recovery reads the newest and replays at most
 * 1,000 commits), one with only the seed snapshot (the whole log replays). Each open runs in a
 * fresh child process (no JIT or heap left over from another open); the OS page cache is warm
 * (the files were just written and read), so these are warm-cache figures.
 *
 * Child: `node --import tsx bench/recovery.ts build <dir>` builds both files in `<dir>` and prints
 * their build times and sizes; `... recovery.ts open <path>` opens one, checks the state and
 * prints how long the open took.
 *
 * @packageDocumentation
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type CommitUnit, type Patch } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { emit, isMain, runChild } from './child.js';
import { fmt, median, printError, printTable, target } from './harness.js';
import { cell } from './rounds.js';

const COMMITS = 1_000_000;
const KEYS = 1_000;
/** Units per `store.append` (one SQLite transaction) while building. */
const BATCH = 10_000;
const OPENS = 3;

/** The two files: the default snapshot interval, and one past the log (only the seed snapshot). */
const VARIANTS = [
  { name: 'snapshot every 1,000', file: 'snapshots.db', snapshotEvery: 1_000 },
  { name: 'seed snapshot only (full replay)', file: 'full-replay.db', snapshotEvery: 2 * COMMITS },
] as const;

/** What building one file took. */
interface Built {
  readonly file: string;
  readonly ms: number;
  /** The database file, and its WAL if one is left (none after a clean close). */
  readonly bytes: number;
}

/** What one open measured. */
interface Opened {
  readonly ms: number;
  readonly closeMs: number;
  /** Resident set size after the open, in bytes. */
  readonly rss: number;
}

interface State {
  domain: { n: number; counters: Record<string, number> };
}

function sizeOf(path: string): number {
  let bytes = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      bytes += statSync(file).size;
    } catch {
      // No WAL left: the store checkpointed it on close.
    }
  }
  return bytes;
}

/** Builds the log of {@link COMMITS} commits in a new file at `path`, through the store itself. */
function build(path: string, snapshotEvery: number): number {
  const started = performance.now();
  const store = sqliteStore({ path, snapshotEvery });
  if (store.open() !== undefined) throw new Error(`recovery bench: ${path} is not empty`);
  const state: State = { domain: { n: 0, counters: {} } };
  store.seed(structuredClone(state), 0);
  const time = Date.now();
  // The store serializes `state` only for the versions that take a snapshot, when `append` is called:
  // those get a copy of the state after their commit; the others share one object it never reads.
  const unused = Object.freeze({});
  let batch: CommitUnit[] = [];
  for (let version = 1; version <= COMMITS; version++) {
    const key = `k${String(version % KEYS)}`;
    const patches: Patch[] = [
      { op: 'replace', path: ['domain', 'n'], value: version },
      { op: key in state.domain.counters ? 'replace' : 'add', path: ['domain', 'counters', key], value: version },
    ];
    state.domain.n = version;
    state.domain.counters[key] = version;
    batch.push({
      record: { version, process: 'step', args: undefined, patches: Object.freeze(patches), time },
      signals: {},
      outbox: [],
      state: version % snapshotEvery === 0 ? structuredClone(state) : unused,
    });
    if (batch.length === BATCH || version === COMMITS) {
      const appended = store.append(batch);
      if (appended instanceof Promise) throw new Error('recovery bench: the SQLite store appended asynchronously');
      batch = [];
    }
  }
  store.close();
  return performance.now() - started;
}

/** Child `build <dir>`: both files. */
function buildAll(dir: string): { files: Built[] } {
  const files = VARIANTS.map(({ file, snapshotEvery }) => {
    const path = join(dir, file);
    const ms = build(path, snapshotEvery);
    return { file, ms, bytes: sizeOf(path) };
  });
  return { files };
}

/** Child `open <path> <snapshotEvery>`: opens the engine on the file, checks what it restored, closes it. */
async function open(path: string, snapshotEvery: number): Promise<Opened> {
  const started = performance.now();
  const engine = await Engine.open({ store: sqliteStore({ path, snapshotEvery }) });
  const ms = performance.now() - started;
  const rss = globalThis.process.memoryUsage().rss;
  const { domain } = engine.state as unknown as State;
  // Commit 1,000,000 wrote k0; k999 was last written by commit 999,999.
  const problems = [
    engine.version === COMMITS ? '' : `version ${String(engine.version)}`,
    domain.n === COMMITS ? '' : `domain.n ${String(domain.n)}`,
    Object.keys(domain.counters).length === KEYS ? '' : `${String(Object.keys(domain.counters).length)} counters`,
    domain.counters['k0'] === COMMITS ? '' : `counters.k0 ${String(domain.counters['k0'])}`,
    domain.counters['k999'] === COMMITS - 1 ? '' : `counters.k999 ${String(domain.counters['k999'])}`,
  ].filter((p) => p !== '');
  if (problems.length > 0)
    throw new Error(`recovery bench: ${path} restored a wrong state: ${problems.join(', ')} (expected ${fmt(COMMITS)})`);
  const closing = performance.now();
  await engine.close();
  return { ms, closeMs: performance.now() - closing, rss };
}

/** Runs row B: builds both logs in a child, opens each {@link OPENS} times in fresh children (alternating), prints the table and returns the summary lines. */
export async function recoveryRows(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'theus-bench-recovery-'));
  const opens = new Map<string, Opened[]>(VARIANTS.map((v) => [v.file, []]));
  let built: readonly Built[] = [];
  try {
    built = (await runChild<{ files: Built[] }>('recovery.ts', ['build', dir])).files;
    for (let i = 0; i < OPENS; i++) {
      for (const { file, snapshotEvery } of i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        opens.get(file)?.push(await runChild<Opened>('recovery.ts', ['open', join(dir, file), String(snapshotEvery)]));
      }
    }
  } catch (error) {
    printError('recovery (child process)', error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const figures = VARIANTS.map(({ name, file }) => {
    const runs = opens.get(file) ?? [];
    const build = built.find((b) => b.file === file);
    return {
      name,
      buildS: build === undefined ? undefined : build.ms / 1000,
      mb: build === undefined ? undefined : build.bytes / 1e6,
      openS: runs.length === 0 ? undefined : median(runs.map((r) => r.ms)) / 1000,
      all: runs.map((r) => fmt(r.ms / 1000, 2)).join(' / '),
      closeMs: runs.length === 0 ? undefined : median(runs.map((r) => r.closeMs)),
      rssMb: runs.length === 0 ? undefined : median(runs.map((r) => r.rss)) / 1e6,
    };
  });
  printTable(
    `Recovery of a ${fmt(COMMITS)}-commit SQLite log: Engine.open until resolved (median of ${String(OPENS)} opens, each in a fresh process; OS page cache warm)`,
    ['file', 'build s', 'file MB', 'open s (median)', 'opens s', 'close ms', 'RSS after open MB'],
    figures.map((f) => [f.name, cell(f.buildS, 1), cell(f.mb, 0), cell(f.openS, 3), f.all || 'n/a', cell(f.closeMs, 0), cell(f.rssMb, 0)]),
  );
  const [snap, full] = figures;
  return [
    target(
      `recovery of ${fmt(COMMITS)} commits, snapshot every 1,000: open`,
      '<=',
      2,
      snap?.openS,
      `full replay of the log ${cell(full?.openS, 2)} s; build of the log ${cell(snap?.buildS, 1)} s, ${cell(snap?.mb, 0)} MB; warm page cache`,
      's',
    ),
  ];
}

if (isMain(import.meta.url)) {
  const [mode, path, every] = globalThis.process.argv.slice(2);
  if (mode === 'build' && path !== undefined) emit(buildAll(path));
  else if (mode === 'open' && path !== undefined && every !== undefined) emit(await open(path, Number(every)));
  else throw new Error(`usage: recovery.ts build <dir> | open <path> <snapshotEvery>, got ${String(mode)}`);
}
