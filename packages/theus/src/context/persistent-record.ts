/**
 * Persistent records: how Theus keeps a very large keyed collection (say 10,000 accounts) in
 * committed state without copying it on every commit.
 *
 * A plain object with more than {@link RECORD_THRESHOLD} keys is stored as a hash-bucketed
 * persistent map and handed out as a read-only *facade*: a Proxy that behaves like a frozen plain
 * object (property reads, `in`, `Object.keys`, spread, `JSON.stringify`). A commit that changes a
 * few keys copies only the touched buckets and the bucket index, so its cost grows with what
 * changed and with the square root of the size, never with the whole record.
 */

import { flagsOf, NodeFlag, setFlags } from './node-flags.js';

/** Objects with more keys than this are stored as persistent records. */
export const RECORD_THRESHOLD = 64;

const BUCKET_TARGET = 32;
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Marks a key removed in a change set given to {@link recordWith}. */
export const DELETED: unique symbol = Symbol('theus.deleted');

/** The immutable content behind a record facade. */
export interface RecordStore {
  /**
   * Hash buckets, each a flat array of alternating keys and values (`[k0, v0, k1, v1, ...]`):
   * a few entries per bucket, so a linear scan beats a Map and a copy is one `slice()`.
   */
  readonly buckets: readonly Bucket[];
  readonly mask: number;
  readonly size: number;
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

/** One hash bucket: alternating keys and values. */
export type Bucket = readonly unknown[];

/** The index of `key` in a bucket (its value is at index + 1), or -1. */
function indexIn(bucket: Bucket, key: string): number {
  for (let i = 0; i < bucket.length; i += 2) if (bucket[i] === key) return i;
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

/** Every key of a record store (bucket order: stable for a given content, not insertion order). */
export function recordKeys(store: RecordStore): string[] {
  const keys: string[] = [];
  for (const bucket of store.buckets) for (let i = 0; i < bucket.length; i += 2) keys.push(bucket[i] as string);
  return keys;
}

/** Calls `visit` for every entry of a record store. */
export function recordForEach(store: RecordStore, visit: (value: unknown, key: string) => void): void {
  for (const bucket of store.buckets) for (let i = 0; i < bucket.length; i += 2) visit(bucket[i + 1], bucket[i] as string);
}

/** Sets or removes `key` in a bucket the caller owns. Returns the change in size (-1, 0 or 1). */
function writeBucket(bucket: unknown[], key: string, value: unknown): number {
  const i = indexIn(bucket, key);
  if (value === DELETED) {
    if (i < 0) return 0;
    bucket.splice(i, 2);
    return -1;
  }
  if (i >= 0) {
    bucket[i + 1] = value;
    return 0;
  }
  bucket.push(key, value);
  return 1;
}

/** Builds a record facade from entries whose values are already sealed. */
export function createRecord(entries: Iterable<readonly [string, unknown]>, sizeHint: number): object {
  const count = bucketCountFor(sizeHint);
  const buckets: unknown[][] = Array.from({ length: count }, () => []);
  let size = 0;
  for (const [key, value] of entries) size += writeBucket(buckets[hashKey(key) & (count - 1)] as unknown[], key, value);
  return makeStore(buckets, size).facade;
}

/**
 * A new record facade equal to `store` with `changes` applied (a value sets a key,
 * {@link DELETED} removes it). Only the touched buckets are copied.
 */
export function recordWith(store: RecordStore, changes: ReadonlyMap<string, unknown>): object {
  const original = store.buckets;
  const buckets = original.slice();
  let size = store.size;
  for (const [key, value] of changes) {
    const index = hashKey(key) & store.mask;
    let bucket = buckets[index] as unknown[];
    if (bucket === original[index]) buckets[index] = bucket = bucket.slice();
    size += writeBucket(bucket, key, value);
  }
  if (size > buckets.length * BUCKET_TARGET * 2) return createRecord(entriesOf(buckets), size);
  return makeStore(buckets, size).facade;
}

function* entriesOf(buckets: readonly Bucket[]): Generator<readonly [string, unknown]> {
  for (const bucket of buckets) for (let i = 0; i < bucket.length; i += 2) yield [bucket[i] as string, bucket[i + 1]];
}

/** Copies a record into a plain object (for export, inspection and structured cloning). */
export function recordToObject(store: RecordStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  recordForEach(store, (value, key) => {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

class RecordTarget {
  constructor(readonly store: RecordStore) {}

  /** Node's inspector unwraps the Proxy, reads this from the target and calls it with the facade as `this`. */
  [INSPECT](this: object): Record<string, unknown> {
    return recordToObject(recordStoreOf(this) ?? (this as RecordTarget).store);
  }
}

function readOnly(): never {
  throw new TypeError('Cannot modify a committed Theus record: it is frozen. Write through a process output instead.');
}

const facadeHandler: ProxyHandler<RecordTarget> = {
  get(target, key, receiver) {
    if (typeof key === 'string') {
      const value = recordLookup(target.store, key);
      if (value !== ABSENT) return value;
    } else if (key === STORE) return target.store;
    // Node's inspector calls this with the facade as `this`, so it must not read through the traps.
    if (key === INSPECT) return () => recordToObject(target.store);
    // Like any plain object: toString, hasOwnProperty, constructor... come from Object.prototype.
    return Reflect.get(Object.prototype, key, receiver) as unknown;
  },
  has(target, key) {
    return typeof key === 'string' && recordHas(target.store, key);
  },
  ownKeys(target) {
    return recordKeys(target.store);
  },
  getOwnPropertyDescriptor(target, key) {
    if (typeof key !== 'string') return undefined;
    const value = recordLookup(target.store, key);
    return value === ABSENT ? undefined : { value, writable: false, enumerable: true, configurable: true };
  },
  getPrototypeOf() {
    return Object.prototype;
  },
  set: readOnly,
  deleteProperty: readOnly,
  defineProperty: readOnly,
  setPrototypeOf: readOnly,
  preventExtensions() {
    return false;
  },
};

function makeStore(buckets: readonly Bucket[], size: number): RecordStore {
  const store: { -readonly [K in keyof RecordStore]: RecordStore[K] } = {
    buckets,
    mask: buckets.length - 1,
    size,
    facade: undefined as unknown as object,
    carried: undefined,
  };
  store.facade = new Proxy(new RecordTarget(store), facadeHandler);
  setFlags(store.facade, NodeFlag.Record);
  return store;
}
