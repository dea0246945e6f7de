/**
 * The nodes bench of the PostgreSQL store: engines in several node processes (`nodes-child.ts`)
 * on one schema. Measures commits per second with 1, 2 and 4 nodes on disjoint paths and on one
 * hot path, and how long a commit of one node takes to become visible on the others (catch-up
 * latency: a `commit` listener on the follower, against the moment the committing node's `execute`
 * resolved). After every measurement it checks the log: versions gapless, one row per commit, and
 * the counters equal to the commits acknowledged. It only measures and checks; `run-nodes.ts`
 * prints.
 *
 * @packageDocumentation
 */
import { fork, type ChildProcess } from 'node:child_process';
import pg from 'pg';

/** The state of the bench's engines. */
export interface BenchState {
  domain: { slots: Record<string, number>; hot: number; ping: number };
}

/** What a node reports after a timed load. */
export interface LoadReport {
  /** Commits acknowledged to its writers, the warm-up included. */
  readonly acknowledged: number;
  /** Commits acknowledged from the opening of the timed window until the last run in flight at its end settled. */
  readonly timed: number;
  /** That window, in milliseconds. */
  readonly elapsedMs: number;
  /** Runs that failed (none expected). */
  readonly failures: number;
  /** `conflict` events in the window (local conflicts, and refusals by the database seen by the retry loop). */
  readonly conflicts: number;
  /** Attempts of the process during the whole load, warm-up included: `attempts - acknowledged` runs were re-run. */
  readonly attempts: number;
}

/** One ping a node committed: its version and when (milliseconds on the machine's wall clock). */
export interface Ping {
  readonly version: number;
  readonly startedAt: number;
  readonly acknowledgedAt: number;
}

/** The calls a node answers: their arguments and results. */
export interface BenchCalls {
  open: { args: { url: string; schema: string; node: number }; result: { version: number } };
  load: { args: { hot: boolean; writers: number; warmupMs: number; ms: number }; result: LoadReport };
  ping: { args: { count: number; maxPauseMs: number }; result: readonly Ping[] };
  /** Starts recording when pings of other nodes become visible. */
  follow: { args: Record<string, never>; result: null };
  /** Stops recording: `[version, visibleAt]` of every ping seen. */
  followed: { args: Record<string, never>; result: readonly (readonly [number, number])[] };
  /** The node's version (once it reached `version`, or after 30 s) and its counters. */
  state: { args: { version: number }; result: { version: number; hot: number; slots: number } };
  close: { args: Record<string, never>; result: null };
}

/** A call as sent. */
export type BenchRequest = { [K in keyof BenchCalls]: { readonly id: number; readonly type: K } & BenchCalls[K]['args'] }[keyof BenchCalls];
/** The answer to a call (id 0: the child is up). */
export interface BenchResponse {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** A node process. */
export class BenchNode {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #next = 1;
  readonly up: Promise<unknown>;

  constructor() {
    this.#child = fork(new URL('./nodes-child.ts', import.meta.url), { stdio: 'inherit' });
    this.#child.on('message', (response: BenchResponse) => {
      const pending = this.#pending.get(response.id);
      this.#pending.delete(response.id);
      if (response.error !== undefined) pending?.reject(new Error(response.error));
      else pending?.resolve(response.result);
    });
    this.#child.on('exit', (code, signal) => {
      for (const pending of this.#pending.values())
        pending.reject(new Error(`a bench node exited (code ${String(code)}, signal ${String(signal)})`));
      this.#pending.clear();
    });
    this.up = new Promise((resolve, reject) => this.#pending.set(0, { resolve, reject }));
  }

  call<K extends keyof BenchCalls>(type: K, args: BenchCalls[K]['args']): Promise<BenchCalls[K]['result']> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ ...args, id, type });
    });
  }

  /** Ends the process (its engine closed first when one is open). */
  async stop(): Promise<void> {
    await this.call('close', {}).catch(() => undefined);
    this.#child.disconnect();
    this.#child.kill('SIGKILL');
  }
}

/** Where the bench runs. */
export interface BenchSetup {
  readonly url: string;
  /** The node processes, started once and reused (each measurement opens engines on a fresh schema). */
  readonly nodes: readonly BenchNode[];
}

/** One throughput measurement. */
export interface ThroughputResult {
  readonly commitsPerSecond: number;
  readonly committed: number;
  readonly conflicts: number;
  /** Re-runs (attempts beyond one per commit: local conflicts and refusals by the database) per commit, warm-up included. */
  readonly rerunsPerCommit: number;
}

/** A measurement's schema: fresh, dropped afterwards. */
const SCHEMA = 'theus_bench_nodes';

/** Opens the engines of the first `count` nodes on a fresh schema, runs `work`, checks the log, closes and drops it. */
async function onFreshSchema<T>(setup: BenchSetup, count: number, work: (nodes: readonly BenchNode[]) => Promise<T>): Promise<T> {
  const admin = new pg.Client(setup.url);
  await admin.connect();
  const nodes = setup.nodes.slice(0, count);
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    // One after the other: the first seeds the schema.
    for (const [node, bench] of nodes.entries()) await bench.call('open', { url: setup.url, schema: SCHEMA, node });
    return await work(nodes);
  } finally {
    await Promise.all(nodes.map((node) => node.call('close', {}).catch(() => undefined)));
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

/**
 * Checks the log after a measurement: versions 1..head, one row each (gapless), as many as the
 * commits acknowledged; and the state's `counter` on `node`, once it reached the head (the hot
 * field, or the sum of the slots, each holding its writer's count), equal to them as well.
 */
async function checkLog(setup: BenchSetup, node: BenchNode, acknowledged: number, counter: 'hot' | 'slots'): Promise<void> {
  const admin = new pg.Client(setup.url);
  await admin.connect();
  try {
    const { rows } = await admin.query<{ head: string; count: string; min: string | null; max: string | null }>(
      `SELECT (SELECT version FROM ${SCHEMA}.head) AS head, count(*) AS count, min(version) AS min, max(version) AS max FROM ${SCHEMA}.commits`,
    );
    const row = rows[0];
    const [head, count, max] = [Number(row?.head), Number(row?.count), Number(row?.max ?? 0)];
    const min = Number(row?.min ?? 1);
    if (count !== head || max !== head || min !== 1 || head !== acknowledged) {
      throw new Error(`log check failed: head ${head}, ${count} rows, versions ${min}..${max}, ${acknowledged} commits acknowledged`);
    }
    const state = await node.call('state', { version: head });
    if (state.version !== head || state[counter] !== acknowledged) {
      throw new Error(
        `state check failed: node at version ${state.version} of ${head}, ${counter} = ${state[counter]}, ${acknowledged} acknowledged`,
      );
    }
  } finally {
    await admin.end();
  }
}

/** Commits from `writers` concurrent writers on each of `count` nodes for `ms`: disjoint slots, or one hot field. */
export async function measureThroughput(
  setup: BenchSetup,
  config: { readonly nodes: number; readonly hot: boolean; readonly writers: number; readonly ms: number; readonly warmupMs: number },
): Promise<ThroughputResult> {
  return onFreshSchema(setup, config.nodes, async (nodes) => {
    const reports = await Promise.all(
      nodes.map((node) => node.call('load', { hot: config.hot, writers: config.writers, warmupMs: config.warmupMs, ms: config.ms })),
    );
    const failures = reports.reduce((sum, report) => sum + report.failures, 0);
    if (failures > 0) throw new Error(`${failures} runs failed`);
    const acknowledged = reports.reduce((sum, report) => sum + report.acknowledged, 0);
    await checkLog(setup, nodes[0] as BenchNode, acknowledged, config.hot ? 'hot' : 'slots');
    const timed = reports.reduce((sum, report) => sum + report.timed, 0);
    const elapsed = Math.max(...reports.map((report) => report.elapsedMs));
    return {
      commitsPerSecond: (timed * 1000) / elapsed,
      committed: timed,
      conflicts: reports.reduce((sum, report) => sum + report.conflicts, 0),
      rerunsPerCommit: reports.reduce((sum, report) => sum + report.attempts - report.acknowledged, 0) / acknowledged,
    };
  });
}

/** What one latency measurement gathered, in milliseconds. */
export interface LatencyResult {
  /** From the committing node's acknowledgement to the commit's visibility on a follower, one per ping and follower. */
  readonly visible: readonly number[];
  /** The committing node's own `execute`, call to acknowledgement, one per ping. */
  readonly commit: readonly number[];
  /** Pings a follower never saw (none expected). */
  readonly missed: number;
}

/**
 * Node 0 commits `pings` pings one at a time (a random pause of up to `maxPauseMs` between
 * them); the other `nodes - 1` nodes follow and record when each becomes visible to them.
 */
export async function measureLatency(
  setup: BenchSetup,
  config: { readonly nodes: number; readonly pings: number; readonly maxPauseMs: number },
): Promise<LatencyResult> {
  return onFreshSchema(setup, config.nodes, async ([writer, ...followers]) => {
    if (writer === undefined || followers.length === 0) throw new Error('latency needs two nodes at least');
    await Promise.all(followers.map((node) => node.call('follow', {})));
    const pings = await writer.call('ping', { count: config.pings, maxPauseMs: config.maxPauseMs });
    const newest = pings.at(-1)?.version ?? 0;
    const visible: number[] = [];
    let missed = 0;
    for (const follower of followers) {
      await follower.call('state', { version: newest });
      const seen = new Map(await follower.call('followed', {}));
      for (const ping of pings) {
        const at = seen.get(ping.version);
        if (at === undefined) missed++;
        else visible.push(at - ping.acknowledgedAt);
      }
    }
    const versions = pings.map((ping) => ping.version);
    if (versions.some((version, i) => version !== i + 1)) throw new Error(`the pings did not get versions 1..${pings.length}`);
    await checkPings(setup, pings.length);
    return { visible, commit: pings.map((ping) => ping.acknowledgedAt - ping.startedAt), missed };
  });
}

/** The log after the pings: versions 1..count, gapless. */
async function checkPings(setup: BenchSetup, count: number): Promise<void> {
  const admin = new pg.Client(setup.url);
  await admin.connect();
  try {
    const { rows } = await admin.query<{ head: string; count: string; max: string | null }>(
      `SELECT (SELECT version FROM ${SCHEMA}.head) AS head, count(*) AS count, max(version) AS max FROM ${SCHEMA}.commits`,
    );
    const row = rows[0];
    if (Number(row?.head) !== count || Number(row?.count) !== count || Number(row?.max) !== count) {
      throw new Error(`log check failed after ${count} pings: head ${row?.head}, ${row?.count} rows, newest ${row?.max}`);
    }
  } finally {
    await admin.end();
  }
}

/** The `q` quantile (0..1) of a non-empty list, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
