import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  createRecord,
  DELETED,
  isRecord,
  RECORD_THRESHOLD,
  recordGet,
  recordHas,
  recordKeys,
  recordStoreOf,
  recordToObject,
  recordWith,
  type RecordStore,
} from './persistent-record.js';

const entries = (n: number, prefix = 'k'): [string, number][] => Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]);

function make(n = 100): { facade: Record<string, unknown>; store: RecordStore } {
  const facade = createRecord(entries(n), n) as Record<string, unknown>;
  return { facade, store: recordStoreOf(facade) as RecordStore };
}

function storeOf(facade: object): RecordStore {
  const store = recordStoreOf(facade);
  if (store === undefined) throw new Error('not a record');
  return store;
}

describe('record store functions', () => {
  it('createRecord holds every entry, counts duplicates once, and is recognised', () => {
    const facade = createRecord([...entries(70), ['k3', 'again']], 71);
    const store = storeOf(facade);
    expect(store.size).toBe(70);
    expect(recordGet(store, 'k3')).toBe('again');
    expect(recordGet(store, 'k69')).toBe(69);
    expect(recordGet(store, 'missing')).toBeUndefined();
    expect(recordHas(store, 'k0')).toBe(true);
    expect(recordHas(store, 'k70')).toBe(false);
    expect(recordKeys(store).sort()).toEqual(
      entries(70)
        .map(([k]) => k)
        .sort(),
    );
    expect(store.facade).toBe(facade);
    expect(isRecord(facade)).toBe(true);
    expect(RECORD_THRESHOLD).toBe(64);
  });

  it('recordStoreOf is undefined for anything that is not a facade', () => {
    for (const value of [null, undefined, 1, 'x', {}, [], new Proxy({}, {}), { buckets: [] }]) {
      expect(recordStoreOf(value)).toBeUndefined();
      expect(isRecord(value)).toBe(false);
    }
  });

  it('recordToObject copies into an ordinary plain object', () => {
    const { store } = make(80);
    const plain = recordToObject(store);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.isFrozen(plain)).toBe(false);
    expect(plain).toEqual(Object.fromEntries(entries(80)));
    expect(isRecord(plain)).toBe(false);
  });

  it('recordToObject keeps a "__proto__" key as an own data property', () => {
    const store = storeOf(createRecord([['__proto__', 1], ...entries(70)], 71));
    const plain = recordToObject(store);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.hasOwn(plain, '__proto__')).toBe(true);
  });
});

describe('read-only facade', () => {
  const { facade } = make(100);

  it('reads like a plain object', () => {
    expect(facade.k5).toBe(5);
    expect(facade.nope).toBeUndefined();
    expect('k7' in facade).toBe(true);
    expect('nope' in facade).toBe(false);
    expect(Object.keys(facade)).toHaveLength(100);
    expect({ ...facade }).toEqual(Object.fromEntries(entries(100)));
    expect(JSON.parse(JSON.stringify(facade))).toEqual(Object.fromEntries(entries(100)));
    const seen: string[] = [];
    for (const key in facade) seen.push(key);
    expect(seen.sort()).toEqual(Object.keys(facade).sort());
    expect(Object.fromEntries(Object.entries(facade))).toEqual(Object.fromEntries(entries(100)));
    expect(Object.getOwnPropertyDescriptor(facade, 'k1')).toEqual({ value: 1, writable: false, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(facade, 'nope')).toBeUndefined();
    expect(Object.hasOwn(facade, 'k9')).toBe(true);
    expect(Object.getPrototypeOf(facade)).toBe(Object.prototype);
    expect(Object.prototype.toString.call(facade)).toBe('[object Object]');
  });

  it('rejects every write with a TypeError', () => {
    const f = facade;
    expect(() => {
      f.k1 = 2;
    }).toThrow(TypeError);
    expect(() => {
      f.fresh = 2;
    }).toThrow(/frozen/);
    expect(() => delete f.k1).toThrow(TypeError);
    expect(() => Object.defineProperty(f, 'k1', { value: 3 })).toThrow(TypeError);
    expect(() => Object.setPrototypeOf(f, null)).toThrow(TypeError);
    expect(() => Object.preventExtensions(f)).toThrow(TypeError);
    expect(f.k1).toBe(1);
    expect('fresh' in f).toBe(false);
  });

  // Regression test (fixed bug).
  it('util.inspect shows a plain object', () => {
    const small = createRecord([['only', { n: [1] }]], 1);
    expect(inspect(small)).toBe('{ only: { n: [ 1 ] } }');
    expect(inspect(facade)).not.toMatch(/Proxy|RecordTarget|buckets/);
  });

  // Regression test (fixed bug).
  it('converts to a string like a plain object', () => {
    expect(String(facade)).toBe('[object Object]');
  });

  it('inherits Object.prototype methods like a plain object', () => {
    expect(Reflect.get(facade, 'hasOwnProperty')).toBe(Reflect.get(Object.prototype, 'hasOwnProperty'));
  });
});

describe('recordWith', () => {
  it('copies only the touched bucket and shares every other bucket', () => {
    const { store } = make(200);
    const next = storeOf(recordWith(store, new Map([['k10', 'ten']])));
    expect(next.buckets).not.toBe(store.buckets);
    expect(next.buckets).toHaveLength(store.buckets.length);
    const changed = next.buckets.filter((b, i) => b !== store.buckets[i]);
    expect(changed).toHaveLength(1);
    const bucket = changed[0] ?? [];
    expect(bucket[bucket.indexOf('k10') + 1]).toBe('ten');
    expect(recordGet(store, 'k10')).toBe(10);
    expect(recordGet(next, 'k10')).toBe('ten');
    expect(next.size).toBe(200);
  });

  it('copies a touched bucket once even when several keys of it change', () => {
    const { store } = make(200);
    const sameBucket = recordKeys(store).filter((k) => (store.buckets[0] ?? []).some((entry, i) => i % 2 === 0 && entry === k));
    expect(sameBucket.length).toBeGreaterThan(1);
    const next = storeOf(recordWith(store, new Map(sameBucket.map((k) => [k, -1]))));
    expect(next.buckets.filter((b, i) => b !== store.buckets[i])).toHaveLength(1);
    for (const k of sameBucket) expect(recordGet(next, k)).toBe(-1);
  });

  it('DELETED removes keys; size follows additions, replacements and deletions', () => {
    const { store } = make(100);
    const changes = new Map<string, unknown>([
      ['k1', DELETED],
      ['k2', DELETED],
      ['absent', DELETED],
      ['k3', 'replaced'],
      ['new', 'added'],
    ]);
    const next = storeOf(recordWith(store, changes));
    expect(next.size).toBe(99);
    expect(recordHas(next, 'k1')).toBe(false);
    expect('k2' in next.facade).toBe(false);
    expect(recordHas(next, 'absent')).toBe(false);
    expect(recordGet(next, 'k3')).toBe('replaced');
    expect(recordGet(next, 'new')).toBe('added');
    expect(Object.keys(next.facade)).toHaveLength(99);
    expect(store.size).toBe(100);
    expect(recordHas(store, 'k1')).toBe(true);
  });

  it('keeps the bucket count while the record stays near its target, then rebuilds larger', () => {
    const { store } = make(100);
    expect(store.buckets).toHaveLength(16);
    const modest = storeOf(recordWith(store, new Map(entries(900, 'm'))));
    expect(modest.buckets).toHaveLength(16);
    expect(modest.size).toBe(1000);
    const grown = storeOf(recordWith(modest, new Map(entries(100, 'g'))));
    expect(grown.size).toBe(1100);
    expect(grown.buckets.length).toBeGreaterThan(16);
    expect(grown.mask).toBe(grown.buckets.length - 1);
    expect(grown.buckets.every((b, i) => b !== modest.buckets[i])).toBe(true);
    expect(recordGet(grown, 'g99')).toBe(99);
    expect(recordGet(grown, 'm0')).toBe(0);
    expect(recordKeys(grown)).toHaveLength(1100);
  });
});

type Op = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string };
const keyArb = fc.oneof(fc.constantFrom(...entries(120).map(([k]) => k)), fc.string({ maxLength: 4 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
);

describe('model', () => {
  test.prop([fc.array(fc.array(opArb, { maxLength: 60 }), { maxLength: 12 })])(
    'any batches of set/delete equal the same operations on a Map, and old versions never change',
    (batches) => {
      const model = new Map<string, unknown>(entries(RECORD_THRESHOLD + 1));
      let store = storeOf(createRecord(model, model.size));
      const versions: [RecordStore, Map<string, unknown>][] = [[store, new Map(model)]];
      for (const batch of batches) {
        const changes = new Map<string, unknown>();
        for (const op of batch) {
          changes.set(op.key, op.kind === 'set' ? op.value : DELETED);
          if (op.kind === 'set') model.set(op.key, op.value);
          else model.delete(op.key);
        }
        store = storeOf(recordWith(store, changes));
        versions.push([store, new Map(model)]);
      }
      for (const [version, expected] of versions) {
        expect(version.size).toBe(expected.size);
        expect(recordKeys(version).sort()).toEqual([...expected.keys()].sort());
        for (const [key, value] of expected) expect(recordGet(version, key)).toBe(value);
        expect(recordToObject(version)).toEqual(Object.fromEntries(expected));
      }
    },
  );
});
