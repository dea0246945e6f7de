/**
 * `npm run torture [-- --trials N]`: the SIGKILL torture of the SQLite store (see `torture.ts`),
 * 1,000 trials by default. Prints a line per 50 trials and a summary; exits 1 on any failure.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { runTorture } from './torture.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '1000' }, writers: { type: 'string', default: '4' } } });
const trials = Number(values.trials);
const started = Date.now();
const report = await runTorture({
  trials,
  writers: Number(values.writers),
  onTrial(result) {
    if (result.problems.length > 0) console.log(`trial ${String(result.trial)} FAILED:\n  ${result.problems.slice(0, 10).join('\n  ')}`);
    if (result.trial % 50 === 0) console.log(`${String(result.trial)}/${String(trials)} trials, file at version ${String(result.version)}`);
  },
});
console.log(
  `${String(report.trials)} trials, ${String(report.failures)} failures; ${String(report.acknowledged)} acknowledged commits checked; ` +
    `${String(report.killedWhileOpening)} kills while opening or recovering; ${String(Math.round((Date.now() - started) / 1000))} s`,
);
process.exitCode = report.failures === 0 ? 0 : 1;
