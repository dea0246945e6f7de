import { flagsOf, NodeFlag } from './node-flags.js';
import { DELETED, recordStoreOf, type RecordStore } from './persistent-record.js';

// Whether a committed node holds a PRIVATE (`internal_`) key somewhere below it is computed once,
// when the node is sealed (NodeFlag.Private), so the check costs one lookup at read time.

/** True when the key names a PRIVATE-zone field. */
export function isPrivateKey(key: string | number): boolean {
  return typeof key === 'string' && key.startsWith('internal_');
}

/** True when a committed value holds a PRIVATE key at any depth. */
export function carriesPrivate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const flags = flagsOf(value);
  if ((flags & NodeFlag.Record) !== 0) return recordCarriesPrivate(recordStoreOf(value) as RecordStore);
  return (flags & NodeFlag.Private) !== 0;
}

/** Whether a freshly sealed plain node (object or array of sealed values) holds PRIVATE keys. */
export function holdsPrivate(node: object): boolean {
  if (Array.isArray(node)) {
    for (const item of node as unknown[]) if (carriesPrivate(item)) return true;
    return false;
  }
  for (const key in node) if (isPrivateKey(key) || carriesPrivate((node as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * Whether `node`, a copy of the sealed `base` (with flags `baseFlags`) that differs only at
 * `changed` keys, holds a PRIVATE key. Only the changed keys are inspected when `base` held
 * none, so marking a copy costs what changed, not the size of the object.
 */
export function derivedHoldsPrivate(node: Record<string, unknown>, baseFlags: number, changed: Iterable<string>): boolean {
  if ((baseFlags & NodeFlag.Private) !== 0) return holdsPrivate(node);
  for (const key of changed) if (isPrivateKey(key) || carriesPrivate(node[key])) return true;
  return false;
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
      for (let i = 0; i < bucket.length; i += 2) {
        if (isPrivateKey(bucket[i] as string) || carriesPrivate(bucket[i + 1])) {
          flag = true;
          break outer;
        }
      }
    }
    store.carriesPrivate = flag;
  }
  return flag;
}
