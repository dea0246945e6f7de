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
  recordPlainView,
  recordReadValue,
  recordStoreOf,
  recordToObject,
  recordWith,
  type RecordStore,
} from './persistent-record.js';
import { CHUNK_SIZE, type Bucket } from './record-store.js';

const entries = (n: number, prefix = 'k'): [string, number][] => Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]);

function make(n = 100): { facade: Record<string, unknown>; store: RecordStore } {
  const facade = createRecord(entries(n), n) as Record<string, unknown>;
  return { facade, store: recordStoreOf(facade) as RecordStore };
}

/** Every bucket of a store, in index order. */
const bucketsOf = (store: RecordStore): readonly Bucket[] => store.index.flat();

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
    expect([...recordKeys(store)].sort()).toEqual(
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
    expect(() => Object.defineProperty(f, 'k1', { value: 1, writable: true })).toThrow(/toPlain/);
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

describe('frozen plain object behaviour', () => {
  it("answers 'in' for Object.prototype members and has Object.prototype's methods", () => {
    const { facade } = make(80);
    for (const key of ['hasOwnProperty', 'toString', 'constructor', 'valueOf', '__proto__', 'isPrototypeOf'])
      expect(key in facade).toBe(true);
    expect(Symbol.iterator in facade).toBe(Symbol.iterator in {});
    expect('nope' in facade).toBe(false);
    // eslint-disable-next-line no-prototype-builtins -- the inherited method is what is tested
    expect(facade.hasOwnProperty('k1')).toBe(true);
    // eslint-disable-next-line no-prototype-builtins -- the inherited method is what is tested
    expect(facade.hasOwnProperty('toString')).toBe(false);
    expect(facade.constructor).toBe(Object);
    expect(facade instanceof Object).toBe(true);
    expect(Object.getPrototypeOf(facade)).toBe(Object.prototype);
    expect(Object.prototype.isPrototypeOf.call(Object.prototype, facade)).toBe(true);
    expect(Reflect.get(facade, Symbol.for('nodejs.util.inspect.custom'))).toBeUndefined();
  });

  it('deleting an absent key succeeds and setting the same prototype succeeds, as on a frozen object', () => {
    const { facade } = make(80);
    expect(delete facade.absent).toBe(true);
    expect(Reflect.deleteProperty(facade, Symbol('s'))).toBe(true);
    expect(Object.setPrototypeOf(facade, Object.prototype)).toBe(facade);
  });

  it('reports itself frozen, sealed and non-extensible, and Object.freeze is a no-op', () => {
    for (const check of [Object.isFrozen, Object.isSealed, (o: object) => !Object.isExtensible(o)]) {
      const { facade } = make(80);
      expect(check(facade)).toBe(true);
    }
    const { facade } = make(80);
    expect(Object.freeze(facade)).toBe(facade);
    expect(Object.isFrozen(facade)).toBe(true);
    expect(Object.seal(facade)).toBe(facade);
    expect(Object.preventExtensions(facade)).toBe(facade);
    expect(Object.getOwnPropertyDescriptor(facade, 'k1')).toEqual({ value: 1, writable: false, enumerable: true, configurable: false });
    // Redefining a key with what it already is changes nothing and succeeds, as on a frozen object.
    expect(Object.defineProperty(facade, 'k1', { value: 1 })).toBe(facade);
    expect(() => Object.defineProperty(facade, 'k1', { value: 2 })).toThrow(TypeError);
    expect(() => Object.defineProperty(facade, 'fresh', { value: 2 })).toThrow(TypeError);
  });

  it('reads, enumerates and inspects the same after it was checked for frozenness', () => {
    const source: [string, unknown][] = [['b', { x: 1 }], ['3', 3], ...entries(70)];
    const facade = createRecord(source, source.length) as Record<string, unknown>;
    const before = { keys: Object.keys(facade), json: JSON.stringify(facade), shown: inspect(facade) };
    expect(Object.isFrozen(facade)).toBe(true);
    expect(Object.keys(facade)).toEqual(before.keys);
    expect(JSON.stringify(facade)).toBe(before.json);
    expect(inspect(facade)).toBe(before.shown);
    expect(facade.b).toEqual({ x: 1 });
    expect('3' in facade && 'hasOwnProperty' in facade).toBe(true);
    expect({ ...facade }).toEqual(Object.fromEntries(source));
    expect(isRecord(facade)).toBe(true);
    expect(() => {
      facade.b = 1;
    }).toThrow(/toPlain/);
  });

  it('a plain frozen object and a record agree on every reflection result (but structuredClone)', () => {
    const source = entries(70);
    const plain = Object.freeze(Object.fromEntries(source));
    const facade = createRecord(source, source.length) as Record<string, unknown>;
    expect(Object.keys(facade)).toEqual(Object.keys(plain));
    expect(Object.getOwnPropertyNames(facade)).toEqual(Object.getOwnPropertyNames(plain));
    expect(Object.getOwnPropertySymbols(facade)).toEqual(Object.getOwnPropertySymbols(plain));
    expect(Object.prototype.toString.call(facade)).toBe(Object.prototype.toString.call(plain));
    expect(Object.isFrozen(facade)).toBe(Object.isFrozen(plain));
    expect(Object.getOwnPropertyDescriptors(facade)).toEqual(Object.getOwnPropertyDescriptors(plain));
    expect(() => structuredClone(facade)).toThrow(/could not be cloned/);
  });
});

describe('recordWith', () => {
  it('copies only the touched bucket and shares every other bucket', () => {
    const { store } = make(200);
    const next = storeOf(recordWith(store, new Map([['k10', 'ten']])));
    expect(next.index).not.toBe(store.index);
    const before = bucketsOf(store);
    expect(bucketsOf(next)).toHaveLength(before.length);
    const changed = bucketsOf(next).filter((b, i) => b !== before[i]);
    expect(changed).toHaveLength(1);
    const bucket = changed[0] ?? [];
    expect(bucket[bucket.indexOf('k10') + 1]).toBe('ten');
    expect(recordGet(store, 'k10')).toBe(10);
    expect(recordGet(next, 'k10')).toBe('ten');
    expect(next.size).toBe(200);
  });

  it('copies only the index chunk above a touched bucket and shares every other chunk', () => {
    const { store } = make(20_000);
    expect(store.index.length).toBeGreaterThan(2);
    expect(store.index.every((chunk) => chunk.length === CHUNK_SIZE)).toBe(true);
    const next = storeOf(recordWith(store, new Map([['k10', 'ten']])));
    const changedChunks = next.index.filter((chunk, c) => chunk !== store.index[c]);
    expect(changedChunks).toHaveLength(1);
    const before = bucketsOf(store);
    expect(bucketsOf(next).filter((b, i) => b !== before[i])).toHaveLength(1);
    expect(recordGet(next, 'k10')).toBe('ten');
    expect(recordGet(store, 'k10')).toBe(10);
  });

  it('shares the whole index when no change applies', () => {
    const { store } = make(100);
    const next = storeOf(recordWith(store, new Map<string, unknown>([['absent', DELETED]])));
    expect(next.index).toBe(store.index);
  });

  it('copies a touched bucket once even when several keys of it change', () => {
    const { store } = make(200);
    const before = bucketsOf(store);
    const sameBucket = recordKeys(store).filter((k) => (before[0] ?? []).some((entry, i) => i % 3 === 0 && entry === k));
    expect(sameBucket.length).toBeGreaterThan(1);
    const next = storeOf(recordWith(store, new Map(sameBucket.map((k) => [k, -1]))));
    expect(bucketsOf(next).filter((b, i) => b !== before[i])).toHaveLength(1);
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
    expect(bucketsOf(store)).toHaveLength(16);
    const modest = storeOf(recordWith(store, new Map(entries(900, 'm'))));
    expect(bucketsOf(modest)).toHaveLength(16);
    expect(modest.size).toBe(1000);
    const grown = storeOf(recordWith(modest, new Map(entries(100, 'g'))));
    expect(grown.size).toBe(1100);
    expect(bucketsOf(grown).length).toBeGreaterThan(16);
    expect(grown.mask).toBe(bucketsOf(grown).length - 1);
    const modestBuckets = new Set(bucketsOf(modest));
    expect(bucketsOf(grown).every((b) => !modestBuckets.has(b))).toBe(true);
    expect(recordGet(grown, 'g99')).toBe(99);
    expect(recordGet(grown, 'm0')).toBe(0);
    expect(recordKeys(grown)).toHaveLength(1100);
  });
});

type Op = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string };
const keyArb = fc.oneof(
  fc.constantFrom(...entries(120).map(([k]) => k)),
  fc.constantFrom('0', '1', '2', '10', '4294967294', '4294967295', '01', '-1', '1.5', '', 'constructor', '__proto__'),
  fc.string({ maxLength: 4 }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
);

/** Applies one batch to a Map model (delete then set moves a key to the end, as on a plain object) and builds the change set a draft would. */
function applyBatch(
  batch: readonly Op[],
  model: Map<string, unknown>,
  store: RecordStore,
): { changes: Map<string, unknown>; moved: Set<string> } {
  const changes = new Map<string, unknown>();
  const moved = new Set<string>();
  for (const op of batch) {
    if (op.kind === 'delete') {
      model.delete(op.key);
      changes.set(op.key, DELETED);
      continue;
    }
    model.set(op.key, op.value);
    if (changes.get(op.key) === DELETED) {
      changes.delete(op.key);
      if (recordHas(store, op.key)) moved.add(op.key);
    }
    changes.set(op.key, op.value);
  }
  return { changes, moved };
}

describe('model', () => {
  test.prop([fc.array(fc.array(opArb, { maxLength: 60 }), { maxLength: 12 })])(
    'any batches of set/delete equal the same operations on a plain object (content and key order), and old versions never change',
    (batches) => {
      const model = new Map<string, unknown>(entries(RECORD_THRESHOLD + 1));
      let store = storeOf(createRecord(model, model.size));
      const versions: [RecordStore, Map<string, unknown>][] = [[store, new Map(model)]];
      for (const batch of batches) {
        const { changes, moved } = applyBatch(batch, model, store);
        store = storeOf(recordWith(store, changes, moved));
        versions.push([store, new Map(model)]);
      }
      for (const [version, expected] of versions) {
        expect(version.size).toBe(expected.size);
        const plain = Object.fromEntries(expected);
        expect(recordKeys(version)).toEqual(Object.keys(plain));
        expect(Object.keys(version.facade)).toEqual(Object.keys(plain));
        for (const [key, value] of expected) expect(recordGet(version, key)).toBe(value);
        expect(Object.keys(recordToObject(version))).toEqual(Object.keys(plain));
        expect(recordToObject(version)).toEqual(plain);
      }
    },
  );
});

describe('key order', () => {
  it('lists keys in insertion order, as a plain object does, through every enumeration', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `z${(i * 37) % 100}`);
    const facade = createRecord(
      keys.map((k, i) => [k, i]),
      keys.length,
    ) as Record<string, unknown>;
    expect(Object.keys(facade)).toEqual(keys);
    expect(Object.entries(facade).map(([k]) => k)).toEqual(keys);
    expect(Object.keys({ ...facade })).toEqual(keys);
    expect(Object.keys(JSON.parse(JSON.stringify(facade)) as object)).toEqual(keys);
    const seen: string[] = [];
    for (const key in facade) seen.push(key);
    expect(seen).toEqual(keys);
    expect(Reflect.ownKeys(facade)).toEqual(keys);
  });

  it('puts array-index keys first in ascending order, like a plain object', () => {
    const source: [string, number][] = [
      ['b', 1],
      ['10', 2],
      ['a', 3],
      ['2', 4],
      ['4294967295', 5],
      ['01', 6],
      ['4294967294', 7],
      ...entries(70),
    ];
    const facade = createRecord(source, source.length);
    expect(Object.keys(facade)).toEqual(Object.keys(Object.fromEntries(source)));
    expect(Object.keys(facade).slice(0, 4)).toEqual(['2', '10', '4294967294', 'b']);
  });

  it('keeps a changed key in place, appends new keys, and moves a deleted and re-added key to the end', () => {
    const { store } = make(70);
    const changed = storeOf(recordWith(store, new Map<string, unknown>([['k3', 'x']])));
    expect(recordKeys(changed)).toBe(recordKeys(store));
    const grown = storeOf(
      recordWith(
        changed,
        new Map<string, unknown>([
          ['new', 1],
          ['k1', DELETED],
        ]),
      ),
    );
    expect(recordKeys(grown).slice(-2)).toEqual(['k69', 'new']);
    expect(recordKeys(grown)).not.toContain('k1');
    const back = storeOf(recordWith(grown, new Map<string, unknown>([['k1', 1]])));
    expect(recordKeys(back).slice(-2)).toEqual(['new', 'k1']);
    const moved = storeOf(recordWith(back, new Map<string, unknown>([['k2', 'moved']]), new Set(['k2'])));
    expect(recordKeys(moved).slice(-3)).toEqual(['new', 'k1', 'k2']);
    expect(recordGet(moved, 'k2')).toBe('moved');
  });

  it('keeps order when a record grows past its bucket count and is rehashed', () => {
    const { store } = make(70);
    const added = entries(2000, 'n');
    const grown = storeOf(recordWith(store, new Map(added)));
    expect(bucketsOf(grown).length).toBeGreaterThan(bucketsOf(store).length);
    expect(recordKeys(grown)).toEqual([...entries(70).map(([k]) => k), ...added.map(([k]) => k)]);
  });

  it('orders a sparse history (most keys deleted and re-added) correctly', () => {
    let store = make(100).store;
    for (let round = 0; round < 20; round++) {
      const changes = new Map<string, unknown>();
      for (let i = 0; i < 100; i += 2) changes.set(`r${round}-${i}`, i);
      for (const key of recordKeys(store).slice(0, 50)) changes.set(key, DELETED);
      store = storeOf(recordWith(store, changes));
    }
    const keys = recordKeys(store);
    expect(keys).toHaveLength(store.size);
    expect(keys.slice(-2)).toEqual(['r19-96', 'r19-98']);
    expect(Object.keys(recordToObject(store))).toEqual(keys);
  });
});

describe('plain view', () => {
  const source: [string, unknown][] = [['b', { x: 1 }], ['3', 3], ['__proto__', 'own'], ...entries(70)];

  it('is a frozen plain object with the same entries in the same order, sharing the values, built once', () => {
    const facade = createRecord(source, source.length) as Record<string, unknown>;
    const store = storeOf(facade);
    const view = recordPlainView(store);
    expect(Object.getPrototypeOf(view)).toBe(Object.prototype);
    expect(Object.isFrozen(view)).toBe(true);
    expect(isRecord(view)).toBe(false);
    expect(Object.keys(view)).toEqual(Object.keys(facade));
    expect(JSON.stringify(view)).toBe(JSON.stringify(facade));
    expect(view.b).toBe(facade.b);
    expect(Object.hasOwn(view, '__proto__')).toBe(true);
    expect(recordPlainView(store)).toBe(view);
    expect(structuredClone(view)).toEqual(structuredClone(recordToObject(store)));
  });

  it('is built after enough reading through the facade: two enumerations, or four keyed reads per key', () => {
    const walked = storeOf(createRecord(entries(100), 100));
    expect(recordReadValue(walked)).toBe(walked.facade);
    void Object.keys(walked.facade);
    expect(walked.plain).toBeUndefined();
    void JSON.stringify(walked.facade);
    expect(walked.plain).toBeDefined();
    expect(recordReadValue(walked)).toBe(walked.plain);

    const read = storeOf(createRecord(entries(100), 100));
    const facade = read.facade as Record<string, unknown>;
    for (let round = 0; round < 3; round++) for (let i = 0; i < 100; i++) void facade[`k${i}`];
    expect(recordReadValue(read)).toBe(read.facade);
    for (let i = 0; i < 100; i++) void facade[`k${i}`];
    expect(recordReadValue(read)).toBe(recordPlainView(read));
  });

  it('is per version: a new version starts without one', () => {
    const { store } = make(100);
    recordPlainView(store);
    const next = storeOf(recordWith(store, new Map([['k1', 'one']])));
    expect(next.plain).toBeUndefined();
    expect(recordPlainView(next).k1).toBe('one');
    expect(recordPlainView(store).k1).toBe(1);
  });

  it('the facade answers the same once it reads through its view', () => {
    const facade = createRecord(source, source.length) as Record<string, unknown>;
    const probe = (): unknown[] => [
      facade.b,
      facade['3'],
      facade.k5,
      facade.nope,
      Reflect.get(facade, 'toString'),
      Object.getOwnPropertyDescriptor(facade, '__proto__'),
      Reflect.get(facade, '__proto__'),
      'k7' in facade,
      'nope' in facade,
      'hasOwnProperty' in facade,
      '__proto__' in facade,
      Symbol.iterator in facade,
      Reflect.get(facade, Symbol.for('nodejs.util.inspect.custom')),
      Object.keys(facade),
      inspect(facade),
    ];
    const before = probe();
    recordPlainView(storeOf(facade));
    expect(probe()).toEqual(before);
    expect(() => {
      facade.k1 = 2;
    }).toThrow(TypeError);
    expect(isRecord(facade)).toBe(true);
  });
});
