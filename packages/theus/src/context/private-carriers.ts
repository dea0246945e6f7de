import { flagsOf, NodeFlag } from './node-flags.js';
import { DELETED, recordForEach, recordStoreOf, type RecordStore } from './persistent-record.js';
import { zoneOfSegment } from './zones.js';

// Which zone-marked keys a committed node holds somewhere below it is computed once, when the
// node is sealed, so the questions "does this input hide PRIVATE data?" and "could replacing this
// value break a zone rule?" cost one flag read at run time.

/** The carried bits: PRIVATE keys, and any key that starts a protected (CONST, PRIVATE, LOG) zone. */
const CARRIED = NodeFlag.Private | NodeFlag.Zoned;

/** True when the key names a PRIVATE-zone field. */
export function isPrivateKey(key: string | number): boolean {
  return typeof key === 'string' && key.startsWith('internal_');
}

/** The carried bits a key and its sealed value contribute to the node holding them. */
export function entryBits(key: string, value: unknown): number {
  return keyBits(key) | carriedBits(value);
}

/** Records the carried bits of a record built by Theus, known from its entries (saves a later walk). */
export function noteRecordBits(record: object, bits: number): void {
  const store = recordStoreOf(record);
  if (store !== undefined) store.carried = bits;
}

/** The carried bits a key contributes to the node holding it. */
function keyBits(key: string): number {
  const zone = zoneOfSegment(key);
  if (zone === undefined) return 0;
  if (zone === 'PRIVATE') return CARRIED;
  return zone === 'CONST' || zone === 'LOG' ? NodeFlag.Zoned : 0;
}

/** The carried bits of a committed value (0 for primitives). */
export function carriedBits(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const flags = flagsOf(value);
  if ((flags & NodeFlag.Record) !== 0) return recordBits(recordStoreOf(value) as RecordStore);
  return flags & CARRIED;
}

/** True when a committed value holds a PRIVATE key at any depth. */
export function carriesPrivate(value: unknown): boolean {
  return (carriedBits(value) & NodeFlag.Private) !== 0;
}

/** True when a committed value holds a CONST, PRIVATE or LOG key at any depth. */
export function carriesZoned(value: unknown): boolean {
  return (carriedBits(value) & NodeFlag.Zoned) !== 0;
}

/** The carried bits of a freshly sealed plain node (object or array of sealed values). */
export function heldBits(node: object): number {
  let bits = 0;
  if (Array.isArray(node)) {
    for (const item of node as unknown[]) if ((bits |= carriedBits(item)) === CARRIED) return bits;
    return bits;
  }
  for (const key in node) {
    bits |= keyBits(key) | carriedBits((node as Record<string, unknown>)[key]);
    if (bits === CARRIED) return bits;
  }
  return bits;
}

/**
 * The carried bits of `node`, a copy of the sealed `base` (with flags `baseFlags`) whose changed
 * entries carry `changed` (see `changeFlags`). When `base` carried nothing the changes decide, so
 * marking a copy costs what changed, not the size of the object; otherwise a removed key may have
 * taken bits away, and the copy is walked.
 */
export function derivedBits(node: Record<string, unknown>, baseFlags: number, changed: number): number {
  return (baseFlags & CARRIED) !== 0 ? heldBits(node) : changed & CARRIED;
}

/**
 * Records the carried bits of the record `facade`, derived from `base` by `changes`, from the
 * changes alone when `base` carries nothing (its bits are computed once); otherwise lazily.
 */
export function noteDerivedRecord(facade: object, base: RecordStore, changes: ReadonlyMap<string, unknown>): void {
  const store = recordStoreOf(facade);
  if (store === undefined || recordBits(base) !== 0) return;
  let bits = 0;
  for (const [key, value] of changes) if (value !== DELETED) bits |= keyBits(key) | carriedBits(value);
  store.carried = bits;
}

function recordBits(store: RecordStore): number {
  let bits = store.carried;
  if (bits === undefined) {
    let found = 0;
    recordForEach(store, (value, key) => {
      found |= keyBits(key) | carriedBits(value);
    });
    store.carried = bits = found;
  }
  return bits;
}
