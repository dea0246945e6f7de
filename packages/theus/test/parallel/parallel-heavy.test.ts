/**
 * The HEAVY zone in workers: a SharedArrayBuffer-backed array in the state is the same memory in
 * the worker (zero copy): the worker's in-place writes are seen by the main thread, and the main
 * thread's writes during the run are seen by the worker.
 */
import { describe, expect, it } from 'vitest';
import { allocate, fill, handshake } from './fixtures/heavy.js';
import { resolveTheusLikeThisProject, workerEngines } from './workers.js';

resolveTheusLikeThisProject();

const engineWith = workerEngines();

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('HEAVY values in a worker', () => {
  it('the state keeps the shared array itself (no copy on the main thread)', () => {
    const field = new Float32Array(new SharedArrayBuffer(64));
    const engine = engineWith({ context: { heavy: { field } }, processes: [fill] });
    expect((engine.state.heavy as { field: Float32Array }).field).toBe(field);
  });

  it('is the same memory: the main thread writes during the run and the worker sees it; the worker writes in place and the main thread sees it', async () => {
    const sync = new Int32Array(new SharedArrayBuffer(16));
    const engine = engineWith({ context: { heavy: { sync } }, processes: [handshake] });
    const run = engine.execute(handshake);
    await until(() => Atomics.load(sync, 0) === 1);
    Atomics.store(sync, 1, 1234);
    Atomics.store(sync, 0, 2);
    Atomics.notify(sync, 0);
    const result = (await run) as { woke: string; seen: number; shared: boolean };
    expect(result).toEqual({ woke: 'ok', seen: 1234, shared: true });
    expect(Atomics.load(sync, 2)).toBe(99);
    expect((engine.state.heavy as { sync: Int32Array }).sync).toBe(sync);
  });

  it('workers fill slices of one shared array in place and commit their summaries', async () => {
    const field = new Float32Array(new SharedArrayBuffer(4 * 1000));
    const engine = engineWith({ context: { heavy: { field }, domain: { filled: 0 } }, processes: [fill] });
    await engine.executeParallel(fill, [
      { from: 0, to: 500 },
      { from: 500, to: 1000 },
    ]);
    expect(field[0]).toBe(0);
    expect(field[499]).toBe(998);
    expect(field[999]).toBe(1998);
    expect(engine.state.domain).toEqual({ filled: 500 });
  });

  it('a HEAVY value a worker makes commits as shared memory', async () => {
    const engine = engineWith({ context: { heavy: {} }, processes: [allocate] });
    await engine.execute(allocate);
    const made = (engine.state.heavy as { made: Float64Array }).made;
    expect(made).toBeInstanceOf(Float64Array);
    expect(made.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(made[0]).toBe(5);
  });
});
