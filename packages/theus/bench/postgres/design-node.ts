/**
 * One node of the designs bench (a child process): `writers` runs, each with one commit pending at
 * a time; the node sends every pending commit in one group per round trip (the engine's group
 * commit) until the deadline, then reports what it committed.
 */
import pg from 'pg';
import { SCHEMA, type Design } from './designs.js';

/** What the parent sends. */
export interface NodeTask {
  readonly url: string;
  readonly design: Design;
  readonly node: number;
  readonly writers: number;
  readonly hot: boolean;
  readonly ms: number;
}

/** What a node reports. */
export interface NodeReport {
  readonly committed: number;
  readonly conflicts: number;
  readonly aborts: number;
}

/** The errors a `serializable` group is retried after. */
const RETRIED: ReadonlySet<string> = new Set(['40001', '40P01', '23505']);

async function runNode(task: NodeTask): Promise<NodeReport> {
  const client = new pg.Client(task.url);
  await client.connect();
  if (task.design === 'lock-async') await client.query('SET synchronous_commit = off');
  const runs = Array.from({ length: task.writers }, (_, w) => ({ path: task.hot ? 'domain.hot' : `domain.n${task.node}_${w}`, start: 0 }));
  let committed = 0;
  let conflicts = 0;
  let aborts = 0;
  const deadline = Date.now() + task.ms;
  while (Date.now() < deadline) {
    const batch = runs.map((run) => ({
      start: run.start,
      paths: [run.path],
      process: 'bench',
      patches: [{ op: 'replace', path: run.path.split('.'), value: 1 }],
    }));
    let versions: number[];
    try {
      if (task.design === 'serializable') await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      const { rows } = await client.query<{ v: string[] }>(`SELECT ${SCHEMA}.append($1) AS v`, [JSON.stringify(batch)]);
      if (task.design === 'serializable') await client.query('COMMIT');
      versions = (rows[0]?.v ?? []).map(Number);
      // The barrier: acknowledged only once a synchronous commit after the group is on disk.
      if (task.design === 'lock-async') {
        await client.query(
          `BEGIN; SET LOCAL synchronous_commit = on; UPDATE ${SCHEMA}.nodes SET durable = (SELECT version FROM ${SCHEMA}.head WHERE id = 1) WHERE id = ${String(task.node)}; COMMIT`,
        );
      }
    } catch (error) {
      if (task.design === 'serializable') await client.query('ROLLBACK').catch(() => undefined);
      // A serialization failure, or the unique version two concurrent groups both took (which
      // PostgreSQL reports as a unique violation rather than 40001 in some interleavings).
      if (!RETRIED.has((error as { code?: string }).code ?? '')) throw error;
      aborts++;
      continue;
    }
    const newest = Math.max(...versions);
    versions.forEach((version, i) => {
      const run = runs[i];
      if (run === undefined) return;
      if (version > 0) {
        committed++;
        run.start = version;
      } else {
        conflicts++; // the run re-runs on the fresh state: its new start is the newest version known
        run.start = Math.max(run.start, newest);
      }
    });
    if (versions.includes(0)) {
      const { rows } = await client.query<{ version: string }>(`SELECT version FROM ${SCHEMA}.head WHERE id = 1`);
      const head = Number(rows[0]?.version ?? 0);
      for (const run of runs) run.start = Math.max(run.start, head);
    }
  }
  await client.end();
  return { committed, conflicts, aborts };
}

process.once('message', (task: NodeTask) => {
  runNode(task).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
