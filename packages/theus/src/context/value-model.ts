import { SchemaViolationError } from '../errors/index.js';
import { childZone, type Zone } from './zones.js';
import { createRecord, RECORD_THRESHOLD, recordForEachInsertion, recordStoreOf } from './persistent-record.js';
import { formatPath, type PathSegments } from './paths.js';
import { derivedBits, entryBits, heldBits, noteRecordBits } from './private-carriers.js';
import { addFlags, flagsOf, NodeFlag, setFlags } from './node-flags.js';

const SEALED_OR_RECORD = NodeFlag.Sealed | NodeFlag.Record;

/** How deep committed values may nest; deeper values are refused before recursion can overflow the stack. */
export const MAX_VALUE_DEPTH = 1000;

/** True for the primitives of the value model: null, booleans, finite numbers and strings. */
export function isModelPrimitive(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || value === null || (type === 'number' && Number.isFinite(value));
}

/** True when `value` is committed-state data that needs no further checking. */
export function isSealed(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return isModelPrimitive(value);
  return (flagsOf(value) & SEALED_OR_RECORD) !== 0;
}

/**
 * True when `value` is sealed and valid in `zone`. Sealed nodes holding a binary are valid only
 * inside the HEAVY zone, so "sealed" alone must not let them into DATA paths; and a sealed node
 * is valid in the HEAVY zone only when it holds nothing but binaries and `null` (see
 * {@link sealValue}), which costs a walk of its containers (never of its binaries): HEAVY
 * containers are small groupings, and only a sealed one moved into HEAVY is asked.
 */
export function isSealedFor(value: unknown, zone: Zone): boolean {
  if (typeof value !== 'object' || value === null) return zone === 'HEAVY' ? value === null : isModelPrimitive(value);
  const flags = flagsOf(value);
  if ((flags & SEALED_OR_RECORD) === 0) return false;
  if (zone === 'HEAVY') return findMisfit(value, [], zone) === undefined;
  return (flags & NodeFlag.Binary) === 0;
}

/** True for a binary value, or a sealed node holding one. */
function carriesBinary(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const flags = flagsOf(value);
  if ((flags & NodeFlag.Binary) !== 0) return true;
  return (flags & SEALED_OR_RECORD) === 0 && isBinary(value);
}

/** Marks `node` as holding a binary when one of `values` is or holds one. */
export function noteBinaryCarrier(node: object, values: Iterable<unknown>): void {
  for (const value of values) {
    if (carriesBinary(value)) {
      addFlags(node, NodeFlag.Binary);
      return;
    }
  }
}

/**
 * What one changed entry contributes to the flags of the copy holding it: the zone-marked keys it
 * carries and whether it holds a binary. OR these over the changed entries of a copy and pass
 * the result to {@link markDerivedSealed}.
 */
export function changeFlags(key: string, value: unknown): number {
  return entryBits(key, value) | (carriesBinary(value) ? NodeFlag.Binary : 0);
}

/**
 * Like {@link markSealed} for a copy of the sealed `base` that differs only at some keys, whose
 * {@link changeFlags} OR to `changed` (removed keys contribute nothing).
 */
export function markDerivedSealed<T extends Record<string, unknown>>(node: T, base: object, changed: number): T {
  const baseFlags = flagsOf(base);
  const flags = NodeFlag.Sealed | derivedBits(node, baseFlags, changed) | ((baseFlags | changed) & NodeFlag.Binary);
  setFlags(node, flags);
  return Object.freeze(node);
}

/** Marks a node built by Theus itself (from sealed parts) as sealed and freezes it. */
export function markSealed<T extends object>(node: T): T {
  let flags: number = NodeFlag.Sealed | heldBits(node);
  if (Object.values(node).some(carriesBinary)) flags |= NodeFlag.Binary;
  setFlags(node, flags);
  return Object.freeze(node);
}

/** True for the binary values the HEAVY zone holds (never frozen, never copied). */
export function isBinary(value: unknown): value is ArrayBuffer | SharedArrayBuffer | ArrayBufferView {
  return (
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) ||
    ArrayBuffer.isView(value)
  );
}

/** True for plain objects: created by `{}`, `Object.create(null)` or `JSON.parse`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const BINARY_HINT =
  "binary data belongs in the HEAVY zone: move it under a 'heavy_' key or the 'heavy' layer (engine.heavy.alloc() makes shared arrays there)";
const ZONELESS_BINARY_HINT =
  'binary data is not plain data (arguments and payloads are copied and stored): send numbers, strings or arrays of numbers, or keep the binary in the HEAVY zone of the state and pass its path';

/** Where a value is being sealed, for error messages. */
export interface SealSite {
  /** Who wrote the value, e.g. `Process 'transfer'`. */
  readonly who: string;
  /** The path the value is written to. */
  readonly path: PathSegments;
  /** The zone of that path. */
  readonly zone: Zone;
  /** Resolves values that stand for something else (drafts moved by a process); `undefined` otherwise. */
  readonly unwrap?: (value: object) => unknown;
  /**
   * True for data that is not state (a run's arguments, an outbox payload): its keys name no
   * zone (a `heavy_` key is an ordinary key there) and binaries are refused at any depth.
   */
  readonly zoneless?: boolean;
}

/**
 * Validates a value against the value model and returns its committed form: a deeply frozen
 * copy made of plain objects, arrays and primitives (HEAVY-zone binaries kept as they are).
 * Parts that are already sealed are shared, not copied. Object properties holding `undefined`
 * are dropped, as `JSON.stringify` does.
 *
 * Binaries (`ArrayBuffer`, `SharedArrayBuffer`, typed arrays, `DataView`, `Buffer`) are valid
 * only in the HEAVY zone (below a `heavy_` key or the `heavy` layer), and the HEAVY zone holds
 * only binaries: its values are binaries, `null` (an empty slot) and plain objects or arrays that
 * group them. A binary is kept by reference: never copied, frozen or walked (its elements are
 * not read), so a committed HEAVY value is the very object that was written.
 *
 * @throws SchemaViolationError (`TX_INVALID_VALUE`) naming the path and how to fix the value: a
 *   binary outside HEAVY, or anything but a binary, `null` or a grouping container inside it.
 */
export function sealValue(value: unknown, site: SealSite): unknown {
  return seal(value, site.path.slice(), site.zone, site, new Set());
}

/**
 * Node's proxy test, where the host has one (`util.types.isProxy`). A foreign Proxy would run
 * user code (its traps) on every read while it is copied, and could answer differently each
 * time, so committed state never takes one; browsers, which cannot tell, copy what the traps
 * report once.
 */
const isProxy: ((value: object) => boolean) | undefined = (() => {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const util = host?.getBuiltinModule?.('node:util') as { types?: { isProxy?: (value: object) => boolean } } | undefined;
  return util?.types?.isProxy;
})();

/** True for a Proxy whose traps Theus did not write, where the host can tell (Node); false elsewhere. */
export function isForeignProxy(value: object): boolean {
  return isProxy?.(value) === true && (flagsOf(value) & SEALED_OR_RECORD) === 0;
}

function seal(value: unknown, path: (string | number)[], zone: Zone, site: SealSite, ancestors: Set<object>): unknown {
  const who = site.who;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return zone === 'HEAVY' ? rejectInHeavy(who, path, value) : value;
    case 'number':
      if (zone === 'HEAVY') return rejectInHeavy(who, path, value);
      if (Number.isFinite(value)) return value;
      return reject(who, path, value, 'use null or a finite number instead (JSON cannot represent it)');
    case 'object':
      break;
    case 'undefined':
      return reject(who, path, value, hintFor(value));
    default:
      return zone === 'HEAVY' ? rejectInHeavy(who, path, value) : reject(who, path, value, hintFor(value));
  }
  if (value === null) return value;
  const flags = flagsOf(value);
  if ((flags & SEALED_OR_RECORD) !== 0) return sealedIn(value, flags, path, zone, site);
  // What a moved draft or a handed-back input stands for is sealed already, but must still suit this zone.
  const resolved = site.unwrap?.(value);
  if (resolved !== undefined) return seal(resolved, path, zone, site, ancestors);
  if (isProxy?.(value) === true) return reject(who, path, value, 'a Proxy is not plain data; copy its fields into a plain object');
  if (isBinary(value)) {
    if (zone === 'HEAVY') return value;
    return reject(who, path, value, site.zoneless === true ? ZONELESS_BINARY_HINT : BINARY_HINT);
  }
  if (ancestors.has(value)) return reject(who, path, value, 'the value contains a cycle; committed state must be a tree');
  if (ancestors.size >= MAX_VALUE_DEPTH) {
    return reject(who, path, value, `values may nest at most ${MAX_VALUE_DEPTH} levels deep; flatten the structure`);
  }
  ancestors.add(value);
  let sealed: object;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return reject(who, path, value, 'use a plain array');
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined) {
        path.push(i);
        return reject(who, path, undefined, 'arrays cannot hold undefined or holes; use null');
      }
      path.push(i);
      out[i] = seal(value[i], path, site.zoneless === true ? zone : childZone(zone, i), site, ancestors);
      path.pop();
    }
    sealed = markSealed(out);
  } else if (isPlainObject(value)) {
    sealed = sealObject(value, path, zone, site, ancestors);
  } else {
    return zone === 'HEAVY' ? rejectInHeavy(who, path, value) : reject(who, path, value, hintFor(value));
  }
  ancestors.delete(value);
  return sealed;
}

function sealObject(value: Record<string, unknown>, path: (string | number)[], zone: Zone, site: SealSite, ancestors: Set<object>): object {
  const who = site.who;
  const keys = Object.keys(value);
  const entries: [string, unknown][] = [];
  for (const key of keys) {
    path.push(key);
    if (key === '__proto__') reject(who, path, value, "the key '__proto__' is not allowed in committed state");
    const child = value[key];
    if (child !== undefined) entries.push([key, seal(child, path, site.zoneless === true ? zone : childZone(zone, key), site, ancestors)]);
    path.pop();
  }
  if (entries.length > RECORD_THRESHOLD) {
    const record = createRecord(entries, entries.length);
    // The zone-marked keys it holds are known now; computing them later would walk every entry again.
    let bits = 0;
    for (const [key, child] of entries) bits |= entryBits(key, child);
    noteRecordBits(record, bits);
    noteBinaryCarrier(
      record,
      entries.map(([, child]) => child),
    );
    return record;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) out[key] = child;
  return markSealed(out);
}

/**
 * A sealed node written at `path`: kept as it is when it suits `zone`; otherwise rejected at
 * its first value that does not (a binary outside HEAVY, data inside it).
 */
function sealedIn(value: object, flags: number, path: (string | number)[], zone: Zone, site: SealSite): object {
  if (zone !== 'HEAVY' && (flags & NodeFlag.Binary) === 0) return value;
  const zoneless = site.zoneless === true;
  const misfit = findMisfit(value, path, zone, zoneless);
  if (misfit === undefined) return value;
  if (misfit.zone === 'HEAVY') return rejectInHeavy(site.who, path, misfit.value);
  return reject(site.who, path, misfit.value, zoneless ? ZONELESS_BINARY_HINT : BINARY_HINT);
}

/** A value found where its zone does not allow it, and that zone. */
interface Misfit {
  readonly value: unknown;
  readonly zone: Zone;
}

/**
 * The first value of the sealed `node` (in `zone`, at `path`) that its zone does not allow, with
 * `path` left extended to it; `undefined` (and `path` as it was) when every value suits its
 * zone. Binaries are never entered; outside HEAVY only nodes flagged as holding one are.
 * `zoneless` data keeps `zone` at every depth (see {@link SealSite.zoneless}).
 */
function findMisfit(node: object, path: (string | number)[], zone: Zone, zoneless = false): Misfit | undefined {
  if (isBinary(node)) return zone === 'HEAVY' ? undefined : { value: node, zone };
  if (zone !== 'HEAVY' && (flagsOf(node) & NodeFlag.Binary) === 0) return undefined;
  let found: Misfit | undefined;
  const visit = (child: unknown, key: string | number): void => {
    if (found !== undefined) return;
    const inner = zoneless ? zone : childZone(zone, key);
    path.push(key);
    if (typeof child === 'object' && child !== null) found = findMisfit(child, path, inner, zoneless);
    else if (inner === 'HEAVY' && child !== null) found = { value: child, zone: inner };
    if (found === undefined) path.pop();
  };
  const store = recordStoreOf(node);
  if (store !== undefined) recordForEachInsertion(store, visit);
  else if (Array.isArray(node)) for (let i = 0; i < node.length && found === undefined; i++) visit(node[i], i);
  else for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], key);
  return found;
}

function hintFor(value: unknown): string {
  if (value === undefined) return 'use null, or delete the key';
  if (typeof value === 'bigint') return 'store it as a string or a number';
  if (typeof value === 'function') return 'functions cannot be stored; keep logic in processes';
  if (typeof value === 'symbol') return 'store a string instead';
  if (value instanceof Date) return 'store date.toISOString() or date.getTime() instead';
  if (value instanceof Map) return 'store Object.fromEntries(map) instead';
  if (value instanceof Set) return 'store Array.from(set) instead';
  return 'copy its fields into a plain object';
}

/** Names an object's kind without running user code (no getters, no proxy traps). */
function describeObject(value: object): string {
  if (isProxy?.(value) === true) return 'Proxy';
  const proto: unknown = Object.getPrototypeOf(value);
  const ctor: unknown =
    typeof proto === 'object' && proto !== null ? Object.getOwnPropertyDescriptor(proto, 'constructor')?.value : undefined;
  return typeof ctor === 'function' && typeof (ctor as { name?: unknown }).name === 'string' ? (ctor as { name: string }).name : 'object';
}

function reject(who: string, path: PathSegments, value: unknown, hint: string): never {
  const shown = path.length === 0 ? '(root)' : formatPath(path);
  const kind =
    value === null || value === undefined || typeof value !== 'object'
      ? typeof value === 'number'
        ? String(value)
        : typeof value
      : describeObject(value);
  throw new SchemaViolationError(
    'TX_INVALID_VALUE',
    `${who} wrote ${kind} at '${shown}', which is outside the value model (null, boolean, number, string, arrays, plain objects): ${hint}.`,
    { details: { path: shown } },
  );
}

/** Rejects a value that is not binary data at a HEAVY path. */
function rejectInHeavy(who: string, path: PathSegments, value: unknown): never {
  const shown = path.length === 0 ? '(root)' : formatPath(path);
  const kind =
    value === null || typeof value !== 'object' ? (typeof value === 'number' ? String(value) : typeof value) : describeObject(value);
  throw new SchemaViolationError(
    'TX_INVALID_VALUE',
    `${who} wrote ${kind} at '${shown}', a HEAVY path, which holds only binary data (ArrayBuffer, SharedArrayBuffer, typed arrays, DataView, Buffer), null, and plain objects or arrays grouping them: keep other values under a DATA path (outside 'heavy_' keys and the 'heavy' layer), or put numbers in a typed array.`,
    { details: { path: shown, zone: 'HEAVY' } },
  );
}
