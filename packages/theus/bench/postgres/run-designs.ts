/**
 * Measures the two commit designs of the PostgreSQL store on this machine's server: commits per
 * second with 1, 2 and 4 node processes (4 runs each, one group per round trip), on disjoint paths
 * and on one hot path; the configurations interleaved over rounds, medians reported. Every
 * measurement also checks the log: versions gapless, one commit row per version.
 *
 * `THEUS_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) names the server; the
 * bench makes and drops its own schema. Run: `npm run bench:pg-designs -w theus`.
 */
import { fork } from 'node:child_process';
import pg from 'pg';
import { median } from '../harness.js';
import type { NodeReport, NodeTask } from './design-node.js';
import { DESIGNS, SCHEMA, setupSql, type Design } from './designs.js';

const URL_ = process.env.THEUS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NODES = [1, 2, 4] as const;
const WRITERS = 4;
const MS = 2_000;
const ROUNDS = 3;

interface Config {
  readonly design: Design;
  readonly nodes: number;
  readonly hot: boolean;
}

function runNode(task: NodeTask): Promise<NodeReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./design-node.ts', import.meta.url), { stdio: 'inherit' });
    child.once('message', (report: NodeReport) => resolve(report));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`node ${task.node} exited with ${String(code)}`))));
    child.send(task);
  });
}

async function measure(config: Config): Promise<number> {
  const admin = new pg.Client(URL_);
  await admin.connect();
  try {
    await admin.query(setupSql(config.design));
    const reports = await Promise.all(
      Array.from({ length: config.nodes }, (_, node) =>
        runNode({ url: URL_, design: config.design, node, writers: WRITERS, hot: config.hot, ms: MS }),
      ),
    );
    const { rows } = await admin.query<{ head: string; count: string }>(
      `SELECT (SELECT version FROM ${SCHEMA}.head) AS head, (SELECT count(*) FROM ${SCHEMA}.commits) AS count`,
    );
    const committed = reports.reduce((sum, r) => sum + r.committed, 0);
    const head = Number(rows[0]?.head);
    if (head !== committed || Number(rows[0]?.count) !== committed)
      throw new Error(`log mismatch: head ${head}, rows ${rows[0]?.count}, acknowledged ${committed}`);
    return committed / (MS / 1000);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

const configs: Config[] = DESIGNS.flatMap((design) => NODES.flatMap((nodes) => [false, true].map((hot) => ({ design, nodes, hot }))));
const samples = new Map<Config, number[]>(configs.map((c) => [c, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, in a different order each round, so a noisy minute does not land on one design.
  const order = round % 2 === 0 ? configs : [...configs].reverse();
  for (const config of order) samples.get(config)?.push(await measure(config));
}
console.log(
  `PostgreSQL commit designs: commits/s, median of ${ROUNDS} runs of ${MS / 1000} s, ${WRITERS} runs per node, one group per round trip`,
);
console.log('design        paths     1 node   2 nodes  4 nodes  4/1');
for (const design of DESIGNS) {
  for (const hot of [false, true]) {
    const perNodes = NODES.map((nodes) =>
      median(samples.get(configs.find((c) => c.design === design && c.nodes === nodes && c.hot === hot)!) ?? []),
    );
    const cells = perNodes.map((v) => String(Math.round(v)).padStart(7)).join('  ');
    console.log(
      `${design.padEnd(13)} ${(hot ? 'one hot' : 'disjoint').padEnd(9)} ${cells}  ${((perNodes[2] ?? 0) / (perNodes[0] || 1)).toFixed(2)}x`,
    );
  }
}
