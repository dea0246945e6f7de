/**
 * Value semantics of the `eq`, `neq`, `in` and length checks, for any JSON-like value.
 *
 * @packageDocumentation
 */
import { recordStoreOf } from '../context/persistent-record.js';

/**
 * How deeply {@link deepEqual} compares. Loaded recipes hold values at most 64 levels deep, so the
 * bound only matters for hand-built recipes; a comparison that reaches it is not equal.
 */
export const MAX_COMPARE_DEPTH = 1000;

/**
 * Deep equality of JSON-like values: primitives by `===` (NaN equals NaN), arrays element-wise,
 * plain objects (and record facades) by their own enumerable keys, dates by time; any other
 * object only equals itself. Types never coerce: `1` is not `true` and not `"1"`.
 *
 * The walk follows `expected` (a recipe's value: finite and acyclic) with an explicit stack, so a
 * deeply nested `actual` costs no call stack; it stops at {@link MAX_COMPARE_DEPTH} levels.
 */
export function deepEqual(actual: unknown, expected: unknown): boolean {
  // The hot path (`eq`/`in` on primitives) allocates nothing.
  if (actual === expected) return true;
  if (typeof expected !== 'object' || expected === null) {
    return typeof actual === 'number' && typeof expected === 'number' && Number.isNaN(actual) && Number.isNaN(expected);
  }
  const stack: [unknown, unknown, number][] = [[actual, expected, 0]];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const [a, e, depth] = pair;
    if (a === e) continue;
    if (typeof a === 'number' && typeof e === 'number') {
      if (Number.isNaN(a) && Number.isNaN(e)) continue;
      return false;
    }
    if (typeof a !== 'object' || typeof e !== 'object' || a === null || e === null || depth >= MAX_COMPARE_DEPTH) return false;
    if (Array.isArray(e)) {
      if (!Array.isArray(a) || a.length !== e.length) return false;
      for (let i = e.length - 1; i >= 0; i--) stack.push([a[i], e[i], depth + 1]);
      continue;
    }
    if (Array.isArray(a)) return false;
    if (a instanceof Date || e instanceof Date) {
      if (a instanceof Date && e instanceof Date && a.getTime() === e.getTime()) continue;
      return false;
    }
    if (!isMapping(a) || !isMapping(e)) return false;
    const keys = Object.keys(e);
    if (Object.keys(a).length !== keys.length) return false;
    const record = recordStoreOf(a) !== undefined;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (!record && !Object.hasOwn(a, key)) return false;
      stack.push([(a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return true;
}

/**
 * The length the `min_len`/`max_len` checks measure: code points of a string (as the original's
 * Python `len`), entries of an array, keys of a plain object, size of a Map or Set; `undefined`
 * for anything else.
 */
export function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string') return codePoints(value);
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  const store = recordStoreOf(value);
  if (store !== undefined) return store.size;
  return isMapping(value) ? Object.keys(value).length : undefined;
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

function isMapping(value: object): boolean {
  if (recordStoreOf(value) !== undefined) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
