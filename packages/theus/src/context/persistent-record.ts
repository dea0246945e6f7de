/**
 * Persistent records: how Theus keeps a very large keyed collection (say 10,000 accounts) in
 * committed state without copying it on every commit.
 *
 * A plain object with more than {@link RECORD_THRESHOLD} keys is stored as a hash-bucketed
 * persistent map and handed out as a read-only *facade*: a Proxy that behaves like a frozen plain
 * object (property reads, `in`, `Object.keys`, spread, `JSON.stringify`, insertion order; see
 * record-order.ts). A commit that changes a few keys copies only the touched buckets and the
 * bucket index, so its cost grows with what changed, never with the whole record.
 *
 * What a Proxy cannot be is cloned by the platform (`structuredClone`, `postMessage` throw
 * `DataCloneError`): `toPlain` (to-plain.ts) gives the plain frozen copy for those.
 */

import { flagsOf, NodeFlag, setFlags } from './node-flags.js';
import { isArrayIndex, orderBySequence, sortIndexKeys } from './record-order.js';

/**
 * Objects with more keys than this are stored as persistent records. Measured
 * (`bench/record-threshold.ts`, and engine runs of a two-key transfer with each representation):
 * up to about 48 keys a plain frozen copy commits as fast as a record, at 50–63 keys 4–17%
 * slower, at 96 keys 34% and at 128 keys 64% slower; plain objects read 2–3× faster by key,
 * about 3.5× faster through `JSON.stringify` and over 100× faster through `Object.keys` and
 * `for..in`. 64 keeps typical objects plain while their commits stay close to a record's.
 */
export const RECORD_THRESHOLD = 64;

const BUCKET_TARGET = 32;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Marks a key removed in a change set given to {@link recordWith}. */
export const DELETED: unique symbol = Symbol('theus.deleted');

/**
 * One hash bucket: a flat array of entries of three slots, `[key, value, seq, key, value, seq, ...]`,
 * where `seq` is the key's insertion sequence number (see record-order.ts). A few entries per
 * bucket, so a linear scan beats a Map and a copy is one `slice()`.
 */
export type Bucket = readonly unknown[];

/** The ordered keys of a record version, computed on first use and shared by versions with the same keys. */
interface KeyOrder {
  keys: readonly string[] | undefined;
}

/** The immutable content behind a record facade. */
export interface RecordStore {
  /** Hash buckets (see {@link Bucket}); read them through the functions of this module. */
  readonly buckets: readonly Bucket[];
  readonly mask: number;
  readonly size: number;
  /** The sequence number the next inserted key takes. */
  readonly nextSeq: number;
  readonly order: KeyOrder;
  readonly facade: object;
  /** The zone-marked keys held at any depth (NodeFlag bits); computed lazily (see private-carriers). */
  carried: number | undefined;
}

const STORE: unique symbol = Symbol('theus.record-store');

/** The store behind a record facade, or `undefined` when `value` is not one. */
export function recordStoreOf(value: unknown): RecordStore | undefined {
  return typeof value === 'object' && value !== null && (flagsOf(value) & NodeFlag.Record) !== 0
    ? (value as { [STORE]: RecordStore })[STORE]
    : undefined;
}

/** True when `value` is a persistent record facade. */
export function isRecord(value: unknown): boolean {
  return recordStoreOf(value) !== undefined;
}

function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function bucketCountFor(size: number): number {
  let count = 16;
  while (count * BUCKET_TARGET < size) count *= 2;
  return count;
}

/** The index of `key` in a bucket (its value is at index + 1, its sequence number at + 2), or -1. */
function indexIn(bucket: Bucket, key: string): number {
  for (let i = 0; i < bucket.length; i += 3) if (bucket[i] === key) return i;
  return -1;
}

/** Returned by {@link recordLookup} for a key the record does not hold. */
export const ABSENT: unique symbol = Symbol('theus.absent');

/** Reads one key of a record store, or {@link ABSENT}: one hash and one scan for has-and-get. */
export function recordLookup(store: RecordStore, key: string): unknown {
  const bucket = store.buckets[hashKey(key) & store.mask] as Bucket;
  const i = indexIn(bucket, key);
  return i < 0 ? ABSENT : bucket[i + 1];
}

/** Reads one key of a record store. */
export function recordGet(store: RecordStore, key: string): unknown {
  const value = recordLookup(store, key);
  return value === ABSENT ? undefined : value;
}

/** True when the record store holds `key`. */
export function recordHas(store: RecordStore, key: string): boolean {
  return indexIn(store.buckets[hashKey(key) & store.mask] as Bucket, key) >= 0;
}

/**
 * Every key of a record store in plain-object order: array indices ascending, then the other
 * keys in insertion order. Computed once per set of keys and shared: do not modify the array.
 */
export function recordKeys(store: RecordStore): readonly string[] {
  return (store.order.keys ??= orderedKeys(store.buckets, store.nextSeq));
}

function orderedKeys(buckets: readonly Bucket[], end: number): string[] {
  const ints: string[] = [];
  const keys: string[] = [];
  const seqs: number[] = [];
  let min = end;
  for (const bucket of buckets) {
    for (let i = 0; i < bucket.length; i += 3) {
      const key = bucket[i] as string;
      if (isArrayIndex(key)) {
        ints.push(key);
        continue;
      }
      const seq = bucket[i + 2] as number;
      keys.push(key);
      seqs.push(seq);
      if (seq < min) min = seq;
    }
  }
  const ordered = orderBySequence(keys, seqs, min, end);
  if (ints.length === 0) return ordered;
  sortIndexKeys(ints);
  for (const key of ordered) ints.push(key);
  return ints;
}

/** Calls `visit` for every entry of a record store, in no particular order (use {@link recordKeys} for order). */
export function recordForEach(store: RecordStore, visit: (value: unknown, key: string) => void): void {
  for (const bucket of store.buckets) for (let i = 0; i < bucket.length; i += 3) visit(bucket[i + 1], bucket[i] as string);
}

/**
 * Calls `visit` for every entry in an order that builds a plain object with the record's key
 * order: array-index keys in any order (a plain object sorts them itself), then the other keys
 * in insertion order. One pass over the entries plus a placement pass: no per-key hash lookup.
 */
export function recordForEachInsertion(store: RecordStore, visit: (value: unknown, key: string) => void): void {
  const keys: string[] = [];
  const values: unknown[] = [];
  const seqs: number[] = [];
  let min = store.nextSeq;
  for (const bucket of store.buckets) {
    for (let i = 0; i < bucket.length; i += 3) {
      const key = bucket[i] as string;
      if (isArrayIndex(key)) {
        visit(bucket[i + 1], key);
        continue;
      }
      const seq = bucket[i + 2] as number;
      keys.push(key);
      values.push(bucket[i + 1]);
      seqs.push(seq);
      if (seq < min) min = seq;
    }
  }
  const range = store.nextSeq - min;
  if (range > keys.length * 4 + 64) {
    const byKey = new Map<string, unknown>();
    for (let i = 0; i < keys.length; i++) byKey.set(keys[i] as string, values[i]);
    for (const key of orderBySequence(keys, seqs, min, store.nextSeq)) visit(byKey.get(key), key);
    return;
  }
  const slots = new Array<number | undefined>(range);
  for (let i = 0; i < keys.length; i++) slots[(seqs[i] as number) - min] = i;
  for (let s = 0; s < range; s++) {
    const i = slots[s];
    if (i !== undefined) visit(values[i], keys[i] as string);
  }
}

/** Sets or removes `key` in a bucket the caller owns. Returns the change in size (-1, 0 or 1). */
function writeBucket(bucket: unknown[], key: string, value: unknown, seq: number): number {
  const i = indexIn(bucket, key);
  if (value === DELETED) {
    if (i < 0) return 0;
    bucket.splice(i, 3);
    return -1;
  }
  if (i >= 0) {
    bucket[i + 1] = value;
    return 0;
  }
  bucket.push(key, value, seq);
  return 1;
}

/** Builds a record facade from entries whose values are already sealed, keeping their order. */
export function createRecord(entries: Iterable<readonly [string, unknown]>, sizeHint: number): object {
  const count = bucketCountFor(sizeHint);
  const buckets: unknown[][] = Array.from({ length: count }, () => []);
  let size = 0;
  for (const [key, value] of entries) size += writeBucket(buckets[hashKey(key) & (count - 1)] as unknown[], key, value, size);
  return makeStore(buckets, size, size, { keys: undefined }).facade;
}

/**
 * A new record facade equal to `store` with `changes` applied (a value sets a key,
 * {@link DELETED} removes it), in the order of `changes`: new keys go to the end. `moved` names
 * keys that were deleted and added again, which move to the end too. Only the touched buckets
 * are copied; the key order costs nothing here (see record-order.ts).
 */
export function recordWith(store: RecordStore, changes: ReadonlyMap<string, unknown>, moved?: ReadonlySet<string>): object {
  const original = store.buckets;
  const buckets = original.slice();
  const mask = store.mask;
  let size = store.size;
  let seq = store.nextSeq;
  for (const [key, value] of changes) {
    const index = hashKey(key) & mask;
    let bucket = buckets[index] as unknown[];
    const i = indexIn(bucket, key);
    if (i < 0 && value === DELETED) continue;
    if (bucket === original[index]) buckets[index] = bucket = bucket.slice();
    if (value === DELETED) {
      bucket.splice(i, 3);
      size--;
    } else if (i < 0) {
      bucket.push(key, value, seq++);
      size++;
    } else {
      bucket[i + 1] = value;
      if (moved?.has(key) === true) bucket[i + 2] = seq++;
    }
  }
  // The same keys in the same order (only values changed) share the ordered key list.
  const order = size === store.size && seq === store.nextSeq ? store.order : { keys: undefined };
  if (size > buckets.length * BUCKET_TARGET * 2) return rehash(buckets, size, seq);
  return makeStore(buckets, size, seq, order).facade;
}

/** Spreads the entries over more buckets, keeping their sequence numbers. */
function rehash(from: readonly Bucket[], size: number, nextSeq: number): object {
  const count = bucketCountFor(size);
  const buckets: unknown[][] = Array.from({ length: count }, () => []);
  for (const bucket of from) {
    for (let i = 0; i < bucket.length; i += 3) {
      const key = bucket[i] as string;
      (buckets[hashKey(key) & (count - 1)] as unknown[]).push(key, bucket[i + 1], bucket[i + 2]);
    }
  }
  return makeStore(buckets, size, nextSeq, { keys: undefined }).facade;
}

/** Sets `key` on a plain object under construction (a `__proto__` key as an own data property). */
export function setPlainKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Copies a record into a plain, mutable object in the record's key order (one level; values are shared). */
export function recordToObject(store: RecordStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  recordForEachInsertion(store, (value, key) => {
    setPlainKey(out, key, value);
  });
  return out;
}

/**
 * The Proxy target of a facade. Until something asks whether the facade is extensible or frozen
 * it holds no properties (the store answers every trap). `Object.isFrozen`, `Object.freeze` and
 * friends *materialize* it: the target becomes a real frozen plain object with the record's
 * entries, which is what the Proxy invariants require before a facade may report itself
 * non-extensible. That costs one plain copy, once per version, and only for those calls.
 */
class RecordTarget {
  // Private, so a materialized target's own keys are exactly the record's.
  readonly #store: RecordStore;

  constructor(store: RecordStore) {
    this.#store = store;
  }

  static store(target: RecordTarget): RecordStore {
    return target.#store;
  }

  /** True once the target is a frozen copy (only materialized targets are non-extensible). */
  static materialized(target: RecordTarget): boolean {
    return !Object.isExtensible(target);
  }

  static materialize(target: RecordTarget): void {
    if (!Object.isExtensible(target)) return;
    recordForEachInsertion(target.#store, (value, key) => {
      Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
    });
    // A frozen plain object: Node's inspector now shows the target as it is.
    Object.setPrototypeOf(target, Object.prototype);
    Object.preventExtensions(target);
  }

  /** Node's inspector unwraps the Proxy, reads this from the target and calls it with the facade as `this`. */
  [INSPECT](this: object): Record<string, unknown> {
    return recordToObject(recordStoreOf(this) ?? RecordTarget.store(this as RecordTarget));
  }
}

function readOnly(key: string | symbol): never {
  throw new TypeError(
    `Cannot change '${String(key)}' of a committed Theus record: committed state is frozen. ` +
      'Write through a process output, or use structuredClone(toPlain(value)) for a mutable copy.',
  );
}

const OBJECT_PROTOTYPE: object = Object.prototype;

const facadeHandler: ProxyHandler<RecordTarget> = {
  get(target, key, receiver) {
    if (typeof key === 'string') {
      const value = recordLookup(RecordTarget.store(target), key);
      if (value !== ABSENT) return value;
    } else if (key === STORE) return RecordTarget.store(target);
    // Like any plain object: toString, hasOwnProperty, constructor... come from Object.prototype.
    return Reflect.get(OBJECT_PROTOTYPE, key, receiver) as unknown;
  },
  has(target, key) {
    return (typeof key === 'string' && recordHas(RecordTarget.store(target), key)) || key in OBJECT_PROTOTYPE;
  },
  ownKeys(target) {
    return recordKeys(RecordTarget.store(target));
  },
  getOwnPropertyDescriptor(target, key) {
    if (typeof key !== 'string') return undefined;
    if (RecordTarget.materialized(target)) return Reflect.getOwnPropertyDescriptor(target, key);
    const value = recordLookup(RecordTarget.store(target), key);
    return value === ABSENT ? undefined : { value, writable: false, enumerable: true, configurable: true };
  },
  getPrototypeOf() {
    return OBJECT_PROTOTYPE;
  },
  set(_target, key) {
    return readOnly(key);
  },
  deleteProperty(target, key) {
    // Deleting a key an object does not have succeeds, frozen or not.
    if (typeof key === 'symbol' || !recordHas(RecordTarget.store(target), key)) return true;
    return readOnly(key);
  },
  defineProperty(target, key, descriptor) {
    // As on a frozen object, only a definition that changes nothing succeeds (Object.freeze makes those).
    RecordTarget.materialize(target);
    return Reflect.defineProperty(target, key, descriptor) || readOnly(key);
  },
  setPrototypeOf(_target, proto) {
    return proto === OBJECT_PROTOTYPE || readOnly('__proto__');
  },
  isExtensible(target) {
    RecordTarget.materialize(target);
    return false;
  },
  preventExtensions(target) {
    RecordTarget.materialize(target);
    return true;
  },
};

function makeStore(buckets: readonly Bucket[], size: number, nextSeq: number, order: KeyOrder): RecordStore {
  const store: { -readonly [K in keyof RecordStore]: RecordStore[K] } = {
    buckets,
    mask: buckets.length - 1,
    size,
    nextSeq,
    order,
    facade: undefined as unknown as object,
    carried: undefined,
  };
  store.facade = new Proxy(new RecordTarget(store), facadeHandler);
  setFlags(store.facade, NodeFlag.Record);
  return store;
}
