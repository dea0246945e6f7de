/**
 * Python's value semantics over JS data: None is `null` or `undefined`, bool is a kind of int,
 * lists are arrays, mappings are plain objects (own data keys) or `Map`s.
 *
 * @packageDocumentation
 */
import type { Meter } from './budget.js';
import { fault, typeName } from './fault.js';
import { entriesOf, isMapping, isPrivateKey, listItems, type Mapping } from './access.js';

/** How deep `==` and ordering may descend: cyclic data fails instead of overflowing the stack. */
const MAX_DEPTH = 100;

/** Python truthiness: None, False, 0, '', [], {} and empty Maps are false; everything else is true. */
export function truthy(value: unknown): boolean {
  if (value === true) return true;
  if (value === false || value === null || value === undefined) return false;
  switch (typeof value) {
    case 'number':
      return value !== 0;
    case 'string':
      return value.length > 0;
    case 'bigint':
      return value !== 0n;
    case 'object':
      if (Array.isArray(value)) return value.length > 0;
      if (value instanceof Map) {
        for (const key of (value as Map<unknown, unknown>).keys()) if (!isPrivateKey(key)) return true;
        return false;
      }
      // PRIVATE keys are invisible: a mapping holding only those is empty to a condition.
      for (const key in value) if (Object.hasOwn(value, key) && !isPrivateKey(key)) return true;
      return false;
    default:
      return true;
  }
}

/** Whether `value` is a number or a bool (Python's `True + 1 == 2`). */
export function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/**
 * The cost of comparing two strings: the characters a comparison may scan (strings of different
 * lengths differ at once for `==`, but ordering scans up to the shorter one).
 */
export function textCost(a: string, b: string): number {
  return 1 + Math.min(a.length, b.length);
}

/**
 * Python `==`: numbers by value (`True == 1`, `1 == 1.0`), lists and mappings structurally.
 * Each list item, mapping entry and string character compared costs one unit of `meter`.
 */
export function pyEquals(a: unknown, b: unknown, offset: number, meter: Meter, depth = 0): boolean {
  if (typeof a === 'string') {
    if (typeof b !== 'string') return false;
    if (a.length !== b.length) return false;
    meter.charge(textCost(a, b), offset);
    return a === b;
  }
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (isNumeric(a)) return isNumeric(b) && Number(a) === Number(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (depth > MAX_DEPTH) fault(`== compares data nested more than ${MAX_DEPTH} levels deep (is it cyclic?)`, offset);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const left = listItems(a, offset);
    const right = listItems(b, offset);
    for (let i = 0; i < left.length; i++) {
      meter.charge(1, offset);
      if (!pyEquals(left[i], right[i], offset, meter, depth + 1)) return false;
    }
    return true;
  }
  if (!isMapping(a) || !isMapping(b) || Array.isArray(b)) return false;
  return mappingsEqual(a, b, offset, meter, depth);
}

function mappingsEqual(a: Mapping, b: Mapping, offset: number, meter: Meter, depth: number): boolean {
  const left = entriesOf(a, offset, meter);
  const right = new Map(entriesOf(b, offset, meter));
  if (left.length !== right.size) return false;
  for (const [key, value] of left) {
    if (!right.has(key) || !pyEquals(value, right.get(key), offset, meter, depth + 1)) return false;
  }
  return true;
}

/** Python `is`: identity, with `null` and `undefined` both being None. */
export function pyIs(a: unknown, b: unknown): boolean {
  return a === b || ((a === null || a === undefined) && (b === null || b === undefined));
}

/**
 * Python ordering: negative, zero or positive. Numbers with numbers, strings with strings, lists
 * lexicographically; anything else raises, as `'a' < 1` does in Python. Each list item and string
 * character compared costs one unit of `meter`.
 */
export function pyCompare(a: unknown, b: unknown, op: string, offset: number, meter: Meter, depth = 0): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    meter.charge(textCost(a, b), offset);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (depth > MAX_DEPTH) fault(`${op} compares lists nested more than ${MAX_DEPTH} levels deep`, offset);
    const left = listItems(a, offset);
    const right = listItems(b, offset);
    const length = Math.min(left.length, right.length);
    for (let i = 0; i < length; i++) {
      meter.charge(1, offset);
      if (!pyEquals(left[i], right[i], offset, meter, depth + 1)) return pyCompare(left[i], right[i], op, offset, meter, depth + 1);
    }
    return left.length - right.length;
  }
  return fault(`'${op}' is not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, offset);
}
