/**
 * Two engines in one process on one PostgreSQL schema (the store's `shared` commit path, seen
 * from the engine): conflicts decided in the database re-run the run that lost, each engine
 * applies the other's commits, compare-and-swap and strict CAS across engines, the outbox held by
 * one engine at a time. Multi-process runs are in test/nodes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine, process, type ConflictEvent } from 'theus';
import { postgresStore } from 'theus/store/postgres';
import { dropSchema, NEEDS_PG, PG_URL, pgAvailable, uniqueSchema } from '../store/postgres/pg-test-db.js';

const available = await pgAvailable();

interface State {
  domain: { counter: number; a: number; b: number; log: string[] };
}
const context: State = { domain: { counter: 0, a: 0, b: 0, log: [] } };

const increment = process({ name: 'increment', inputs: ['domain.counter'], outputs: ['domain.counter'] }, (ctx) => {
  ctx.domain.counter += 1;
});
const setA = process({ name: 'setA', inputs: [], outputs: ['domain.a'] }, (ctx, { value }: { value: number }) => {
  ctx.domain.a = value;
});
const setB = process({ name: 'setB', inputs: [], outputs: ['domain.b'] }, (ctx, { value }: { value: number }) => {
  ctx.domain.b = value;
});
const order = process({ name: 'order', inputs: ['domain.log'], outputs: ['domain.log'] }, (ctx, { id }: { id: string }) => {
  ctx.domain.log.push(id);
  ctx.outbox.add('orders', { id });
});
/** How many times `countedIncrement` ran (first attempts and re-runs). */
let counted = 0;
const countedIncrement = process({ name: 'countedIncrement', inputs: ['domain.counter'], outputs: ['domain.counter'] }, (ctx) => {
  counted++;
  ctx.domain.counter += 1;
});
/** What the slow increment waits for after reading, on its first attempt. */
let gate: Promise<void> = Promise.resolve();
const slowIncrement = process({ name: 'slowIncrement', inputs: ['domain.counter'], outputs: ['domain.counter'] }, async (ctx) => {
  const seen = ctx.domain.counter;
  const waiting = gate;
  gate = Promise.resolve();
  await waiting;
  ctx.domain.counter = seen + 1;
});

const schemas: string[] = [];
const engines: Engine<State>[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await Promise.all(schemas.splice(0).map((schema) => dropSchema(schema)));
});

async function pair(options: { strictCas?: boolean } = {}): Promise<[Engine<State>, Engine<State>]> {
  const schema = uniqueSchema();
  schemas.push(schema);
  const open = (): Promise<Engine<State>> =>
    Engine.open<State>({
      context,
      processes: [increment, setA, setB, slowIncrement, order, countedIncrement],
      store: postgresStore({ url: PG_URL, schema }),
      ...options,
    });
  const first = await open();
  const second = await open();
  engines.push(first, second);
  return [first, second];
}

/** Resolves once `engine` reached `version` (it applies the other engine's commits as they are notified). */
async function reach(engine: Engine<State>, version: number): Promise<void> {
  for (let i = 0; i < 500 && engine.version < version; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(engine.version).toBe(version);
}

describe.skipIf(!available)(`two engines on one PostgreSQL schema ${NEEDS_PG}`, () => {
  it('apply each other’s commits in one version order', async () => {
    const [a, b] = await pair();
    await a.execute(setA, { value: 1 });
    await b.execute(setB, { value: 2 });
    await reach(a, 2);
    await reach(b, 2);
    expect(a.state).toEqual(b.state);
    expect(a.state.domain).toMatchObject({ a: 1, b: 2 });
  });

  it('re-runs a run whose commit lost to the other engine’s, losing no increment', async () => {
    const [a, b] = await pair();
    const conflicts: ConflictEvent[] = [];
    a.on('conflict', (event) => conflicts.push(event));
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    const slow = a.execute(slowIncrement);
    await b.execute(increment);
    release();
    await slow;
    await reach(b, 2);
    expect(a.state.domain.counter).toBe(2);
    expect(b.state.domain.counter).toBe(2);
    expect(conflicts.length).toBeGreaterThan(0);
  });

  it('loses no increment under concurrent writers on both engines', async () => {
    const [a, b] = await pair();
    const runs = [a, b].flatMap((engine) => Array.from({ length: 40 }, () => engine.execute(increment)));
    await Promise.all(runs);
    await reach(a, 80);
    await reach(b, 80);
    expect(a.state.domain.counter).toBe(80);
    expect(b.state.domain.counter).toBe(80);
  });

  it('commits disjoint writes of both engines without conflicts', async () => {
    const [a, b] = await pair();
    let conflicts = 0;
    a.on('conflict', () => conflicts++);
    b.on('conflict', () => conflicts++);
    await Promise.all(Array.from({ length: 30 }, (_, i) => [a.execute(setA, { value: i + 1 }), b.execute(setB, { value: i + 1 })]).flat());
    await reach(a, 60);
    await reach(b, 60);
    expect(conflicts).toBe(0);
    expect(a.state).toEqual(b.state);
  });

  it('checks compareAndSwap against the other engine’s commits', async () => {
    const [a, b] = await pair();
    const v0 = a.version;
    await b.execute(setA, { value: 5 });
    await expect(a.compareAndSwap(v0, { data: { 'domain.a': 7 } })).rejects.toMatchObject({ code: 'TX_CONFLICT' });
    await reach(a, 1);
    expect(await a.compareAndSwap(v0, { data: { 'domain.b': 7 } })).toBe(2);
    await reach(b, 2);
    expect(b.state.domain).toMatchObject({ a: 5, b: 7 });
  });

  it('a new engine starts from the stored state, not its own context', async () => {
    const [a] = await pair();
    await a.execute(setA, { value: 9 });
    const schema = schemas[0] as string;
    const late = await Engine.open<State>({
      context: { domain: { counter: 99, a: 0, b: 0, log: [] } },
      store: postgresStore({ url: PG_URL, schema }),
    });
    engines.push(late);
    expect(late.version).toBe(1);
    expect(late.state.domain).toMatchObject({ a: 9, counter: 0 });
  });
  it('orders commits by version, not by the clocks of the nodes that made them', async () => {
    const [a, b] = await pair();
    const realNow = Date.now.bind(Date);
    // Node a's clock runs a day behind while it commits: its commit still comes after b's.
    await b.execute(setB, { value: 1 });
    await reach(a, 1);
    const skew = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 86_400_000);
    try {
      await a.execute(setA, { value: 2 });
    } finally {
      skew.mockRestore();
    }
    await reach(b, 2);
    expect(b.state.domain).toMatchObject({ a: 2, b: 1 });
    const [first, second] = b.history();
    expect([first?.process, second?.process]).toEqual(['setB', 'setA']);
    expect((second?.time ?? 0) < (first?.time ?? 0)).toBe(true);
  });
  it('delivers a message left undelivered once, by one of the nodes that open later', async () => {
    const [a, b] = await pair();
    await a.execute(order, { id: 'o1' });
    await Promise.all([a.close(), b.close()]);
    const schema = schemas[0] as string;
    const delivered: string[] = [];
    const late = await Promise.all(
      [1, 2].map(async () => {
        const engine = await Engine.open<State>({ context, processes: [order], store: postgresStore({ url: PG_URL, schema }) });
        engines.push(engine);
        engine.outbox.on('orders', (message) => {
          delivered.push(message.id);
        });
        return engine;
      }),
    );
    for (let i = 0; i < 200 && delivered.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all(late.map((engine) => engine.close()));
    expect(delivered).toEqual(['v1.0']);
  });
  it('reports every run the database refused as a conflict, and counts it', async () => {
    const [a, b] = await pair();
    let conflicts = 0;
    a.on('conflict', () => conflicts++);
    b.on('conflict', () => conflicts++);
    counted = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).execute(countedIncrement)));
    await reach(a, 20);
    expect(a.state.domain.counter).toBe(20);
    // Each run beyond the 20 that committed is a re-run after a conflict, and was reported.
    expect(conflicts).toBe(counted - 20);
  });

  it('gives up with ConflictError when maxRetries is 0 and the database refused the first attempt', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const open = (): Promise<Engine<State>> =>
      Engine.open<State>({
        context,
        processes: [countedIncrement],
        conflict: { maxRetries: 0 },
        store: postgresStore({ url: PG_URL, schema }),
      });
    const [a, b] = [await open(), await open()];
    engines.push(a, b);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).execute(countedIncrement)));
    const failed = results.filter((result) => result.status === 'rejected');
    expect(failed.every((result) => (result.reason as { code?: unknown }).code === 'TX_CONFLICT')).toBe(true);
    await reach(a, results.length - failed.length);
    expect(a.state.domain.counter).toBe(results.length - failed.length);
  });
});
