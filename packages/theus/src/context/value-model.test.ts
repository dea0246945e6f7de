import { describe, expect, it } from 'vitest';
import { SchemaViolationError } from '../errors/index.js';
import { isRecord, RECORD_THRESHOLD, recordStoreOf } from './persistent-record.js';
import { isBinary, isPlainObject, isSealed, isSealedFor, sealValue, type SealSite } from './value-model.js';
import type { Zone } from './zones.js';

const site = (path: (string | number)[] = ['domain', 'x'], zone: Zone = 'DATA'): SealSite => ({ who: "Process 'p'", path, zone });
const seal = (value: unknown, path?: (string | number)[], zone?: Zone): unknown => sealValue(value, site(path, zone));

function rejection(value: unknown, path?: (string | number)[], zone?: Zone): SchemaViolationError {
  try {
    seal(value, path, zone);
  } catch (error) {
    if (error instanceof SchemaViolationError) return error;
    throw error;
  }
  throw new Error('sealValue accepted the value');
}

function expectDeepFrozen(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  expect(Object.isFrozen(value)).toBe(true);
  for (const child of Object.values(value)) expectDeepFrozen(child);
}

const keyed = (n: number): Record<string, number> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

class Point {
  constructor(
    readonly x = 1,
    readonly y = 2,
  ) {}
}

describe('sealValue accepts the JSON-like model', () => {
  it.each([null, true, false, 0, -3.5, Number.MAX_VALUE, '', 'text'])('returns the primitive %j as it is', (value) => {
    expect(seal(value)).toBe(value);
  });

  it('returns a deeply frozen copy of plain objects and arrays', () => {
    const input = { a: 1, list: [1, { b: [true, null] }], nested: { s: 'x' } };
    const sealed = seal(input) as typeof input;
    expect(sealed).toEqual(input);
    expect(sealed).not.toBe(input);
    expect(sealed.list).not.toBe(input.list);
    expectDeepFrozen(sealed);
    expect(Object.isFrozen(input)).toBe(false);
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed(sealed.list[1])).toBe(true);
    expect(isSealed(input)).toBe(false);
  });

  it('accepts null-prototype objects and returns ordinary plain objects', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const sealed = seal(bare);
    expect(Object.getPrototypeOf(sealed)).toBe(Object.prototype);
    expect(sealed).toEqual({ a: 1 });
  });

  it('drops object properties that hold undefined, as JSON.stringify does', () => {
    expect(Object.keys(seal({ a: 1, b: undefined }) as object)).toEqual(['a']);
  });

  it('shares sealed parts instead of copying them', () => {
    const part = seal({ deep: { list: [1, 2] } });
    expect(seal(part)).toBe(part);
    const outer = seal({ part, fresh: { n: 1 } }) as { part: unknown; fresh: unknown };
    expect(outer.part).toBe(part);
    expect(seal([part])).toEqual([part]);
    expect((seal([part]) as unknown[])[0]).toBe(part);
  });

  it('accepts the same object twice in a tree (a DAG is not a cycle)', () => {
    const shared = { a: 1 };
    expect(seal({ x: shared, y: [shared, shared] })).toEqual({ x: { a: 1 }, y: [{ a: 1 }, { a: 1 }] });
  });

  it('resolves values through site.unwrap', () => {
    const marker = {};
    const replaced = sealValue({ keep: marker }, { ...site(), unwrap: (v) => (v === marker ? 'resolved' : undefined) });
    expect(replaced).toEqual({ keep: 'resolved' });
  });
});

describe('records', () => {
  it(`keeps objects of up to ${RECORD_THRESHOLD} keys plain and turns larger ones into records`, () => {
    const plain = seal(keyed(RECORD_THRESHOLD));
    expect(isRecord(plain)).toBe(false);
    expect(isPlainObject(plain)).toBe(true);
    const big = seal({ ...keyed(RECORD_THRESHOLD + 1), nested: { a: [1] } }) as Record<string, unknown>;
    expect(isRecord(big)).toBe(true);
    expect(recordStoreOf(big)?.size).toBe(RECORD_THRESHOLD + 2);
    expect(big.k64).toBe(64);
    expectDeepFrozen(big.nested);
    expect(seal(big)).toBe(big);
    expect(isSealed(big)).toBe(true);
  });

  it('does not count keys holding undefined toward the threshold', () => {
    expect(isRecord(seal({ ...keyed(RECORD_THRESHOLD), extra: undefined }))).toBe(false);
  });
});

describe('sealValue rejects values outside the model', () => {
  const cycle: Record<string, unknown> = { a: { b: 1 } };
  (cycle.a as Record<string, unknown>).b = cycle;
  const arrayCycle: unknown[] = [1];
  arrayCycle.push([arrayCycle]);
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , 3];
  const protoKey = JSON.parse('{"ok":1,"__proto__":{"polluted":true}}') as unknown;

  const cases: [string, unknown, string, RegExp][] = [
    ['Date', { when: new Date(0) }, 'domain.x.when', /Date.*toISOString/],
    ['Map', { m: new Map([[1, 2]]) }, 'domain.x.m', /Map.*Object\.fromEntries/],
    ['Set', [new Set([1])], 'domain.x.0', /Set.*Array\.from/],
    ['class instance', { p: new Point() }, 'domain.x.p', /Point.*plain object/],
    ['Array subclass', { l: new (class Items extends Array<number> {})() }, 'domain.x.l', /Items.*plain array/],
    ['function', { f: () => 1 }, 'domain.x.f', /function.*processes/],
    ['symbol', { s: Symbol('s') }, 'domain.x.s', /symbol.*string/],
    ['bigint', { n: 1n }, 'domain.x.n', /bigint.*string or a number/],
    ['top-level undefined', undefined, 'domain.x', /undefined.*null/],
    ['cycle', cycle, 'domain.x.a.b', /cycle/],
    ['array cycle', arrayCycle, 'domain.x.1.0', /cycle/],
    ['NaN', { v: NaN }, 'domain.x.v', /NaN.*finite/],
    ['Infinity', [Infinity], 'domain.x.0', /Infinity.*finite/],
    ['-Infinity', { v: -Infinity }, 'domain.x.v', /-Infinity/],
    ['sparse array', sparse, 'domain.x.1', /holes/],
    ['undefined in an array', [1, undefined], 'domain.x.1', /undefined or holes/],
    ['__proto__ key', protoKey, 'domain.x.__proto__', /__proto__/],
    ['Uint8Array outside HEAVY', { b: new Uint8Array(2) }, 'domain.x.b', /HEAVY/],
    ['ArrayBuffer outside HEAVY', [new ArrayBuffer(4)], 'domain.x.0', /HEAVY/],
    ['DataView outside HEAVY', { d: new DataView(new ArrayBuffer(1)) }, 'domain.x.d', /heavy_/],
    ['boxed string', { s: new String('x') }, 'domain.x.s', /String/],
    ['Promise', { p: Promise.resolve(1) }, 'domain.x.p', /Promise/],
  ];

  it.each(cases)('%s: TX_INVALID_VALUE naming the path and the fix', (_label, value, path, message) => {
    const error = rejection(value);
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.details).toEqual({ path });
    expect(error.message).toContain(`'${path}'`);
    expect(error.message).toContain("Process 'p' wrote");
    expect(error.message).toMatch(message);
  });

  it("names '(root)' for a bad value at the empty path", () => {
    const error = rejection(new Date(), []);
    expect(error.details).toEqual({ path: '(root)' });
    expect(error.message).toContain("'(root)'");
  });

  it('leaves the input untouched when it rejects', () => {
    const input = { ok: { a: 1 }, bad: new Date() };
    rejection(input);
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.isFrozen(input.ok)).toBe(false);
  });
});

describe('binary values in the HEAVY zone', () => {
  it('accepts binaries in HEAVY as they are, never frozen or copied', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const buffer = new ArrayBuffer(8);
    expect(seal(bytes, ['heavy', 'img'], 'HEAVY')).toBe(bytes);
    const sealed = seal({ frames: [bytes], raw: buffer }, ['heavy'], 'HEAVY') as { frames: Uint8Array[]; raw: ArrayBuffer };
    expect(sealed.frames[0]).toBe(bytes);
    expect(sealed.raw).toBe(buffer);
    expect(Object.isFrozen(sealed)).toBe(true);
    expect(Object.isFrozen(bytes)).toBe(false);
    bytes[0] = 9;
    expect(sealed.frames[0]?.[0]).toBe(9);
  });

  it('switches to HEAVY below a heavy_ key inside a DATA value', () => {
    const bytes = new Float64Array(2);
    const sealed = seal({ heavy_buf: bytes, inner: { heavy: { b: bytes } } }) as { heavy_buf: unknown; inner: { heavy: { b: unknown } } };
    expect(sealed.heavy_buf).toBe(bytes);
    expect(sealed.inner.heavy.b).toBe(bytes);
  });

  it('lets the first zone segment win: a heavy key below meta stays META and rejects binaries', () => {
    expect(rejection({ meta: { heavy: new Uint8Array(1) } }).details).toEqual({ path: 'domain.x.meta.heavy' });
  });

  it('isBinary recognises buffers and views only', () => {
    expect(isBinary(new ArrayBuffer(1))).toBe(true);
    expect(isBinary(new SharedArrayBuffer(1))).toBe(true);
    expect(isBinary(new Int16Array(1))).toBe(true);
    expect(isBinary(new DataView(new ArrayBuffer(1)))).toBe(true);
    expect(isBinary([1])).toBe(false);
    expect(isBinary({ byteLength: 1 })).toBe(false);
  });

  // Regression test (fixed bug).
  it('rejects a HEAVY-sealed container holding a binary when it is written outside HEAVY', () => {
    const fromHeavy = seal({ frame: new Uint8Array(1) }, ['heavy', 'frames'], 'HEAVY');
    expect(rejection(fromHeavy, ['domain', 'copy']).code).toBe('TX_INVALID_VALUE');
  });
});

describe('the HEAVY zone holds only binaries', () => {
  it.each([
    ['a number', 1, 'heavy.x'],
    ['a string', 's', 'heavy.x'],
    ['a boolean', false, 'heavy.x'],
    ['a bigint', 1n, 'heavy.x'],
    ['a number in a group', { a: new Uint8Array(1), n: 2 }, 'heavy.x.n'],
    ['a number in an array', [new Uint8Array(1), 3], 'heavy.x.1'],
    ['a Date', new Date(0), 'heavy.x'],
  ])('rejects %s with the HEAVY hint', (_label, value, path) => {
    const error = rejection(value, ['heavy', 'x'], 'HEAVY');
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.details).toEqual({ path, zone: 'HEAVY' });
    expect(error.message).toContain('a HEAVY path');
  });

  it('accepts null and grouping containers of binaries', () => {
    const bytes = new Uint8Array(1);
    const sealed = seal({ a: null, list: [bytes, null], group: {} }, ['heavy'], 'HEAVY') as { list: unknown[] };
    expect(sealed.list[0]).toBe(bytes);
  });

  it('rejects a sealed DATA node written into HEAVY, and keeps a sealed HEAVY group as it is', () => {
    const data = seal({ a: { b: 1 } });
    expect(rejection(data, ['heavy', 'copy'], 'HEAVY').details).toEqual({ path: 'heavy.copy.a.b', zone: 'HEAVY' });
    const group = seal({ a: [new Uint8Array(1)] }, ['heavy', 'g'], 'HEAVY');
    expect(seal(group, ['heavy', 'h'], 'HEAVY')).toBe(group);
    expect(isSealedFor(group, 'HEAVY')).toBe(true);
    expect(isSealedFor(data, 'HEAVY')).toBe(false);
    expect(isSealedFor(null, 'HEAVY')).toBe(true);
    expect(isSealedFor(1, 'HEAVY')).toBe(false);
  });

  it('keeps a sealed DATA node holding a binary below a heavy_ key without copying it', () => {
    const node = seal({ heavy_buf: new Uint8Array(1), n: 1 });
    expect(seal(node, ['domain', 'y'])).toBe(node);
  });

  it('rejects a binary inside a large sealed group (a record) written outside HEAVY, naming its path', () => {
    const entries = Array.from({ length: RECORD_THRESHOLD + 1 }, (_, i) => [`k${i}`, new Uint8Array(1)]);
    const group = seal(Object.fromEntries(entries), ['heavy', 'g'], 'HEAVY');
    expect(isRecord(group)).toBe(true);
    expect(seal(group, ['heavy', 'h'], 'HEAVY')).toBe(group);
    expect(rejection(group, ['domain', 'copy']).details).toEqual({ path: 'domain.copy.k0' });
  });
});

describe('zoneless data (arguments, payloads)', () => {
  const zoneless = (value: unknown): unknown => sealValue(value, { who: 'The run', path: ['args'], zone: 'DATA', zoneless: true });

  it('treats zone prefixes as ordinary keys', () => {
    expect(zoneless({ heavy_mode: true, heavy: { n: 1 }, const_x: 2 })).toEqual({ heavy_mode: true, heavy: { n: 1 }, const_x: 2 });
  });

  it('refuses binaries at any depth, below heavy_ keys too, without suggesting the HEAVY zone', () => {
    for (const value of [{ heavy_blob: new Uint8Array(1) }, [new ArrayBuffer(1)]]) {
      let error: unknown;
      try {
        zoneless(value);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SchemaViolationError);
      expect((error as Error).message).toContain('arguments and payloads are copied and stored');
    }
    const sealed = seal({ heavy_buf: new Uint8Array(1) });
    expect(() => zoneless(sealed)).toThrow(/arguments and payloads/);
  });
});
