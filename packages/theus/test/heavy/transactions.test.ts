import { describe, expect, it } from 'vitest';
import { memoryStore, process } from 'theus';
import { failure } from '../attacks/expect-failure.js';
import { heavyEngine, layerOf } from './heavy-fixture.js';

const sum = process({ name: 'sum', inputs: ['heavy.x'], outputs: ['domain.sum'] }, (ctx) => {
  const x = (ctx.heavy as { x: Float64Array }).x;
  let total = 0;
  for (const value of x) total += value;
  return total;
});

const grow = process({ name: 'grow', inputs: ['heavy.x'], outputs: ['heavy.x'] }, (ctx) => {
  const old = (ctx.heavy as { x: Float64Array }).x;
  const next = new Float64Array(new SharedArrayBuffer((old.length + 1) * 8));
  next.set(old);
  next[old.length] = 1;
  return next;
});

describe('processes and the HEAVY zone', () => {
  it("a process with inputs: ['heavy.x'] receives the committed array itself", async () => {
    const { engine, heavy } = heavyEngine({ processes: [sum] });
    const x = await heavy.alloc('x', { type: 'float64', length: 3 });
    x.set([1, 2, 3]);
    let seen: unknown;
    const look = process({ name: 'look', inputs: ['heavy.x'] }, (ctx) => {
      seen = (ctx.heavy as { x: unknown }).x;
    });
    engine.register(look);
    await engine.execute(look);
    expect(seen).toBe(x);
    await engine.execute(sum);
    expect((engine.state['domain'] as { sum: number }).sum).toBe(6);
  });

  it("a process with outputs: ['heavy.x'] replaces it in one commit", async () => {
    const { engine, heavy } = heavyEngine({ processes: [grow] });
    const x = await heavy.alloc('x', { type: 'float64', length: 2 });
    x.set([4, 5]);
    await engine.execute(grow);
    const next = layerOf(engine)['x'] as Float64Array;
    expect(next).not.toBe(x);
    expect([...next]).toEqual([4, 5, 1]);
    expect(next.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(engine.history().at(-1)).toMatchObject({ process: 'grow', writes: ['heavy.x'] });
    expect(heavy.get('x')).toBe(next);
  });
});

describe('replacing is transactional; writing in place is not', () => {
  it('a run that replaces heavy.x and then throws leaves the old array in place', async () => {
    const { engine, heavy } = heavyEngine();
    const old = await heavy.alloc('x', { type: 'float32', length: 2 });
    const replaceThenFail = process({ name: 'replaceThenFail', outputs: ['heavy.x'] }, (ctx) => {
      (ctx.heavy as Record<string, unknown>)['x'] = new Float32Array(new SharedArrayBuffer(8));
      throw new Error('boom');
    });
    engine.register(replaceThenFail);
    const version = engine.version;
    await expect(engine.execute(replaceThenFail)).rejects.toThrow('boom');
    expect(layerOf(engine)['x']).toBe(old);
    expect(engine.version).toBe(version);
  });

  it('a replacement in a run whose commit is refused (a bad value elsewhere) is rolled back too', async () => {
    const { engine, heavy } = heavyEngine();
    const old = await heavy.alloc('x', { type: 'float32', length: 2 });
    const half = process({ name: 'half', outputs: ['heavy.x', 'domain.when'] }, () => [
      new Float32Array(new SharedArrayBuffer(8)),
      new Date(),
    ]);
    engine.register(half);
    expect((await failure(engine.execute(half))).details).toEqual({ path: 'domain.when' });
    expect(layerOf(engine)['x']).toBe(old);
  });

  it('writes into the array inside a failed run stay (the documented exception)', async () => {
    const { engine, heavy } = heavyEngine();
    const x = await heavy.alloc('x', { type: 'int32', length: 3 });
    const writeThenFail = process({ name: 'writeThenFail', inputs: ['heavy.x'], outputs: ['domain.n'] }, (ctx) => {
      (ctx.heavy as { x: Int32Array }).x[1] = 42;
      throw new Error('boom');
    });
    engine.register(writeThenFail);
    const version = engine.version;
    await expect(engine.execute(writeThenFail)).rejects.toThrow('boom');
    expect(x[1]).toBe(42);
    expect(layerOf(engine)['x']).toBe(x);
    expect(engine.version).toBe(version);
  });

  it('writes in place commit nothing: no version, no history entry, even for an input-only path', async () => {
    const { engine, heavy } = heavyEngine();
    const x = await heavy.alloc('x', { type: 'uint8', length: 2 });
    // The contract guards cannot see inside a binary: an input-only HEAVY path can be written in place.
    const scribble = process({ name: 'scribble', inputs: ['heavy.x'] }, (ctx) => {
      (ctx.heavy as { x: Uint8Array }).x[0] = 7;
    });
    engine.register(scribble);
    await engine.execute(scribble);
    expect(x[0]).toBe(7);
    expect(engine.version).toBe(1);
    expect(engine.history()).toHaveLength(1);
  });
});

describe('time travel shares HEAVY values between versions', () => {
  it('stateAt returns the same array object, with its current contents', async () => {
    const { engine, heavy } = heavyEngine({ store: memoryStore({ capacity: 10 }), processes: [grow] });
    const x = await heavy.alloc('x', { type: 'float64', length: 1 });
    await engine.edit((draft) => {
      (draft['domain'] as { n: number }).n = 1;
    });
    x[0] = 3.5;
    const atAlloc = (await engine.stateAt(1)) as { heavy: { x: Float64Array } };
    const atEdit = (await engine.stateAt(2)) as { heavy: { x: Float64Array } };
    expect(atAlloc.heavy.x).toBe(x);
    expect(atEdit.heavy.x).toBe(x);
    expect(atAlloc.heavy.x[0]).toBe(3.5);
    expect(((await engine.stateAt(0)) as { heavy: object }).heavy).toEqual({});
    await engine.execute(grow);
    const replaced = layerOf(engine)['x'];
    expect(((await engine.stateAt(2)) as { heavy: { x: unknown } }).heavy.x).toBe(x);
    expect(((await engine.stateAt(3)) as { heavy: { x: unknown } }).heavy.x).toBe(replaced);
  });
});
