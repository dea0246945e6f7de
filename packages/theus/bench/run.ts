/**
 * Theus benchmarks. Every figure is a ratio against a baseline measured in the same run (plain
 * frozen reads, hand-written spreads, Immer, Mutative, immutable.js, Redux Toolkit, mitt,
 * hand-written JS), because the machines are shared and noisy. Prints tables and target lines
 * only; timings are never asserted. Run with `npm run bench` (`NODE_ENV=production`).
 *
 * The rows of issue 10 (trivial run, flat to 1M, return data, memory, record reads, workflow
 * loops, hub vs mitt) each run in a child process of their own (see child.ts), so the default
 * and training modes never share a process and no row's garbage or JIT state weighs on another.
 *
 * `'theus'` resolves to the built package, as for users: the bench script points tsx at
 * `tsconfig.build.json`, whose lack of `paths` keeps the root tsconfig (which maps `theus` to
 * `src/` for the type checker) out of module resolution.
 *
 * @packageDocumentation
 */
import { enablePatches, setAutoFreeze } from 'immer';
import { auditCheckBench } from './audit.js';
import { auditedRunBench } from './audited-run.js';
import { conditionBench } from './condition.js';
import { contentionBench } from './contention.js';
import { durableCommitRows } from './durable-commits.js';
import { guardedReadBench } from './guarded-read.js';
import { fmt, printError, printTable, target } from './harness.js';
import { hubVsMittRows } from './hub-vs-mitt.js';
import { memoryRows } from './memory.js';
import { recordReadRows } from './record-reads.js';
import { parallelRows } from './parallel.js';
import { recoveryRows } from './recovery.js';
import { returnDataRows } from './return-data.js';
import { signalHubBench } from './signal-hub.js';
import { transferBucketsBench } from './transfer-buckets.js';
import { transferFlatBench } from './transfer-flat.js';
import { transferScaleRows } from './transfer-scale.js';
import { trivialRunRows } from './trivial-run.js';
import { checkCost, typedProgram } from './type-cost.js';
import { workflowLoopRows } from './workflow-loop.js';
import { workflowBench } from './workflow.js';

enablePatches();
setAutoFreeze(true);

const started = performance.now();
console.log(
  `theus bench: node ${globalThis.process.version}, NODE_ENV=${String(globalThis.process.env['NODE_ENV'])}, immer 11.2.10, mutative 2.0.0, ` +
    '@reduxjs/toolkit 2.15.0, xstate 5.33.3, zustand 5.1.0, immutable 5.2.1, mitt 3.0.1, better-sqlite3 12.11.1, piscina 5.3.2',
);
console.log(`theus resolves to ${import.meta.resolve('theus')}`);

/** Runs one section of the bench and prints how long it took. */
async function section<T>(label: string, run: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  console.log(`(${label}: ${((performance.now() - start) / 1000).toFixed(1)} s)`);
  return result;
}

const read = await section('guarded read', guardedReadBench);
if (read.error !== undefined) printError('theus ctx (pure process)', read.error);
const flat = await section('flat transfer', transferFlatBench);
const buckets = await section('bucketed transfer', transferBucketsBench);
await section('audit check', auditCheckBench);
const audited = await section('audited run', auditedRunBench);
const workflow = await section('workflow runner', workflowBench);
const condition = await section('conditions', conditionBench);
const hub = await section('signal hub', signalHubBench);
const contention = await section('contention', contentionBench);

// Record threshold and toPlain: measures the kernel's own structures (imports the source).
const threshold = await section('record threshold', async () => (await import('./record-threshold.js')).recordThresholdBench());

const perProcess = await section('type cost', () => {
  const shape = { layers: 10, fields: 30, depth: 3 };
  const costs = [50, 100].map((processes) => ({ processes, ...checkCost(typedProgram({ ...shape, processes })) }));
  printTable(
    'Type-checking cost of createTheus<State>() (10 layers x 30 fields x 3 levels)',
    ['processes', 'instantiations', 'types', 'check ms', 'errors'],
    costs.map((c) => [String(c.processes), fmt(c.instantiations), fmt(c.types), fmt(c.checkMs), String(c.diagnostics.length)]),
  );
  return ((costs[1]?.instantiations ?? 0) - (costs[0]?.instantiations ?? 0)) / 50;
});

// Issue 10 rows, each family in child processes; each returns its summary lines.
const issueRows: string[] = [];
for (const rows of [trivialRunRows, transferScaleRows, returnDataRows, recordReadRows, workflowLoopRows, hubVsMittRows, memoryRows]) {
  issueRows.push(...(await section(rows.name, rows)));
}
// Issue 11 rows (durable state on SQLite, temp files on the same disk) and issue 12 rows
// (parallel processes, the HEAVY zone), in child processes too.
for (const rows of [durableCommitRows, recoveryRows, parallelRows]) {
  issueRows.push(...(await section(rows.name, rows)));
}

console.log('\n== Summary ==');
console.log(target('guarded-read', '<=', 1.5, read.ratio));
console.log(target('flat theus-shadow/immer', '>=', 10, flat.ratio('theus shadow', 'immer')));
console.log(target('flat theus-return/immer', '>=', 10, flat.ratio('theus return', 'immer')));
console.log(target('buckets theus-shadow/spread', '>=', 1, buckets.ratio('theus shadow', 'spread')));
console.log(target('buckets theus-return/spread', '>=', 1, buckets.ratio('theus return', 'spread')));
console.log(target('audited run / unaudited run (5 rules)', '<=', 1.3, audited.ratio));
console.log(target('1,000-step workflow / direct calls', '<=', 1.5, workflow.ratio));
console.log(target('condition / hand-written JS (worst case)', '<=', 5, condition.ratio));
console.log(target('signal hub, 1 subscriber (millions msg/s)', '>=', 5, hub.one === undefined ? undefined : hub.one / 1e6));
console.log(target('contention, 100 writers on one field: theus/mutex', '>=', 0.25, contention.one));
console.log(`CONTENTION failed runs (one field + one field per writer): ${contention.failures} (target 0)`);
for (const p of threshold.plain) {
  console.log(target(`toPlain ${fmt(p.n)}-key record: JSON round trip / toPlain`, '>=', 1, p.vsJson));
  console.log(target(`toPlain ${fmt(p.n)}-key record: hand spread / toPlain`, '>=', 1, p.vsSpread));
}
console.log(`TYPE-COST instantiations per typed process: ${fmt(perProcess)} (budget 1,500, asserted in test/type-cost.test.ts)`);
for (const line of issueRows) console.log(line);
console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
