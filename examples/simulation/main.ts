/**
 * A simulation step on all cores: four workers fill slices of a 32 MB shared field (the HEAVY
 * zone: one SharedArrayBuffer, no copy to or from the workers) and each commits a summary of its
 * slice; the main thread combines them. Run it with `npm run demo:simulation`.
 */
import { simulateChunk, simulation, summarize } from './simulation.js';

const CHUNKS = 4;
const engine = simulation.engine({
  context: { heavy: {}, domain: { chunks: {} } },
  processes: [simulateChunk, summarize],
  workers: { size: 2 },
});

const field = await engine.heavy.alloc('field', { type: 'float64', length: 4 * 1024 * 1024 });
console.log(`Allocated heavy.field: ${field.length.toLocaleString('en')} cells, ${field.byteLength / 2 ** 20} MB of shared memory`);

const started = performance.now();
await engine.executeParallel(
  simulateChunk,
  Array.from({ length: CHUNKS }, (_, chunk) => ({ chunk, chunks: CHUNKS })),
);
console.log(`${CHUNKS} slices simulated in workers in ${(performance.now() - started).toFixed(0)} ms, version ${engine.version}`);
console.log(`  the workers wrote into the main thread's array: field[12345] = ${field[12345]?.toFixed(4)}`);

const summary = await engine.execute(summarize);
console.log(`Summary: mean ${summary.mean.toFixed(4)}, max ${summary.max.toFixed(4)} over ${summary.cells.toLocaleString('en')} cells`);
await engine.close();
