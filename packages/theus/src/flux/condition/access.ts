/**
 * Safe reads: a condition reaches only own data properties. Prototype members (`constructor`,
 * `__proto__`, `toString`, `map`...) and getters are refused, so a condition cannot call into code.
 * PRIVATE keys (`internal_...`, at any depth) are invisible: reading one is like reading an absent
 * key, listing keys skips them, and no message ever quotes their values.
 *
 * @packageDocumentation
 */
import type { Meter } from './budget.js';
import { fault, typeName } from './fault.js';
import { describeValue } from './py-repr.js';
import { isSealed } from '../../context/value-model.js';

/** A mapping: a non-array object (its own keys) or a `Map`. */
export type Mapping = object;

const getDescriptor = Object.getOwnPropertyDescriptor;
/** Frozen arrays already checked to hold no accessor elements (a frozen array cannot change). */
const verifiedLists = new WeakSet<readonly unknown[]>();
const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether `value` is a mapping (not None, not a list, not a primitive). */
export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Frozen objects whose prototype is `Object.prototype` or `null` and whose own properties are all
 * data. Freezing fixes both facts for good, so each object is checked once; afterwards `in` (which
 * V8 caches per call site) replaces the slow `Object.getOwnPropertyDescriptor`.
 */
const plainData = new WeakSet<object>();

/**
 * Whether `target` is known to hold data properties only, without checking it: committed state
 * (sealed by the kernel, or a record: asking a record isFrozen would make it build a frozen copy),
 * or an object already checked by {@link isPlainData}.
 */
function isKnownData(target: object): boolean {
  return plainData.has(target) || isSealed(target);
}

/**
 * {@link isKnownData}, else checks a frozen plain object once and remembers it. Committed state is
 * stamped by the kernel, so only objects built outside it (a test's scope, a host's) are walked.
 */
function isPlainData(target: object): boolean {
  if (isKnownData(target)) return true;
  if (!Object.isFrozen(target)) return false;
  const proto: unknown = Object.getPrototypeOf(target);
  if (proto !== OBJECT_PROTOTYPE && proto !== null) return false;
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = getDescriptor(target, key);
    if (descriptor !== undefined && !('value' in descriptor)) return false;
  }
  plainData.add(target);
  return true;
}

const OBJECT_PROTOTYPE = Object.prototype;

/** The prefix of PRIVATE keys (SPEC 1; `zoneOfSegment` in context/zones.ts decides the same). */
const PRIVATE_PREFIX = 'internal_';

/**
 * Whether `key` names a PRIVATE field (`internal_...`), which conditions never see. The same rule
 * as `zoneOfSegment(key) === 'PRIVATE'`, written out because it runs on every dynamic key read.
 */
export function isPrivateKey(key: unknown): boolean {
  return typeof key === 'string' && key.charCodeAt(0) === 105 && key.startsWith(PRIVATE_PREFIX);
}

/** The hint that explains why a PRIVATE key reads as absent (empty for other keys). */
export function privateHint(key: unknown): string {
  return isPrivateKey(key) ? ": keys starting with 'internal_' are PRIVATE and invisible to conditions" : '';
}

/**
 * The own data property `key` of `target`, or `absent` when there is none or when it is PRIVATE.
 * Throws on a getter.
 */
export function ownData(target: object, key: string, absent: unknown, offset: number): unknown {
  return isPrivateKey(key) ? absent : ownVisibleData(target, key, absent, offset);
}

/**
 * {@link ownData} for a key already known not to be PRIVATE (a constant key checked once at
 * compile time, or a key checked by the caller).
 */
export function ownVisibleData(target: object, key: string, absent: unknown, offset: number): unknown {
  if (isPlainData(target)) {
    return Object.hasOwn(target, key) ? (target as Record<string, unknown>)[key] : absent;
  }
  return describedData(target, key, absent, offset);
}

/**
 * {@link ownVisibleData} for an object built for one evaluation only (the scope a host builds for
 * each evaluation): checking and remembering it as a whole would cost more than the one descriptor
 * this read takes. An object that is committed state or already checked is read directly.
 */
export function freshData(target: object, key: string, absent: unknown, offset: number): unknown {
  if (isKnownData(target)) return Object.hasOwn(target, key) ? (target as Record<string, unknown>)[key] : absent;
  return describedData(target, key, absent, offset);
}

/** Reads `key` through its property descriptor: `absent` when there is none; a getter faults. */
function describedData(target: object, key: string, absent: unknown, offset: number): unknown {
  const descriptor = getDescriptor(target, key);
  if (descriptor === undefined) return absent;
  if (!('value' in descriptor)) fault(`'${key}' is an accessor (getter), which conditions cannot read`, offset);
  return descriptor.value;
}

/** Marker for a missing key, distinct from every value a condition can see. */
export const MISSING: unique symbol = Symbol('missing');

/** Marks a list the condition built itself (plain data elements only), so it is never re-checked. */
export function trusted<T extends unknown[]>(list: T): T {
  verifiedLists.add(list);
  return list;
}

/** The array itself once checked to hold only data elements (getters would run code). */
export function listItems(list: readonly unknown[], offset: number): readonly unknown[] {
  if (verifiedLists.has(list)) return list;
  for (let i = 0; i < list.length; i++) {
    const descriptor = getDescriptor(list, i);
    if (descriptor !== undefined && !('value' in descriptor)) fault(`list item ${String(i)} is an accessor (getter)`, offset);
  }
  if (Object.isFrozen(list)) verifiedLists.add(list);
  return list;
}

/**
 * The visible keys of a mapping (own enumerable string keys of an object, or a Map's keys),
 * PRIVATE keys left out. Listing costs one unit per key.
 */
export function keysOf(mapping: Mapping, offset: number, meter: Meter): unknown[] {
  const keys: unknown[] = mapping instanceof Map ? [...(mapping as Map<unknown, unknown>).keys()] : Object.keys(mapping);
  meter.charge(keys.length, offset);
  return trusted(keys.some(isPrivateKey) ? keys.filter((key) => !isPrivateKey(key)) : keys);
}

/** The visible `[key, value]` pairs of a mapping, reading only data properties; one unit per pair. */
export function entriesOf(mapping: Mapping, offset: number, meter: Meter): [unknown, unknown][] {
  const keys = keysOf(mapping, offset, meter);
  if (mapping instanceof Map) {
    const map = mapping as Map<unknown, unknown>;
    return trusted(keys.map((key) => trusted([key, map.get(key)])));
  }
  return trusted(keys.map((key) => trusted([key, ownVisibleData(mapping, key as string, undefined, offset)])));
}

/** An object key for a Python dict key: strings, and integers (YAML's `{1: x}` has key `'1'`). */
function objectKey(key: unknown, offset: number): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isInteger(key)) return String(key);
  if (typeof key === 'object' && key !== null) fault(`unhashable type: '${typeName(key)}'`, offset);
  return undefined;
}

/** The value under `key` in a mapping, or `absent`. */
export function lookup(mapping: Mapping, key: unknown, absent: unknown, offset: number): unknown {
  if (isPrivateKey(key)) return absent;
  if (mapping instanceof Map) {
    const map = mapping as Map<unknown, unknown>;
    return map.has(key) ? map.get(key) : absent;
  }
  const name = objectKey(key, offset);
  return name === undefined ? absent : ownVisibleData(mapping, name, absent, offset);
}

/** Whether a mapping has `key` (Python `key in mapping`). */
export function hasKey(mapping: Mapping, key: unknown, offset: number): boolean {
  if (isPrivateKey(key)) return false;
  if (mapping instanceof Map) return (mapping as Map<unknown, unknown>).has(key);
  const name = objectKey(key, offset);
  return name !== undefined && Object.hasOwn(mapping, name);
}

/** `target.name`: the mapping's own data key `name`; missing keys and non-mappings raise. */
export function readAttribute(target: unknown, name: string, offset: number): unknown {
  if (!isMapping(target)) return fault(`'${typeName(target)}' object has no attribute '${name}'`, offset);
  const value = target instanceof Map ? lookup(target, name, MISSING, offset) : ownData(target, name, MISSING, offset);
  if (value !== MISSING) return value;
  const hint = privateHint(name);
  return fault(hint === '' ? `no key '${name}' (use .get('${name}') when it may be absent)` : `no key '${name}'${hint}`, offset);
}

/** The length of a string in code points, as Python counts it. */
export function stringLength(text: string): number {
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

/** `target[index]` for lists and strings (negative indexes count from the end) and mappings. */
export function readItem(target: unknown, index: unknown, offset: number): unknown {
  if (Array.isArray(target) || typeof target === 'string') {
    if (typeof index !== 'number' && typeof index !== 'boolean') {
      return fault(`${typeName(target)} indices must be integers, not '${typeName(index)}'`, offset);
    }
    const i = Number(index);
    if (!Number.isInteger(i)) return fault(`${typeName(target)} indices must be integers, not 'float'`, offset);
    const items: readonly unknown[] | string = typeof target === 'string' && SURROGATE.test(target) ? Array.from(target) : target;
    const at = i < 0 ? i + items.length : i;
    if (at < 0 || at >= items.length) return fault(`${typeName(target)} index ${String(i)} is out of range`, offset);
    return typeof items === 'string' ? items[at] : ownVisibleData(items, String(at), undefined, offset);
  }
  if (!isMapping(target)) return fault(`'${typeName(target)}' object is not subscriptable`, offset);
  const value = lookup(target, index, MISSING, offset);
  if (value !== MISSING) return value;
  const hint = privateHint(index);
  return fault(`no key ${describeValue(index)}${hint === '' ? ' (use .get() when it may be absent)' : hint}`, offset);
}
