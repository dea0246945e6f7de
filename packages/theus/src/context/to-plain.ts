/**
 * `toPlain`: Theus data as real plain objects, for the places a record facade (a Proxy) cannot
 * go: `structuredClone`, `postMessage`, worker threads, anything that copies with the structured
 * clone algorithm.
 *
 * @packageDocumentation
 */
import { flagsOf, NodeFlag } from './node-flags.js';
import { recordForEachInsertion, recordStoreOf, setPlainKey, type RecordStore } from './persistent-record.js';
import { isBinary, MAX_VALUE_DEPTH } from './value-model.js';
import { formatPath, type PathSegments } from './paths.js';

/**
 * The plain form of Theus data: the same value made only of real plain objects, arrays and
 * primitives, **deeply frozen**, with every key in the same order. Persistent records (the
 * Proxy facades Theus uses for objects of more than 64 keys) become frozen plain objects, so
 * the result can be given to `structuredClone`, `postMessage` or a worker, and
 * `Object.isFrozen` holds at every level.
 *
 * It copies only what it must: a committed subtree that holds no record is returned as it is
 * (already a frozen plain object), so the cost follows the records inside `value`, plus one
 * pass over the rest. Drafts, input views and unfrozen objects are copied. HEAVY binaries
 * (`ArrayBuffer`, typed arrays) are kept by reference, as in the state.
 *
 * For a mutable deep copy, clone the result: `structuredClone(toPlain(engine.state))`.
 *
 * @throws TypeError when `value` holds something outside the value model (a function, a `Date`,
 *   a class instance, `undefined` in an array, a non-finite number, a cycle), naming its path.
 * @example
 * ```ts
 * import { toPlain } from 'theus';
 * worker.postMessage(toPlain(engine.state.domain)); // structuredClone(engine.state) throws DataCloneError
 * ```
 */
export function toPlain<T>(value: T): T {
  const path: (string | number)[] = [];
  return convert(value, path) as T;
}

function convert(value: unknown, path: (string | number)[]): unknown {
  if (typeof value !== 'object' || value === null) return primitive(value, path);
  if (path.length >= MAX_VALUE_DEPTH) return reject(path, `an object nested over ${MAX_VALUE_DEPTH} levels deep (or a cycle)`);
  const flags = flagsOf(value);
  if ((flags & NodeFlag.Record) !== 0) return recordToPlain(recordStoreOf(value) as RecordStore, path);
  const sealed = (flags & NodeFlag.Sealed) !== 0;
  if (Array.isArray(value)) return arrayToPlain(value as readonly unknown[], sealed, path);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return objectToPlain(value as Record<string, unknown>, sealed, path);
  if (isBinary(value)) return value;
  return reject(path, describe(proto));
}

/** Checks a primitive (committed nodes hold only valid ones; anything else is checked here). */
function primitive(value: unknown, path: PathSegments): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : reject(path, String(value));
    case 'undefined':
      return path.length === 0 ? undefined : reject(path, 'undefined (or a hole) in an array');
    default:
      return value === null ? null : reject(path, `a ${typeof value}`);
  }
}

/** Converts the child at `key`: objects recursively, primitives checked unless the parent is committed. */
function child(value: unknown, key: string | number, sealed: boolean, path: (string | number)[]): unknown {
  if (typeof value === 'object' ? value === null : sealed) return value;
  path.push(key);
  const plain = convert(value, path);
  path.pop();
  return plain;
}

/**
 * A committed (sealed) object is shared unless a child changes; anything else is copied. The
 * scan of a committed object uses `for..in` (no key array to allocate; its prototype is
 * Object.prototype, which has no enumerable keys).
 */
function objectToPlain(node: Record<string, unknown>, sealed: boolean, path: (string | number)[]): object {
  if (!sealed) return copyObject(node, false, path, 0, undefined);
  let index = 0;
  for (const key in node) {
    const value = node[key];
    if (typeof value === 'object' && value !== null) {
      path.push(key);
      const plain = convert(value, path);
      path.pop();
      if (plain !== value) return copyObject(node, true, path, index, plain);
    }
    index++;
  }
  return node;
}

/** A frozen copy of `node` whose first `start` keys need no conversion and whose key at `start` converts to `first` (when given). */
function copyObject(node: Record<string, unknown>, sealed: boolean, path: (string | number)[], start: number, first: unknown): object {
  const keys = Object.keys(node);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < start; i++) setPlainKey(out, keys[i] as string, node[keys[i] as string]);
  for (let i = start; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = node[key];
    if (i === start && first !== undefined) setPlainKey(out, key, first);
    // Dropped, as the value model and JSON do (never in a committed node).
    else if (value !== undefined) setPlainKey(out, key, child(value, key, sealed, path));
  }
  return Object.freeze(out);
}

function arrayToPlain(node: readonly unknown[], sealed: boolean, path: (string | number)[]): readonly unknown[] {
  const length = node.length;
  let out: unknown[] | undefined = sealed ? undefined : new Array<unknown>(length);
  for (let i = 0; i < length; i++) {
    const value = node[i];
    const plain = value === undefined ? reject([...path, i], 'undefined (or a hole) in an array') : child(value, i, sealed, path);
    if (out === undefined) {
      if (plain === value) continue;
      out = node.slice(0, i);
    }
    out[i] = plain;
  }
  return out === undefined ? node : Object.freeze(out);
}

/** A record becomes a frozen plain object, built straight from its entries in the record's key order. */
function recordToPlain(store: RecordStore, path: (string | number)[]): object {
  const out: Record<string, unknown> = {};
  recordForEachInsertion(store, (value, key) => {
    setPlainKey(out, key, child(value, key, true, path));
  });
  return Object.freeze(out);
}

function describe(proto: unknown): string {
  const ctor: unknown =
    typeof proto === 'object' && proto !== null ? Object.getOwnPropertyDescriptor(proto, 'constructor')?.value : undefined;
  return typeof ctor === 'function' && typeof (ctor as { name?: unknown }).name === 'string'
    ? `a ${(ctor as { name: string }).name}`
    : 'an object that is not plain';
}

function reject(path: PathSegments, what: string): never {
  const shown = path.length === 0 ? '(root)' : formatPath(path);
  throw new TypeError(
    `toPlain: '${shown}' holds ${what}, which is not plain data (null, boolean, finite number, string, arrays, plain objects).`,
  );
}
