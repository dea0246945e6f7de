import { DELETED, recordStoreOf, type RecordStore } from './persistent-record.js';

/**
 * Committed nodes that hold a PRIVATE (`internal_`) key somewhere below them. Computed when a
 * node is sealed, from its keys and its (already sealed) children, so the check is O(1) at read
 * time. Immutable nodes never change, so one cache is safe to share between engines.
 */
const CARRIERS = new WeakSet<object>();

/** True when the key names a PRIVATE-zone field. */
export function isPrivateKey(key: string | number): boolean {
  return typeof key === 'string' && key.startsWith('internal_');
}

/** True when a committed value holds a PRIVATE key at any depth. */
export function carriesPrivate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const store = recordStoreOf(value);
  if (store !== undefined) return recordCarriesPrivate(store);
  return CARRIERS.has(value);
}

/** Records whether a freshly sealed plain node carries PRIVATE keys. */
export function notePrivateCarrier(node: object): void {
  if (Array.isArray(node)) {
    for (const item of node as unknown[]) {
      if (carriesPrivate(item)) {
        CARRIERS.add(node);
        return;
      }
    }
    return;
  }
  for (const key in node) {
    if (isPrivateKey(key) || carriesPrivate((node as Record<string, unknown>)[key])) {
      CARRIERS.add(node);
      return;
    }
  }
}

/**
 * Records whether `node`, a copy of the sealed `base` that differs only at `changed` keys, holds a
 * PRIVATE key at any depth. Only the changed keys are inspected when `base` held none, so marking
 * a copy costs what changed, not the size of the object.
 */
export function noteDerivedPrivateCarrier(node: Record<string, unknown>, base: object, changed: Iterable<string>): void {
  if (CARRIERS.has(base)) {
    notePrivateCarrier(node);
    return;
  }
  for (const key of changed) {
    if (isPrivateKey(key) || carriesPrivate(node[key])) {
      CARRIERS.add(node);
      return;
    }
  }
}

/**
 * Records whether the record `facade`, derived from `base` by `changes`, holds a PRIVATE key, from
 * the changes alone when `base` holds none (its flag is computed once); otherwise lazily on demand.
 */
export function noteDerivedRecord(facade: object, base: RecordStore, changes: ReadonlyMap<string, unknown>): void {
  const store = recordStoreOf(facade);
  if (store === undefined || recordCarriesPrivate(base)) return;
  let flag = false;
  for (const [key, value] of changes) {
    if (value !== DELETED && (isPrivateKey(key) || carriesPrivate(value))) {
      flag = true;
      break;
    }
  }
  store.carriesPrivate = flag;
}

function recordCarriesPrivate(store: RecordStore): boolean {
  let flag = store.carriesPrivate;
  if (flag === undefined) {
    flag = false;
    outer: for (const bucket of store.buckets) {
      for (const [key, value] of bucket) {
        if (isPrivateKey(key) || carriesPrivate(value)) {
          flag = true;
          break outer;
        }
      }
    }
    store.carriesPrivate = flag;
  }
  return flag;
}
