/**
 * The immutable content of a persistent record (its *store*) and how to read it: hash buckets
 * reached through two levels of small arrays, so that a commit copies only what it touches.
 *
 * A record of `count` buckets (a power of two) keeps them in *chunks* of up to
 * {@link CHUNK_SIZE} bucket references, under one *top* array of chunks. Bucket `i` is
 * `top[i >>> CHUNK_BITS][i & SLOT_MASK]`. Changing a key copies its bucket, the chunk that holds
 * it and the top array: at a million keys (32,768 buckets) that is a 256-entry top and one
 * 128-entry chunk per touched bucket, where a flat index would copy all 32,768 references (a
 * large-object allocation) on every commit.
 *
 * A version may also hold its *plain view*, a frozen plain copy built once it has been read
 * enough through its facade (see {@link demandPlainView}).
 */

import { forEachInsertion, orderedKeys } from './record-order.js';
import { createBrand } from '../util/identity.js';

/**
 * One hash bucket: a flat array of entries of three slots, `[key, value, seq, key, value, seq, ...]`,
 * where `seq` is the key's insertion sequence number (see record-order.ts). A few entries per
 * bucket, so a linear scan beats a Map and a copy is one `slice()`.
 */
export type Bucket = readonly unknown[];

/** The top array of a bucket index: chunks of bucket references (see the module comment). */
export type BucketIndex = readonly (readonly Bucket[])[];

const CHUNK_BITS = 7;
/** How many bucket references a chunk holds (a record of fewer buckets has one smaller chunk). */
export const CHUNK_SIZE = 1 << CHUNK_BITS;
const SLOT_MASK = CHUNK_SIZE - 1;

/** The average number of entries per bucket a record is sized for. */
export const BUCKET_TARGET = 32;

/** FNV-1a over the UTF-16 code units of `key`. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The bucket count (a power of two, at least 16) for a record of `size` keys. */
export function bucketCountFor(size: number): number {
  let count = 16;
  while (count * BUCKET_TARGET < size) count *= 2;
  return count;
}

/** A new index of `count` empty buckets (`count` a power of two), owned by the caller. */
export function emptyIndex(count: number): unknown[][][] {
  const chunkSize = Math.min(count, CHUNK_SIZE);
  return Array.from({ length: count / chunkSize }, () => Array.from({ length: chunkSize }, () => []));
}

/** Bucket number `i` of an index. */
export function bucketAt(index: BucketIndex, i: number): Bucket {
  return (index[i >>> CHUNK_BITS] as readonly Bucket[])[i & SLOT_MASK] as Bucket;
}

/** The bucket `key` belongs to, in an index whose bucket count is `mask + 1`. */
export function bucketFor(index: BucketIndex, mask: number, key: string): Bucket {
  const i = hashKey(key) & mask;
  return (index[i >>> CHUNK_BITS] as readonly Bucket[])[i & SLOT_MASK] as Bucket;
}

/** The position of `key` in a bucket (its value is at position + 1, its sequence number at + 2), or -1. */
export function entryIn(bucket: Bucket, key: string): number {
  for (let i = 0; i < bucket.length; i += 3) if (bucket[i] === key) return i;
  return -1;
}

/**
 * A copy-on-write edit of an index: the buckets it hands out for writing are copies, and so are
 * the chunks that hold them and the top array; everything untouched stays shared with the
 * original, which never changes.
 */
export class IndexEdit {
  readonly #original: BucketIndex;
  #top: BucketIndex;

  constructor(original: BucketIndex) {
    this.#original = original;
    this.#top = original;
  }

  /** The index as edited so far (the original itself when nothing was written). */
  get index(): BucketIndex {
    return this.#top;
  }

  /** The current bucket number `i` (an edited copy or the original bucket: do not modify it). */
  read(i: number): Bucket {
    return bucketAt(this.#top, i);
  }

  /** Bucket number `i`, copied on its first write in this edit: the caller may modify it. */
  write(i: number): unknown[] {
    const original = this.#original;
    if (this.#top === original) this.#top = original.slice();
    const top = this.#top as (readonly Bucket[])[];
    const c = i >>> CHUNK_BITS;
    const s = i & SLOT_MASK;
    const originalChunk = original[c] as readonly Bucket[];
    if (top[c] === originalChunk) top[c] = originalChunk.slice();
    const chunk = top[c] as Bucket[];
    const bucket = chunk[s] as Bucket;
    if (bucket !== originalChunk[s]) return bucket as unknown[];
    const copy = bucket.slice();
    chunk[s] = copy;
    return copy;
  }
}

/** The ordered keys of a record version, computed on first use and shared by versions with the same keys. */
export interface KeyOrder {
  keys: readonly string[] | undefined;
}

/** The immutable content behind a record facade. */
export interface RecordStore {
  /** The bucket index (see {@link BucketIndex}); read it through the functions of these modules. */
  readonly index: BucketIndex;
  /** The bucket count minus one (the count is a power of two). */
  readonly mask: number;
  readonly size: number;
  /** The sequence number the next inserted key takes. */
  readonly nextSeq: number;
  readonly order: KeyOrder;
  readonly facade: object;
  /** The zone-marked keys held at any depth (NodeFlag bits); computed lazily (see private-carriers). */
  carried: number | undefined;
  /** The frozen plain copy of this version, once {@link recordPlainView} built it. */
  plain: Readonly<Record<string, unknown>> | undefined;
  /** How much this version was read through its facade (see {@link demandPlainView}). */
  demand: number;
}

/** Returned by {@link recordLookup} for a key the record does not hold. */
export const ABSENT: unique symbol = Symbol('theus.absent');

/** Reads one key of a record store, or {@link ABSENT}: one hash and one scan for has-and-get. */
export function recordLookup(store: RecordStore, key: string): unknown {
  const bucket = bucketFor(store.index, store.mask, key);
  const i = entryIn(bucket, key);
  return i < 0 ? ABSENT : bucket[i + 1];
}

/** Reads one key of a record store. */
export function recordGet(store: RecordStore, key: string): unknown {
  const value = recordLookup(store, key);
  return value === ABSENT ? undefined : value;
}

/** True when the record store holds `key`. */
export function recordHas(store: RecordStore, key: string): boolean {
  return entryIn(bucketFor(store.index, store.mask, key), key) >= 0;
}

/**
 * Every key of a record store in plain-object order: array indices ascending, then the other
 * keys in insertion order. Computed once per set of keys and shared: do not modify the array.
 */
export function recordKeys(store: RecordStore): readonly string[] {
  return (store.order.keys ??= orderedKeys(store.index, store.nextSeq));
}

/** Sets `key` on a plain object under construction (a `__proto__` key as an own data property). */
export function setPlainKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * Counts `amount` of reading of a record version through its facade (a keyed read counts 1, an
 * enumeration twice the size) and returns its plain view once the reading done so far has cost
 * about what building the view costs: then the view is built (or was already). Measured at
 * 10,000 keys: building the view costs about 0.5 µs a key; a facade keyed read costs about
 * 0.15 µs more than a plain read, a facade enumeration over 1 µs a key more. So the view is
 * built at the second enumeration, or after four keyed reads a key, which keeps the total cost
 * within about twice the best choice made knowing the future reads.
 */
export function demandPlainView(store: RecordStore, amount: number): Readonly<Record<string, unknown>> | undefined {
  return (store.demand += amount) >= 4 * store.size ? recordPlainView(store) : undefined;
}

/**
 * A frozen plain object with the entries of a record version, in its key order, sharing its
 * values (one level: a record among the values stays a record). Built on the first call (one
 * pass over the entries, about what `toPlain` of the record costs) and cached on the store, so
 * it lives exactly as long as that version; later calls return the same object. Reads of it
 * run at native speed, where every read of a facade goes through a Proxy trap; the facade
 * itself also reads through it once it exists.
 *
 * It is not a record (`isRecord` is false for it), but writing it back into state stores the
 * record itself (see {@link recordOfPlainView}).
 */
export function recordPlainView(store: RecordStore): Readonly<Record<string, unknown>> {
  const cached = store.plain;
  if (cached !== undefined) return cached;
  const out: Record<string, unknown> = {};
  forEachInsertion(store.index, store.nextSeq, (value, key) => {
    setPlainKey(out, key, value);
  });
  PlainViewBrand.stamp(out, store.facade);
  store.plain = Object.freeze(out);
  return out;
}

/** Marks a plain view with the facade of its version (a private field: invisible to user code). */
const PlainViewBrand = createBrand<object>();

/**
 * The record facade a plain view stands for, or `undefined` for any other value: a view written
 * back into state (returned, stored elsewhere) is the committed record itself, shared, never
 * validated and stored again as a new object.
 */
export function recordOfPlainView(value: object): object | undefined {
  return PlainViewBrand.read(value);
}

/**
 * What to give code that will read a record version (a process reading it as an input): its
 * plain view when the version has one or has been read through its facade enough that building
 * one pays off (see {@link demandPlainView}), else its facade. The view reads at native speed; a
 * facade costs a Proxy trap per read.
 */
export function recordReadValue(store: RecordStore): object {
  return store.plain ?? demandPlainView(store, 0) ?? store.facade;
}
