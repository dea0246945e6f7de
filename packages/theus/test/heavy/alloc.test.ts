import { describe, expect, it } from 'vitest';
import type { CommitEvent } from 'theus';
import { codeOf, failure } from '../attacks/expect-failure.js';
import { HEAVY_MAX_BYTES, HEAVY_TYPES, type HeavyType } from '../../src/heavy/index.js';
import { heavyEngine, layerOf } from './heavy-fixture.js';

const EVERY_TYPE: readonly [HeavyType, new (length: number) => ArrayBufferView][] = [
  ['int8', Int8Array],
  ['uint8', Uint8Array],
  ['uint8clamped', Uint8ClampedArray],
  ['int16', Int16Array],
  ['uint16', Uint16Array],
  ['int32', Int32Array],
  ['uint32', Uint32Array],
  ['float32', Float32Array],
  ['float64', Float64Array],
  ['bigint64', BigInt64Array],
  ['biguint64', BigUint64Array],
];
const hasFloat16 = typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function';

describe('engine.heavy.alloc', () => {
  it.each(EVERY_TYPE)('allocates %s on a SharedArrayBuffer and commits that very array at heavy.<name>', async (type, expected) => {
    const { engine, heavy } = heavyEngine();
    const array = await heavy.alloc(`a_${type}`, { type, length: 5 });
    expect(array).toBeInstanceOf(expected);
    expect(array.length).toBe(5);
    expect(array.byteLength).toBe(5 * (expected as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
    expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...(array as unknown as Iterable<unknown>)].every((x) => x === 0 || x === 0n)).toBe(true);
    expect(layerOf(engine)[`a_${type}`]).toBe(array);
    expect(heavy.get(`a_${type}`)).toBe(array);
    expect(Object.isFrozen(array)).toBe(false);
    expect(engine.version).toBe(1);
  });

  it('lists every element type this runtime has (float16 only with Float16Array)', () => {
    const { heavy } = heavyEngine();
    expect(heavy.types).toEqual(HEAVY_TYPES);
    for (const [type] of EVERY_TYPE) expect(heavy.types).toContain(type);
    expect(heavy.types.includes('float16')).toBe(hasFloat16);
  });

  it('allocates an empty array (length 0)', async () => {
    const { engine, heavy } = heavyEngine();
    const empty = await heavy.alloc('empty', { type: 'uint8', length: 0 });
    expect(empty.length).toBe(0);
    expect(layerOf(engine)['empty']).toBe(empty);
  });

  it('commits through the commit path: one commit event and one history entry', async () => {
    const { engine, heavy } = heavyEngine();
    const events: CommitEvent[] = [];
    engine.on('commit', (event) => events.push(event));
    const array = await heavy.alloc('field', { type: 'float32', length: 8 });
    expect(events).toHaveLength(1);
    expect(events[0]?.version).toBe(1);
    expect(events[0]?.patches).toEqual([{ op: 'add', path: ['heavy', 'field'], value: array }]);
    expect(events[0]?.patches[0]?.value).toBe(array);
    const history = engine.history();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 1, writes: ['heavy.field'] });
  });

  it('resolves after the commit: the array is in the state when the promise settles', async () => {
    const { engine, heavy } = heavyEngine();
    const pending = heavy.alloc('later', { type: 'int32', length: 2 });
    const array = await pending;
    expect(engine.state['heavy']).toEqual({ later: array });
  });

  it('creates the heavy layer when the state has none (or holds null there)', async () => {
    for (const context of [{ domain: { n: 0 } }, { heavy: null, domain: { n: 0 } }]) {
      const { engine, heavy } = heavyEngine({ context });
      const array = await heavy.alloc('x', { type: 'uint16', length: 3 });
      expect(engine.state['heavy']).toEqual({ x: array });
      expect(layerOf(engine)['x']).toBe(array);
    }
  });

  it('works in training mode (transactional: false)', async () => {
    const { engine, heavy } = heavyEngine({ transactional: false });
    const array = await heavy.alloc('x', { type: 'float64', length: 4 });
    expect(layerOf(engine)['x']).toBe(array);
    expect(heavy.get('x')).toBe(array);
  });

  it('get returns undefined for a missing name and for a value that is not binary', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(2));
    const { heavy } = heavyEngine({ context: { heavy: { group: { a: shared }, raw: shared.buffer } } });
    expect(heavy.get('missing')).toBeUndefined();
    expect(heavy.get('group')).toBeUndefined();
    expect(heavy.get('raw')).toBe(shared.buffer);
    expect(heavyEngine({ context: { domain: {} } }).heavy.get('x')).toBeUndefined();
  });
});

describe('engine.heavy.alloc: a name in use', () => {
  it('refuses a second alloc of one name (HEAVY_EXISTS) and keeps the first array', async () => {
    const { engine, heavy } = heavyEngine();
    const first = await heavy.alloc('x', { type: 'float32', length: 4 });
    const error = await failure(heavy.alloc('x', { type: 'float32', length: 4 }));
    expect(error.code).toBe('HEAVY_EXISTS');
    expect(error.details).toEqual({ path: 'heavy.x' });
    expect(error.message).toContain("'heavy.x' already holds a Float32Array of 4 elements");
    expect(error.message).toContain('{ replace: true }');
    expect(layerOf(engine)['x']).toBe(first);
    expect(engine.version).toBe(1);
  });

  it('replaces with { replace: true } in one commit; holders of the old array keep it', async () => {
    const { engine, heavy } = heavyEngine();
    const first = await heavy.alloc('x', { type: 'float32', length: 4 });
    first[0] = 7;
    const second = await heavy.alloc('x', { type: 'uint8', length: 2, replace: true });
    expect(second).not.toBe(first);
    expect(layerOf(engine)['x']).toBe(second);
    expect(first[0]).toBe(7);
    expect(engine.version).toBe(2);
    expect(engine.history().at(-1)?.patches).toEqual([{ op: 'replace', path: ['heavy', 'x'], value: second }]);
    // replace on a free name simply allocates.
    expect(layerOf(engine)['y']).toBeUndefined();
    const third = await heavy.alloc('y', { type: 'uint8', length: 1, replace: true });
    expect(layerOf(engine)['y']).toBe(third);
  });

  it('lets one of two concurrent allocs of a name commit; the other gets HEAVY_EXISTS', async () => {
    const { engine, heavy } = heavyEngine();
    const results = await Promise.allSettled([
      heavy.alloc('x', { type: 'int8', length: 1 }),
      heavy.alloc('x', { type: 'int8', length: 2 }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0]?.reason as { code?: string }).code).toBe('HEAVY_EXISTS');
    expect(layerOf(engine)['x']).toBe((fulfilled[0] as PromiseFulfilledResult<unknown>).value);
    expect(engine.version).toBe(1);
  });
});

describe('engine.heavy.alloc: bad input is a typed error naming heavy.<name>, and changes nothing', () => {
  async function expectRefused(
    call: (heavy: ReturnType<typeof heavyEngine>['heavy']) => Promise<unknown>,
    code: string,
    details: Record<string, unknown>,
    message?: RegExp,
  ): Promise<void> {
    const { engine, heavy } = heavyEngine();
    const before = engine.state;
    const error = await failure(call(heavy));
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject(details);
    if (message !== undefined) expect(error.message).toMatch(message);
    expect(engine.state).toBe(before);
    expect(engine.version).toBe(0);
    expect(engine.history()).toEqual([]);
  }

  const known = new RegExp(`use one of ${HEAVY_TYPES.join(', ')}`);
  it.each([
    ['an unknown type', 'float128'],
    ['a type in the wrong case', 'Float32'],
    ['a constructor name', 'Float32Array'],
    ['no type', undefined],
    ['a number', 4],
  ])('%s: HEAVY_INVALID listing the known types', async (_label, type) => {
    await expectRefused(
      (heavy) => heavy.alloc('x', { type: type as HeavyType, length: 1 }),
      'HEAVY_INVALID',
      { path: 'heavy.x', field: 'type', known: HEAVY_TYPES },
      known,
    );
  });

  it.skipIf(hasFloat16)('float16 without Float16Array: HEAVY_INVALID saying the runtime lacks it', async () => {
    await expectRefused(
      (heavy) => heavy.alloc('x', { type: 'float16', length: 1 }),
      'HEAVY_INVALID',
      { path: 'heavy.x', field: 'type' },
      /Float16Array/,
    );
  });

  it.each([
    ['negative', 'float32', -1],
    ['fractional', 'float32', 1.5],
    ['NaN', 'float32', NaN],
    ['Infinity', 'float32', Infinity],
    ['a string', 'float32', '10'],
    ['a bigint', 'float32', 10n],
    ['missing', 'float32', undefined],
    ['over 4 GiB of uint8', 'uint8', HEAVY_MAX_BYTES + 1],
    ['over 4 GiB of float64', 'float64', HEAVY_MAX_BYTES / 8 + 1],
  ])('a length that is %s: HEAVY_INVALID with the bound', async (_label, type, length) => {
    const max = HEAVY_MAX_BYTES / (type === 'uint8' ? 1 : type === 'float64' ? 8 : 4);
    await expectRefused(
      (heavy) => heavy.alloc('x', { type: type as HeavyType, length: length as number }),
      'HEAVY_INVALID',
      { path: 'heavy.x', field: 'length', max },
      new RegExp(`from 0 to ${max}`),
    );
  });

  it.each([
    ['empty', '', 'heavy.'],
    ['dotted', 'a.b', 'heavy.a.b'],
    ['__proto__', '__proto__', 'heavy.__proto__'],
    ['constructor', 'constructor', 'heavy.constructor'],
    ['prototype', 'prototype', 'heavy.prototype'],
    ['starting with a digit', '1x', 'heavy.1x'],
    ['with a space', 'a b', 'heavy.a b'],
    ['too long', 'x'.repeat(129), `heavy.${'x'.repeat(64)}…`],
    ['not a string', 42, 'heavy.<number 42>'],
  ])('a name that is %s: HEAVY_INVALID', async (_label, name, path) => {
    await expectRefused(
      (heavy) => heavy.alloc(name as string, { type: 'uint8', length: 1 }),
      'HEAVY_INVALID',
      { path, field: 'name' },
      /simple key/,
    );
  });

  it("a name given as a path ('heavy.x'): HEAVY_INVALID suggesting the bare name", async () => {
    await expectRefused(
      (heavy) => heavy.alloc('heavy.x', { type: 'uint8', length: 1 }),
      'HEAVY_INVALID',
      { field: 'name' },
      /without 'heavy\.': 'x'/,
    );
  });

  it('accepts a name of exactly 128 characters', async () => {
    const { engine, heavy } = heavyEngine();
    await heavy.alloc('x'.repeat(128), { type: 'uint8', length: 1 });
    expect(Object.keys(layerOf(engine))).toEqual(['x'.repeat(128)]);
  });

  it.each([
    ['null options', null],
    ['an array', []],
    ['a number', 3],
  ])('%s: HEAVY_INVALID', async (_label, options) => {
    await expectRefused(
      (heavy) => heavy.alloc('x', options as never),
      'HEAVY_INVALID',
      { path: 'heavy.x', field: 'options' },
      /\{ type, length, replace\? \}/,
    );
  });

  it('an unknown option (a typo): HEAVY_INVALID naming it', async () => {
    await expectRefused(
      (heavy) => heavy.alloc('x', { type: 'uint8', length: 1, replce: true } as never),
      'HEAVY_INVALID',
      { path: 'heavy.x', field: 'options' },
      /unknown option 'replce'/,
    );
  });

  it('replace that is not a boolean: HEAVY_INVALID', async () => {
    await expectRefused((heavy) => heavy.alloc('x', { type: 'uint8', length: 1, replace: 'yes' as never }), 'HEAVY_INVALID', {
      path: 'heavy.x',
      field: 'replace',
    });
  });

  it("a 'heavy' layer that is not an object of named arrays: HEAVY_INVALID", async () => {
    for (const layer of [[], new Uint8Array(new SharedArrayBuffer(1))]) {
      const { engine, heavy } = heavyEngine({ context: { heavy: layer } });
      const error = await failure(heavy.alloc('x', { type: 'uint8', length: 1 }));
      expect(error.code).toBe('HEAVY_INVALID');
      expect(error.details).toEqual({ path: 'heavy.x', field: 'layer' });
      expect(error.message).toContain("the 'heavy' layer holds");
      expect(engine.version).toBe(0);
    }
  });

  it('after engine.close(): ENGINE_CLOSED', async () => {
    const { engine, heavy } = heavyEngine();
    await engine.close();
    expect(await codeOf(heavy.alloc('x', { type: 'uint8', length: 1 }))).toBe('ENGINE_CLOSED');
  });

  it('get with a name that is not a simple key: HEAVY_INVALID', () => {
    const { heavy } = heavyEngine();
    expect(() => heavy.get('heavy.x')).toThrow(
      expect.objectContaining({ code: 'HEAVY_INVALID', details: { path: 'heavy.heavy.x', field: 'name' } }),
    );
    expect(() => heavy.get('__proto__')).toThrow(expect.objectContaining({ code: 'HEAVY_INVALID' }));
  });
});
