/**
 * Value semantics of the `eq`, `neq`, `in` and length checks, for any JSON-like value.
 *
 * @packageDocumentation
 */
import { recordStoreOf } from '../context/persistent-record.js';

/**
 * Deep equality of JSON-like values: primitives by `===` (NaN equals NaN), arrays element-wise,
 * plain objects (and record facades) by their own enumerable keys, dates by time; any other
 * object only equals itself. Types never coerce: `1` is not `true` and not `"1"`.
 *
 * Recursion follows `expected`, which comes from a recipe and is therefore finite and acyclic.
 */
export function deepEqual(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'number' && typeof expected === 'number') return Number.isNaN(actual) && Number.isNaN(expected);
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) return false;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (!deepEqual(actual[i], expected[i])) return false;
    return true;
  }
  if (Array.isArray(actual)) return false;
  if (actual instanceof Date || expected instanceof Date) {
    return actual instanceof Date && expected instanceof Date && actual.getTime() === expected.getTime();
  }
  if (!isMapping(actual) || !isMapping(expected)) return false;
  const keys = Object.keys(expected);
  if (Object.keys(actual).length !== keys.length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(actual, key) && recordStoreOf(actual) === undefined) return false;
    if (!deepEqual((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key])) return false;
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
