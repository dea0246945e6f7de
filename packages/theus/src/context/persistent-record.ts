/**
 * Persistent records: how Theus keeps a very large keyed collection (say 10,000 accounts) in
 * committed state without copying it on every commit.
 *
 * A plain object with more than {@link RECORD_THRESHOLD} keys is stored as a hash-bucketed
 * persistent map and handed out as a read-only *facade*: a Proxy that behaves like a frozen plain
 * object (property reads, `in`, `Object.keys`, spread, `JSON.stringify`, insertion order; see
 * record-order.ts). A commit that changes a few keys copies only the touched buckets and the
 * small arrays of the bucket index above them (record-store.ts), so its cost grows with what
 * changed, never with the whole record.
 *
 * Every read of a facade costs a Proxy trap. A version read a lot (or enumerated more than once)
 * gets a cached frozen plain copy, its *plain view* (`recordPlainView`, `recordReadValue`), which
 * reads at native speed.
 *
 * What a Proxy cannot be is cloned by the platform (`structuredClone`, `postMessage` throw
 * `DataCloneError`): `toPlain` (to-plain.ts) gives the plain frozen copy for those.
 */

import { flagsOf, NodeFlag, setFlags } from './node-flags.js';
import { createFacade, STORE } from './record-facade.js';
import { forEachInsertion } from './record-order.js';
import {
  BUCKET_TARGET,
  bucketAt,
  bucketCountFor,
  emptyIndex,
  entryIn,
  hashKey,
  IndexEdit,
  setPlainKey,
  type BucketIndex,
  type KeyOrder,
  type RecordStore,
} from './record-store.js';

export {
  ABSENT,
  recordGet,
  recordHas,
  recordKeys,
  recordLookup,
  recordOfPlainView,
  recordPlainView,
  recordReadValue,
  setPlainKey,
  type RecordStore,
} from './record-store.js';

/**
 * Objects with more keys than this are stored as persistent records. Measured
 * (`bench/record-threshold.ts`, and engine runs of a two-key transfer with each representation):
 * up to about 48 keys a plain frozen copy commits as fast as a record, at 50–63 keys 4–17%
 * slower, at 96 keys 34% and at 128 keys 64% slower; plain objects read 2–3× faster by key,
 * about 3.5× faster through `JSON.stringify` and over 100× faster through `Object.keys` and
 * `for..in`. 64 keeps typical objects plain while their commits stay close to a record's.
 */
export const RECORD_THRESHOLD = 64;

/** Marks a key removed in a change set given to {@link recordWith}. */
export const DELETED: unique symbol = Symbol('theus.deleted');

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

/** Calls `visit` for every entry of a record store, in no particular order (use {@link recordKeys} for order). */
export function recordForEach(store: RecordStore, visit: (value: unknown, key: string) => void): void {
  for (const chunk of store.index) {
    for (const bucket of chunk) for (let i = 0; i < bucket.length; i += 3) visit(bucket[i + 1], bucket[i] as string);
  }
}

/**
 * Calls `visit` for every entry in an order that builds a plain object with the record's key
 * order: array-index keys in any order (a plain object sorts them itself), then the other keys
 * in insertion order. One pass over the entries plus a placement pass: no per-key hash lookup.
 */
export function recordForEachInsertion(store: RecordStore, visit: (value: unknown, key: string) => void): void {
  forEachInsertion(store.index, store.nextSeq, visit);
}

/** Sets or removes `key` in a bucket the caller owns. Returns the change in size (-1, 0 or 1). */
function writeBucket(bucket: unknown[], key: string, value: unknown, seq: number): number {
  const i = entryIn(bucket, key);
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
  const index = emptyIndex(count);
  let size = 0;
  for (const [key, value] of entries) size += writeBucket(bucketAt(index, hashKey(key) & (count - 1)) as unknown[], key, value, size);
  return makeStore(index, count, size, size, { keys: undefined }).facade;
}

/**
 * A new record facade equal to `store` with `changes` applied (a value sets a key,
 * {@link DELETED} removes it), in the order of `changes`: new keys go to the end. `moved` names
 * keys that were deleted and added again, which move to the end too. Only the touched buckets
 * and the index arrays above them are copied; the key order costs nothing here (see
 * record-order.ts).
 */
export function recordWith(store: RecordStore, changes: ReadonlyMap<string, unknown>, moved?: ReadonlySet<string>): object {
  const edit = new IndexEdit(store.index);
  const mask = store.mask;
  let size = store.size;
  let seq = store.nextSeq;
  for (const [key, value] of changes) {
    const index = hashKey(key) & mask;
    const i = entryIn(edit.read(index), key);
    if (i < 0 && value === DELETED) continue;
    const bucket = edit.write(index);
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
  if (size > (mask + 1) * BUCKET_TARGET * 2) return rehash(edit.index, size, seq);
  return makeStore(edit.index, mask + 1, size, seq, order).facade;
}

/** Spreads the entries over more buckets, keeping their sequence numbers. */
function rehash(from: BucketIndex, size: number, nextSeq: number): object {
  const count = bucketCountFor(size);
  const index = emptyIndex(count);
  for (const chunk of from) {
    for (const bucket of chunk) {
      for (let i = 0; i < bucket.length; i += 3) {
        const key = bucket[i] as string;
        (bucketAt(index, hashKey(key) & (count - 1)) as unknown[]).push(key, bucket[i + 1], bucket[i + 2]);
      }
    }
  }
  return makeStore(index, count, size, nextSeq, { keys: undefined }).facade;
}

/** Copies a record into a plain, mutable object in the record's key order (one level; values are shared). */
export function recordToObject(store: RecordStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  recordForEachInsertion(store, (value, key) => {
    setPlainKey(out, key, value);
  });
  return out;
}

function makeStore(index: BucketIndex, count: number, size: number, nextSeq: number, order: KeyOrder): RecordStore {
  const store: { -readonly [K in keyof RecordStore]: RecordStore[K] } = {
    index,
    mask: count - 1,
    size,
    nextSeq,
    order,
    facade: undefined as unknown as object,
    carried: undefined,
    plain: undefined,
    demand: 0,
  };
  store.facade = createFacade(store);
  setFlags(store.facade, NodeFlag.Record);
  return store;
}
