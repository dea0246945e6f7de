/**
 * Theus benchmarks: guarded reads, and a transfer on a flat and a bucketed account tree, against
 * plain objects, hand-written spreads, Immer and Mutative. Prints tables and target lines only;
 * timings are never asserted. Run with `npm run bench -w theus`.
 *
 * @packageDocumentation
 */
import { enablePatches, setAutoFreeze } from 'immer';
import { guardedReadBench } from './guarded-read.js';
import { printError, target } from './harness.js';
import { transferBucketsBench } from './transfer-buckets.js';
import { transferFlatBench } from './transfer-flat.js';

enablePatches();
setAutoFreeze(true);

const started = performance.now();
console.log(`theus bench: node ${globalThis.process.version}, immer 11.2.10, mutative 2.0.0`);

const read = await guardedReadBench();
if (read.error !== undefined) printError('theus ctx (pure process)', read.error);
const flat = await transferFlatBench();
const buckets = await transferBucketsBench();

const over = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);

console.log('\n== Summary ==');
console.log(target('guarded-read', '<=', 1.5, read.ratio));
console.log(target('flat theus-shadow/immer', '>=', 10, over(flat.get('theus shadow'), flat.get('immer'))));
console.log(target('flat theus-return/immer', '>=', 10, over(flat.get('theus return'), flat.get('immer'))));
console.log(target('buckets theus-shadow/spread', '>=', 1, over(buckets.get('theus shadow'), buckets.get('spread'))));
console.log(target('buckets theus-return/spread', '>=', 1, over(buckets.get('theus return'), buckets.get('spread'))));
console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
