/**
 * Parallel processes run in worker threads and commit on the main thread through the normal
 * commit path: their writes, signals, outbox messages and logs; many runs at once lose nothing;
 * `executeParallel` keeps order; workflow `flux: parallel` branches use the pool.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { echo, explicit, increment, record, spin, summarize, whereAmI } from './fixtures/processes.js';
import { resolveTheusLikeThisProject, workerEngines } from './workers.js';

resolveTheusLikeThisProject();

const engineWith = workerEngines();

describe('a parallel process', () => {
  it('runs in a worker thread and commits its writes, signal, outbox message and log on the main thread', async () => {
    const engine = engineWith({ context: { domain: { items: ['a'] } }, processes: [record] });
    const signals: unknown[] = [];
    const logs: string[] = [];
    engine.on('commit', (event) => logs.push(...event.logs));
    const subscription = engine.signals.subscribe(['recorded']);
    const delivered: unknown[] = [];
    engine.outbox.on('items.recorded', (message) => void delivered.push(message.payload));
    await engine.execute(record, { item: 'b' });
    expect(engine.state.domain).toEqual({ items: ['a', 'b'], last: { item: 'b', count: 2, threadId: expect.any(Number) } });
    expect((engine.state.domain as { last: { threadId: number } }).last.threadId).toBeGreaterThan(0);
    expect(Object.isFrozen(engine.state.domain)).toBe(true);
    expect(engine.version).toBe(1);
    expect(logs).toEqual(['recorded b']);
    const next = await subscription.next();
    signals.push(next.value?.payload);
    expect(signals).toEqual([{ item: 'b' }]);
    await expect.poll(() => delivered).toEqual([{ item: 'b' }]);
    expect(engine.history().at(-1)).toMatchObject({ process: 'record', args: { item: 'b' } });
  });

  it('returns an explicit update() from the worker', async () => {
    const engine = engineWith({ context: { domain: { items: ['x', 'y'] } }, processes: [summarize] });
    const thread = await engine.execute(summarize);
    expect(thread).toBeGreaterThan(0);
    expect(engine.state.domain).toMatchObject({ summary: 'x,y' });
  });

  it('runs with module: import.meta.url given explicitly', async () => {
    const engine = engineWith({ context: { domain: {} }, processes: [explicit] });
    await engine.execute(explicit);
    expect(engine.state.domain).toEqual({ explicit: true });
  });

  it('N runs incrementing one field at once lose nothing: conflicts re-run the worker on a fresh snapshot', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [increment] });
    let conflicts = 0;
    engine.on('conflict', () => conflicts++);
    const results = await engine.executeParallel(
      increment,
      Array.from({ length: 12 }, () => undefined),
    );
    expect(engine.state.domain).toEqual({ counter: 12 });
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(conflicts).toBeGreaterThan(0);
    expect(engine.version).toBe(12);
  });

  it('executeParallel resolves to the results in the order of its arguments, on several threads', async () => {
    const engine = engineWith({ processes: [spin, echo] });
    const results = await engine.executeParallel(spin, [{ n: 3 }, { n: 1 }, { n: 2 }, { n: 1 }]);
    expect(results.map((r) => r.x)).toEqual([3, 1, 2, 1].map((n) => spinValue(n)));
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    const echoed = await engine.executeParallel(echo, [{ a: 1 }, { b: [2, 3] }, { c: new Date(0) }]);
    expect(echoed).toEqual([{ a: 1 }, { b: [2, 3] }, { c: new Date(0) }]);
  });

  it('executeParallel settles every run before rejecting with the first failure; the others commit', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [increment, echo] });
    const error = await engine.executeParallel(echo, [{ ok: 1 }, { bad: () => 1 }, { bad: Symbol('x') }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'POOL_UNCLONEABLE', details: { path: 'args.bad' } });
    await expect(engine.executeParallel(echo, 'nope' as never)).rejects.toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
  });

  it('flux: parallel branches run parallel processes in the pool', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [increment, whereAmI] });
    const run = await engine.executeWorkflow(
      'steps:\n  - flux: parallel\n    branches: [[increment, increment], [increment], [whereAmI]]\n',
    );
    expect(run.status).toBe('complete');
    expect(engine.state.domain).toEqual({ counter: 3 });
  });

  it('engine.close() waits for the parallel runs in flight (the first one loading the pool), then stops the pool', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [increment] });
    const runs = engine.executeParallel(increment, [undefined, undefined, undefined]);
    await engine.close();
    expect(engine.state.domain).toEqual({ counter: 3 });
    expect(await runs).toHaveLength(3);
    await expect(engine.execute(increment)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('engine.scan() finds parallel processes, which run in the pool', async () => {
    const engine = engineWith({});
    expect(await engine.scan(fileURLToPath(new URL('./fixtures/scanned/', import.meta.url)))).toEqual(['doubled']);
    const result = (await engine.execute('doubled', { n: 21 })) as { value: number; threadId: number };
    expect(result.value).toBe(42);
    expect(result.threadId).toBeGreaterThan(0);
  });

  it('a relaxed engine (strict: false) sends the whole state and commits what the process wrote', async () => {
    const engine = engineWith({ strict: false, context: { domain: { counter: 5 }, other: { x: 1 } }, processes: [increment] });
    expect(await engine.execute(increment)).toBe(6);
    expect(engine.state).toEqual({ domain: { counter: 6 }, other: { x: 1 } });
  });

  it('a training-mode engine runs parallel processes inline', async () => {
    const engine = engineWith({ transactional: false, context: { domain: { counter: 0 } }, processes: [increment, whereAmI] });
    expect(await engine.execute(increment)).toBe(1);
    expect(await engine.execute(whereAmI)).toBe(0);
  });

  it('commits through the audit gates and the schema like any run', async () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => {
          const counter = (value as { domain?: { counter?: number } }).domain?.counter ?? 0;
          return counter > 1 ? { issues: [{ message: 'counter too high', path: ['domain', 'counter'] }] } : { value };
        },
      },
    };
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [increment], schema });
    await engine.execute(increment);
    await expect(engine.execute(increment)).rejects.toMatchObject({ code: 'TX_SCHEMA' });
    expect(engine.state.domain).toEqual({ counter: 1 });
  });
});

function spinValue(n: number): number {
  let x = 0;
  for (let i = 0; i < n * 1_000_000; i++) x += Math.sqrt(i % 1000);
  return Math.round(x);
}
