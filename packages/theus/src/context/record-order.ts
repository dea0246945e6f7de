/**
 * Key order of persistent records: the order a plain object would give.
 *
 * A plain object lists its array-index keys (`'0'` … `'4294967294'`) first, in ascending numeric
 * order, then its other string keys in the order they were first inserted; deleting a key and
 * adding it again moves it to the end. A record keeps that order with one number per entry, its
 * *insertion sequence*: a new key takes the record's next sequence number, a changed value keeps
 * its number, and a key deleted and added again takes a new one. Nothing about order is copied
 * at commit time; the ordered key list is computed when someone first enumerates a version (one
 * pass over the entries, no comparison sort in the common case) and is shared by every later
 * version with the same keys (a commit that only changes values).
 */

import type { BucketIndex } from './record-store.js';

/** True when `key` is an array index, which plain objects list first, in ascending numeric order. */
export function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false; // NaN for the empty string
  const length = key.length;
  if (first === 48) return length === 1;
  if (length > 10) return false;
  for (let i = 1; i < length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return length < 10 || Number(key) <= 4294967294;
}

/** Sorts array-index keys numerically in place (they usually arrive sorted: checked first). */
export function sortIndexKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    if (Number(keys[i - 1]) > Number(keys[i])) return keys.sort((a, b) => Number(a) - Number(b));
  }
  return keys;
}

/**
 * Orders the non-index keys `keys` by their sequence numbers `seqs` (parallel arrays), given the
 * smallest number `min` and the next unused one `end`. Live numbers usually fill most of
 * `[min, end)` (a key's number changes only when it is deleted and added again), so the keys are
 * placed into slots in one pass; a sparse range falls back to a sort.
 */
export function orderBySequence(keys: readonly string[], seqs: readonly number[], min: number, end: number): string[] {
  const count = keys.length;
  const range = end - min;
  if (range > count * 4 + 64) {
    const indices = Array.from({ length: count }, (_, i) => i);
    indices.sort((a, b) => (seqs[a] as number) - (seqs[b] as number));
    return indices.map((i) => keys[i] as string);
  }
  const slots = new Array<string | undefined>(range);
  for (let i = 0; i < count; i++) slots[(seqs[i] as number) - min] = keys[i];
  const out: string[] = [];
  for (let i = 0; i < range; i++) {
    const key = slots[i];
    if (key !== undefined) out.push(key);
  }
  return out;
}

/**
 * The keys of a record after a draft's writes, in plain-object order: `base` (the record's keys,
 * in order) without the keys `overlay` deletes, then the keys it adds in the order they were
 * (last) added. `moved` keys were deleted and added again, so they move to the end. `isValue`
 * tells a written value from a deletion; `had` tells a key of the record.
 */
export function keysAfterWrites(
  base: readonly string[],
  overlay: ReadonlyMap<string, unknown>,
  moved: ReadonlySet<string> | undefined,
  isValue: (written: unknown) => boolean,
  had: (key: string) => boolean,
): string[] {
  const ints: string[] = [];
  const others: string[] = [];
  for (const key of base) {
    if (overlay.has(key) && (!isValue(overlay.get(key)) || moved?.has(key) === true)) continue;
    (isArrayIndex(key) ? ints : others).push(key);
  }
  let newIndex = false;
  for (const [key, written] of overlay) {
    if (!isValue(written) || (had(key) && moved?.has(key) !== true)) continue;
    if (isArrayIndex(key)) {
      ints.push(key);
      newIndex = true;
    } else others.push(key);
  }
  if (newIndex) sortIndexKeys(ints);
  for (const key of others) ints.push(key);
  return ints;
}

/**
 * Every key of a record's bucket index in plain-object order: array indices ascending, then the
 * other keys by sequence number. `end` is the record's next unused sequence number.
 */
export function orderedKeys(index: BucketIndex, end: number): string[] {
  const ints: string[] = [];
  const others: string[] = [];
  forEachInsertion(index, end, (_value, key) => {
    (isArrayIndex(key) ? ints : others).push(key);
  });
  if (ints.length === 0) return others;
  sortIndexKeys(ints);
  for (const key of others) ints.push(key);
  return ints;
}

/**
 * Calls `visit` for every entry of a record's bucket index in an order that builds a plain
 * object with the record's key order: array-index keys in any order (a plain object sorts them
 * itself), then the other keys by sequence number. One pass over the entries plus a placement
 * pass: no per-key hash lookup. `end` is the record's next unused sequence number.
 */
export function forEachInsertion(index: BucketIndex, end: number, visit: (value: unknown, key: string) => void): void {
  const keys: string[] = [];
  const values: unknown[] = [];
  const seqs: number[] = [];
  let min = end;
  for (const chunk of index) {
    for (const bucket of chunk) {
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
  }
  const range = end - min;
  if (range > keys.length * 4 + 64) {
    const byKey = new Map<string, unknown>();
    for (let i = 0; i < keys.length; i++) byKey.set(keys[i] as string, values[i]);
    for (const key of orderBySequence(keys, seqs, min, end)) visit(byKey.get(key), key);
    return;
  }
  const slots = new Array<number | undefined>(range);
  for (let i = 0; i < keys.length; i++) slots[(seqs[i] as number) - min] = i;
  for (let s = 0; s < range; s++) {
    const i = slots[s];
    if (i !== undefined) visit(values[i], keys[i] as string);
  }
}
