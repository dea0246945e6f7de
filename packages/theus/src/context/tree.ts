import {
  createRecord,
  DELETED,
  RECORD_THRESHOLD,
  recordForEachInsertion,
  recordGet,
  recordStoreOf,
  recordWith,
  setPlainKey,
  type RecordStore,
} from './persistent-record.js';
import { changeFlags, isSealedFor, markDerivedSealed, markSealed, noteBinaryCarrier } from './value-model.js';
import { noteDerivedRecord } from './private-carriers.js';
import type { PathSegments } from './paths.js';
import type { Patch } from '../transaction/patches.js';

/** Reads one key of a committed node (plain object, array or record). */
export function getChild(node: unknown, key: string | number): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const store = recordStoreOf(node);
  if (store !== undefined) return recordGet(store, String(key));
  return Object.hasOwn(node, key) ? (node as Record<string | number, unknown>)[key] : undefined;
}

/** Reads the value at `path` of a committed tree, or `undefined` when any step is missing. */
export function getIn(root: unknown, path: PathSegments): unknown {
  let node = root;
  // An index loop: paths are often frozen arrays, which for..of walks through an allocated iterator.
  for (let i = 0; i < path.length; i++) {
    node = getChild(node, path[i] as string | number);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Applies patches to a committed tree and returns the new tree; untouched branches are shared.
 * Patch values must already be sealed (patches produced by Theus always are).
 */
export function applyPatches(root: unknown, patches: readonly Patch[]): unknown {
  let next = root;
  for (const patch of patches) next = applyAt(next, patch, 0);
  return next;
}

function applyAt(node: unknown, patch: Patch, depth: number): unknown {
  const key = patch.path[depth] as string | number;
  if (depth === patch.path.length - 1) return withKey(node, key, patch);
  const child = getChild(node, key);
  const base = child === undefined ? markSealed({}) : child;
  return withKey(node, key, { op: 'replace', path: patch.path, value: applyAt(base, patch, depth + 1) });
}

function withKey(node: unknown, key: string | number, patch: Patch): unknown {
  const container = typeof node === 'object' && node !== null ? node : {};
  const store = recordStoreOf(container);
  if (store !== undefined) {
    return sealedRecordWith(store, new Map([[String(key), patch.op === 'remove' ? DELETED : patch.value]]));
  }
  if (Array.isArray(container)) {
    const copy = container.slice();
    if (key === 'length') copy.length = patch.value as number;
    else if (patch.op === 'add') copy.splice(key as number, 0, patch.value);
    else if (patch.op === 'remove') copy.splice(key as number, 1);
    else copy[key as number] = patch.value;
    return markSealed(copy);
  }
  const base = container as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...base };
  if (patch.op === 'remove') delete copy[key];
  // Defined, never assigned: a key named `__proto__` stays a key and never sets a prototype.
  else setPlainKey(copy, key as string, patch.value);
  return sealDerivedObject(copy, base, patch.op === 'remove' ? 0 : changeFlags(String(key), patch.value), !Object.hasOwn(base, key));
}

/** Records that shrink to this many keys become plain frozen objects again (half the threshold: no flapping). */
export const RECORD_SHRINK_SIZE = RECORD_THRESHOLD >> 1;

/**
 * A record derived from `store` by `changes` (values already sealed; `moved` keys were deleted
 * and added again, see {@link recordWith}), its PRIVATE flag kept up to date. A record that
 * shrank to {@link RECORD_SHRINK_SIZE} keys becomes a plain frozen object again.
 */
export function sealedRecordWith(store: RecordStore, changes: ReadonlyMap<string, unknown>, moved?: ReadonlySet<string>): object {
  const facade = recordWith(store, changes, moved);
  const next = recordStoreOf(facade) as RecordStore;
  if (next.size <= RECORD_SHRINK_SIZE && next.size < store.size) {
    const plain: Record<string, unknown> = {};
    recordForEachInsertion(next, (value, key) => {
      setPlainKey(plain, key, value);
    });
    return markSealed(plain);
  }
  noteDerivedRecord(facade, store, changes);
  noteBinaryCarrier(facade, isSealedFor(store.facade, 'DATA') ? changes.values() : [store.facade]);
  return facade;
}

/**
 * Seals `copy`, a copy of the sealed plain object `base` whose changed entries' `changeFlags` OR
 * to `changed`, switching to a record when it grew past the threshold. Costs what changed: keys
 * are counted only if it grew.
 */
export function sealDerivedObject(copy: Record<string, unknown>, base: object, changed: number, grew: boolean): object {
  if (grew) {
    const size = Object.keys(copy).length;
    if (size > RECORD_THRESHOLD) return createRecord(Object.entries(copy), size);
  }
  return markDerivedSealed(copy, base, changed);
}
