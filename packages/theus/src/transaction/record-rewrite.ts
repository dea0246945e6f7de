import { childPath, type PathSegments } from '../context/paths.js';
import { DELETED, recordGet, recordHas, recordKeys, type RecordStore } from '../context/persistent-record.js';
import { carriesZoned } from '../context/private-carriers.js';
import { sealedRecordWith } from '../context/tree.js';
import { isPlainObject } from '../context/value-model.js';
import { childZone, type Zone } from '../context/zones.js';
import type { Patch } from './patches.js';
import { checkZoneChange, LogRole, type ZoneActor } from './zone-changes.js';

/** One entry of a rewritten record: its key, the value written (unsealed) or DELETED, and the value it replaces. */
interface EntryChange {
  readonly key: string;
  readonly next: unknown;
  readonly old: unknown;
}

/** How a rewrite seals one written value and records one patch (finalize's own rules). */
export interface RewriteSink {
  /** Seals a value written at `key` of the record at `path` in `zone` (drafts moved there are finalized). */
  seal(path: PathSegments, key: string, zone: Zone, value: unknown): unknown;
  /** Records one patch, or nothing when the walk records none. */
  patch(path: PathSegments, op: Patch['op'], value: unknown): void;
}

/**
 * A plain object written over a committed persistent record, as the "return data" style does
 * (`return { ...accounts, [a]: x, [b]: y }`): the new record is the old one with the entries that
 * differ, found by comparing the object with the record key by key, by identity. Only those
 * entries are sealed, stored (the untouched buckets are shared with the old version) and patched
 * (`replace domain.accounts.a`, not a copy of the whole record), so a commit's cost after the
 * user's own spread and its memory in the history grow with what changed.
 *
 * Returns `undefined` when the object cannot be read as such an edit, and the caller seals it
 * whole as before: its keys are not in the record's order followed by new keys (a plain object
 * would list them differently than the record), the record lies in a protected zone or holds
 * zone-marked keys, or an entry would start a protected zone. A key holding `undefined` counts
 * as absent, as everywhere in the value model.
 */
export function rewriteRecord(
  actor: ZoneActor,
  path: PathSegments,
  zone: Zone,
  value: unknown,
  old: object,
  store: RecordStore,
  sink: RewriteSink,
): object | undefined {
  if (zone !== 'DATA' || !isPlainObject(value) || carriesZoned(old)) return undefined;
  const changes = editsOf(value, store);
  if (changes === undefined) return undefined;
  if (changes.length === 0) return old;
  const written = new Map<string, unknown>();
  for (const { key, next, old: before } of changes) {
    const entryPath = childPath(path, key);
    if (next === DELETED) {
      written.set(key, DELETED);
      sink.patch(entryPath, 'remove', undefined);
      continue;
    }
    const after = sink.seal(path, key, 'DATA', next);
    if (after === before) continue;
    if (typeof after === 'object' || typeof before === 'object') checkZoneChange(actor, entryPath, 'DATA', LogRole.None, before, after);
    written.set(key, after);
    sink.patch(entryPath, before === undefined ? 'add' : 'replace', after);
  }
  return written.size === 0 ? old : sealedRecordWith(store, written);
}

/**
 * The entries in which `value` differs from the record, in the record's order then the new keys'
 * order; `undefined` when `value` is not the record's keys in order followed by new keys, or adds a
 * key that starts a protected zone (the whole-value path judges those).
 */
function editsOf(value: Record<string, unknown>, store: RecordStore): EntryChange[] | undefined {
  const baseKeys = recordKeys(store);
  const changes: EntryChange[] = [];
  let next = 0;
  let added = false;
  for (const key of Object.keys(value)) {
    const written = value[key];
    // A key holding `undefined` is left out, as the value model leaves it out of any object.
    if (written === undefined) continue;
    // Keys of the record missing from the object were deleted.
    while (next < baseKeys.length && baseKeys[next] !== key && ownValue(value, baseKeys[next] as string) === undefined) {
      const gone = baseKeys[next++] as string;
      changes.push({ key: gone, next: DELETED, old: recordGet(store, gone) });
    }
    if (next < baseKeys.length && baseKeys[next] === key) {
      if (added) return undefined;
      next++;
      const before = recordGet(store, key);
      if (written !== before) changes.push({ key, next: written, old: before });
      continue;
    }
    // A key out of the record's order, or a new key before the record's remaining keys.
    if (next < baseKeys.length || recordHas(store, key)) return undefined;
    if (childZone('DATA', key) !== 'DATA') return undefined;
    added = true;
    changes.push({ key, next: written, old: undefined });
  }
  while (next < baseKeys.length) {
    const gone = baseKeys[next++] as string;
    changes.push({ key: gone, next: DELETED, old: recordGet(store, gone) });
  }
  return changes;
}

/** The own value of `key` in `value` (inherited properties are not entries). */
function ownValue(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}
