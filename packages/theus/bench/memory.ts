/**
 * Row 5: memory (children run with `--expose-gc`; heap figures are `heapUsed` after `gc()`).
 *
 * - Retained heap after 100,000 return-data commits on a 1k and a 10k record: what the engine
 *   keeps must not grow with the record. At today's speed 100,000 commits on 10k keys take far
 *   longer than a bench run, so each size stops at 100,000 commits or once a time cap
 *   (`BENCH_MEMORY_SECONDS`, default 45; 0 = no cap) has passed and at least 1,100 commits ran;
 *   the table says how many ran and how long 100,000 would take. The default store keeps the
 *   last 1,000 commits, so past 1,000 commits the heap should stay flat: the heap at commit
 *   1,000 is printed too, and any growth after it is a leak.
 * - 1,000 retained versions: `engine.state` after each of 1,000 shadow-write transfers on a 10k
 *   record, kept in an array, against 1,000 Immer `produce()` results of the same transfers.
 *
 * Child: `node --expose-gc --import tsx bench/memory.ts commits <n> <cap seconds>` or
 * `... memory.ts versions theus|immer` prints its figures.
 *
 * @packageDocumentation
 */
import { produce } from 'immer';
import { Engine } from 'theus';
import { emit, isMain, runChild } from './child.js';
import { returnTransfer, shadowTransfer } from './flat-transfers.js';
import { fmt, printError, printTable, target } from './harness.js';
import { cell } from './rounds.js';
import { balances, makePairs, pairCursor } from './transfer-common.js';

const COMMITS = 100_000;
const VERSIONS = 1_000;
const VERSION_RECORD = 10_000;
const DEFAULT_CAP_SECONDS = 45;
/** The fewest commits a capped run makes: past the default store's 1,000, so the heap has settled. */
const MIN_COMMITS = 1_100;
/** When the heap is sampled once on the way: the default store is full from here on. */
const CHECKPOINT = 1_000;

/** What `commits` measured. */
interface CommitsResult {
  readonly n: number;
  readonly commits: number;
  readonly ms: number;
  /** Heap before the engine existed, after setup, after {@link CHECKPOINT} commits, and after all of them. */
  readonly heapStart: number;
  readonly heapSetup: number;
  readonly heapCheckpoint: number;
  readonly heapAfter: number;
}

/** What `versions` measured. */
interface VersionsResult {
  readonly bytesPerVersion: number;
  readonly ms: number;
}

/** `heapUsed` after full collections. */
function settledHeap(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('memory bench: run node with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Return-data commits on an `n`-key record until {@link COMMITS} or `capMs`; heap before and after. */
async function commits(n: number, capMs: number): Promise<CommitsResult> {
  const heapStart = settledHeap();
  const engine = new Engine({ context: { domain: { accounts: balances(n) } }, processes: [returnTransfer] });
  const next = pairCursor(makePairs(1, n));
  const heapSetup = settledHeap();
  let heapCheckpoint = NaN;
  let paused = 0;
  const started = performance.now();
  let done = 0;
  while (done < COMMITS && (capMs <= 0 || done < MIN_COMMITS || performance.now() - started - paused < capMs)) {
    const { from, to } = next();
    await engine.execute(returnTransfer, { from, to });
    if (++done === CHECKPOINT) {
      const pause = performance.now();
      heapCheckpoint = settledHeap();
      paused += performance.now() - pause;
    }
  }
  const ms = performance.now() - started - paused;
  const heapAfter = settledHeap();
  if (engine.version !== done) throw new Error(`memory bench: ${String(done)} commits made, engine at version ${String(engine.version)}`);
  return { n, commits: done, ms, heapStart, heapSetup, heapCheckpoint, heapAfter };
}

/** Bytes per version kept: `step` makes the next version, {@link VERSIONS} of them are kept in an array. */
async function retained(step: () => unknown): Promise<VersionsResult> {
  const kept: unknown[] = [];
  const before = settledHeap();
  const started = performance.now();
  for (let i = 0; i < VERSIONS; i++) kept.push(await step());
  const ms = performance.now() - started;
  const after = settledHeap();
  if (new Set(kept).size !== VERSIONS) throw new Error('memory bench: the versions kept are not all distinct');
  return { bytesPerVersion: (after - before) / VERSIONS, ms };
}

/** Heap per retained version: Theus states or Immer results of two-key transfers on a 10k record. */
function versions(kind: 'theus' | 'immer'): Promise<VersionsResult> {
  const next = pairCursor(makePairs(1, VERSION_RECORD));
  if (kind === 'immer') {
    let state: Readonly<Record<string, number>> = Object.freeze(balances(VERSION_RECORD));
    return retained(() => {
      const { from, to } = next();
      state = produce(state, (draft) => {
        draft[from]! -= 1;
        draft[to]! += 1;
      });
      return state;
    });
  }
  const engine = new Engine({ context: { domain: { accounts: balances(VERSION_RECORD) } }, processes: [shadowTransfer] });
  return retained(async () => {
    const { from, to } = next();
    await engine.execute(shadowTransfer, { from, to });
    return engine.state;
  });
}

/** The child: one measurement, chosen by the arguments. */
async function measure(argv: readonly string[]): Promise<CommitsResult | VersionsResult> {
  const [what, a, b] = argv;
  if (what === 'commits') return commits(Number(a), Number(b) * 1000);
  if (what === 'versions' && (a === 'theus' || a === 'immer')) return versions(a);
  throw new Error(`usage: memory.ts commits <n> <cap seconds> | versions theus|immer, got ${argv.join(' ')}`);
}

const mb = (bytes: number | undefined): string => cell(bytes === undefined ? undefined : bytes / 2 ** 20, 2);

/** Runs a child, printing its failure and resolving to undefined. */
async function child<T>(label: string, args: readonly string[]): Promise<T | undefined> {
  try {
    return await runChild<T>('memory.ts', args, { exposeGc: true });
  } catch (error) {
    printError(label, error);
    return undefined;
  }
}

/** Runs row 5 (four children), prints its tables and returns its summary lines. */
export async function memoryRows(): Promise<string[]> {
  const capSeconds = Number(globalThis.process.env['BENCH_MEMORY_SECONDS'] ?? DEFAULT_CAP_SECONDS);
  // Heap figures do not depend on a busy CPU, so the four children run at once (only the
  // informative seconds columns feel it).
  const [small, large, theus, immer] = await Promise.all([
    child<CommitsResult>('memory, 1,000-key record', ['commits', '1000', String(capSeconds)]),
    child<CommitsResult>('memory, 10,000-key record', ['commits', '10000', String(capSeconds)]),
    child<VersionsResult>('memory, theus versions', ['versions', 'theus']),
    child<VersionsResult>('memory, immer versions', ['versions', 'immer']),
  ]);
  const runs = [small, large];
  printTable(
    `Memory: heap after ${fmt(COMMITS)} return-data commits (MB after gc; capped at ${capSeconds > 0 ? `${String(capSeconds)} s` : 'nothing'} per size, BENCH_MEMORY_SECONDS)`,
    [
      'record',
      'commits',
      'seconds',
      'projected s for 100k',
      'heap before engine',
      'after setup',
      `after ${fmt(CHECKPOINT)} commits`,
      'after all',
      'growth after setup',
    ],
    runs.flatMap((r) =>
      r === undefined
        ? []
        : [
            [
              `${fmt(r.n)} keys`,
              fmt(r.commits),
              fmt(r.ms / 1000, 1),
              fmt((r.ms / 1000 / r.commits) * COMMITS, 0),
              mb(r.heapStart),
              mb(r.heapSetup),
              mb(r.heapCheckpoint),
              mb(r.heapAfter),
              mb(r.heapAfter - r.heapSetup),
            ],
          ],
    ),
  );
  printTable(
    `Memory: ${fmt(VERSIONS)} retained versions of a ${fmt(VERSION_RECORD)}-key record, one two-key transfer apart (bytes per version)`,
    ['variant', 'bytes/version', 'ms for all'],
    [
      ['theus engine.state (shadow writes)', cell(theus?.bytesPerVersion, 0), cell(theus?.ms, 0)],
      ['immer produce()', cell(immer?.bytesPerVersion, 0), cell(immer?.ms, 0)],
    ],
  );
  const partial = runs.some((r) => r !== undefined && r.commits < COMMITS)
    ? `, capped: ${runs.map((r) => fmt(r?.commits ?? 0)).join(' / ')} commits`
    : '';
  return [
    target(
      `memory independent of record size: heap after ${fmt(COMMITS)} return-data commits, 10k record / 1k record`,
      '<=',
      2,
      small === undefined || large === undefined ? undefined : large.heapAfter / small.heapAfter,
      `1k ${mb(small?.heapAfter)} MB, 10k ${mb(large?.heapAfter)} MB${partial}`,
    ),
    target(
      `memory: bytes per retained version, theus / immer (${fmt(VERSIONS)} versions of a 10k record)`,
      '<=',
      1,
      theus === undefined || immer === undefined ? undefined : theus.bytesPerVersion / immer.bytesPerVersion,
      `theus ${cell(theus?.bytesPerVersion, 0)} B, immer ${cell(immer?.bytesPerVersion, 0)} B`,
    ),
  ];
}

if (isMain(import.meta.url)) emit(await measure(globalThis.process.argv.slice(2)));
