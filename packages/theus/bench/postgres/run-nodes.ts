/**
 * `npm run bench:pg-nodes -w theus`: the PostgreSQL store with several node processes on one
 * schema (see `nodes.ts`). Commits per second with 1, 2 and 4 nodes, on disjoint paths and on one
 * hot path (`--writers` concurrent runs per node, `--ms` per round, `--rounds` rounds with the
 * configurations interleaved, medians), and the catch-up latency from a commit acknowledged on
 * one node to the moment a `commit` listener on another sees it (`--pings` pings per round,
 * pooled over the rounds: median and p99). Every measurement checks the log (gapless versions,
 * counters equal to the acknowledged commits). Prints a table and target lines; asserts nothing.
 * `--nodes 1,2` measures fewer node counts; `--pause` is the longest pause between pings (ms).
 *
 * `THEUS_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) names the server; the
 * bench makes and drops its own schema (`theus_bench_nodes`). The nodes load `theus` from `dist/`:
 * the script builds it first.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { fmt, median, printTable, target } from '../harness.js';
import { BenchNode, measureLatency, measureThroughput, quantile, type BenchSetup } from './nodes.js';

const { values } = parseArgs({
  options: {
    ms: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    writers: { type: 'string', default: '4' },
    pings: { type: 'string', default: '300' },
    pause: { type: 'string', default: '10' },
    nodes: { type: 'string', default: '1,2,4' },
  },
});
const MS = Number(values.ms);
const ROUNDS = Number(values.rounds);
const WRITERS = Number(values.writers);
const PINGS = Number(values.pings);
const MAX_PAUSE_MS = Number(values.pause);
const WARMUP_MS = 300;
const NODES = values.nodes.split(',').map(Number);
const FOLLOWERS = [1, 3].filter((followers) => NODES.includes(followers + 1));

const url = process.env.THEUS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const nodes = Array.from({ length: Math.max(...NODES) }, () => new BenchNode());
await Promise.all(nodes.map((node) => node.up));
const setup: BenchSetup = { url, nodes };

interface Config {
  readonly nodes: number;
  readonly hot: boolean;
}
const configs: Config[] = NODES.flatMap((count) => [false, true].map((hot) => ({ nodes: count, hot })));
const rates = new Map<Config, number[]>(configs.map((config) => [config, []]));
const reruns = new Map<Config, number[]>(configs.map((config) => [config, []]));
const visible = new Map<number, number[]>(FOLLOWERS.map((followers) => [followers, []]));
const commit: number[] = [];
let missed = 0;

console.log(
  `PostgreSQL store, node processes on one schema: node ${process.version}, ${availableParallelism()} cores shared with the server; ` +
    `${WRITERS} writers per node, ${ROUNDS} interleaved rounds of ${MS / 1000} s (after ${WARMUP_MS} ms of warm-up), ${PINGS} pings per round`,
);
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, in a different order each round, so a noisy minute does not land on one configuration.
    const order = round % 2 === 0 ? configs : [...configs].reverse();
    for (const config of order) {
      const result = await measureThroughput(setup, { ...config, writers: WRITERS, ms: MS, warmupMs: WARMUP_MS });
      rates.get(config)?.push(result.commitsPerSecond);
      reruns.get(config)?.push(result.rerunsPerCommit);
    }
    for (const followers of FOLLOWERS) {
      const result = await measureLatency(setup, { nodes: followers + 1, pings: PINGS, maxPauseMs: MAX_PAUSE_MS });
      visible.get(followers)?.push(...result.visible);
      if (followers === 1) commit.push(...result.commit);
      missed += result.missed;
    }
    console.log(`round ${round + 1}/${ROUNDS} done`);
  }
} finally {
  await Promise.all(nodes.map((node) => node.stop()));
}

const configOf = (count: number, hot: boolean): Config | undefined =>
  configs.find((config) => config.nodes === count && config.hot === hot);
const samplesOf = (count: number, hot: boolean): readonly number[] => rates.get(configOf(count, hot) as Config) ?? [];
const rate = (count: number, hot: boolean): number => (samplesOf(count, hot).length === 0 ? Number.NaN : median(samplesOf(count, hot)));
const rerun = (count: number, hot: boolean): number => median(reruns.get(configOf(count, hot) as Config) ?? [Number.NaN]);
printTable(
  'commits/s (median), re-runs per commit in brackets',
  ['paths', ...NODES.map((count) => `${count} node${count === 1 ? '' : 's'}`), '4 / 1'],
  [false, true].map((hot) => [
    hot ? 'one hot' : 'disjoint',
    ...NODES.map((count) => `${fmt(rate(count, hot))} (${fmt(rerun(count, hot), 2)})`),
    Number.isFinite(rate(4, hot) / rate(1, hot)) ? `${fmt(rate(4, hot) / rate(1, hot), 2)}x` : 'n/a',
  ]),
);
console.log(
  `rounds: ${configs
    .map(
      (config) =>
        `${config.hot ? 'hot' : 'disjoint'}/${config.nodes} ${samplesOf(config.nodes, config.hot)
          .map((v) => fmt(v))
          .join(' ')}`,
    )
    .join('; ')}`,
);
printTable(
  `catch-up: a commit acknowledged on one node → visible on another (commit listener), ms, ${PINGS * ROUNDS} pings`,
  ['followers', 'median', 'p90', 'p99', 'max'],
  FOLLOWERS.map((followers) => {
    const samples = visible.get(followers) ?? [];
    return [String(followers), ...[0.5, 0.9, 0.99, 1].map((q) => fmt(quantile(samples, q), 2))];
  }),
);
console.log(
  `the committing node's own execute(), call to acknowledgement: median ${fmt(quantile(commit, 0.5), 2)} ms, p99 ${fmt(quantile(commit, 0.99), 2)} ms; ` +
    `pings never seen by a follower: ${missed}`,
);
console.log('every measurement checked: log versions gapless, counters equal to the acknowledged commits');
const disjoint = rate(4, false) / rate(1, false);
console.log(target('disjoint paths, 4 nodes / 1 node', '>=', 1.5, disjoint, `${fmt(rate(1, false))} → ${fmt(rate(4, false))} commits/s`));
const p99 = quantile(visible.get(1) ?? [], 0.99);
console.log(target('catch-up p99, 1 follower', '<=', 20, p99, `median ${fmt(quantile(visible.get(1) ?? [], 0.5), 2)} ms`, 'ms'));
const p99Three = quantile(visible.get(3) ?? [], 0.99);
console.log(target('catch-up p99, 3 followers', '<=', 20, p99Three, `median ${fmt(quantile(visible.get(3) ?? [], 0.5), 2)} ms`, 'ms'));
