import { getChild } from '../context/tree.js';
import { childZone, type Zone } from '../context/zones.js';
import { carriesZoned } from '../context/private-carriers.js';
import { recordKeys, recordStoreOf } from '../context/persistent-record.js';
import type { PathSegments } from '../context/paths.js';
import { deepEqual } from '../audit/value-compare.js';
import { zoneViolation, type Actor } from './violations.js';

/** Where a changed value sits relative to the LOG zone. */
export const LogRole = {
  /** Not in the LOG zone. */
  None: 0,
  /** The LOG value itself (`log_events`): it may be created, and replaced only by an extension of itself. */
  Container: 1,
  /** A direct entry of a LOG container: it may be added, never changed or removed. */
  Entry: 2,
  /** Deeper inside an entry: immutable. */
  Inside: 3,
} as const;
/** One of the {@link LogRole} values. */
export type LogRole = (typeof LogRole)[keyof typeof LogRole];

/** Who changes the value: admin edits may create CONST values and touch PRIVATE and LOG ones. */
export interface ZoneActor extends Actor {
  readonly admin: boolean;
}

/**
 * Checks one change of committed state against the zone rules, whatever wrote it (a shadow write,
 * a returned value, a replaced subtree): CONST values are never changed (only admin edits create
 * them), PRIVATE values change only through admin edits, LOG containers only grow and their
 * entries never change. A replaced DATA subtree is compared key by key with what it replaces,
 * descending only where a protected key can be (see `NodeFlag.Zoned`), so an ordinary write costs
 * a flag read.
 *
 * @throws ContractViolationError (`CONTRACT_ZONE`) naming the first offending path.
 */
export function checkZoneChange(actor: ZoneActor, path: PathSegments, zone: Zone, role: LogRole, old: unknown, next: unknown): void {
  if (old === next) return;
  switch (zone) {
    case 'CONST':
      if (actor.admin && old === undefined) return;
      if (!deepEqual(next, old)) throw zoneViolation(actor, path, zone, verb(old, next));
      return;
    case 'PRIVATE':
      if (!actor.admin && !deepEqual(next, old)) throw zoneViolation(actor, path, zone, verb(old, next));
      return;
    case 'LOG':
      if (!actor.admin) checkLog(actor, path, role, old, next);
      return;
    default:
      if (!carriesZoned(old) && !carriesZoned(next)) return;
      for (const key of keysOf(old, next)) {
        const keyZone = childZone(zone, key);
        checkZoneChange(
          actor,
          [...path, key],
          keyZone,
          keyZone === 'LOG' ? LogRole.Container : LogRole.None,
          getChild(old, key),
          getChild(next, key),
        );
      }
  }
}

function checkLog(actor: Actor, path: PathSegments, role: LogRole, old: unknown, next: unknown): void {
  if (role === LogRole.Container) {
    if (old === undefined) return;
    if (next === undefined) throw zoneViolation(actor, path, 'LOG', 'delete');
    if (!extendsLog(old, next, isLogLayer(path))) throw zoneViolation(actor, path, 'LOG', 'rewrite');
    return;
  }
  if (role === LogRole.Entry && old === undefined && next !== undefined) return;
  if (!deepEqual(next, old)) throw zoneViolation(actor, path, 'LOG', verb(old, next));
}

/** True when `next` keeps every entry of `old` unchanged and only adds to it. */
function extendsLog(old: unknown, next: unknown, layer: boolean): boolean {
  if (Array.isArray(old)) {
    if (!Array.isArray(next) || next.length < old.length) return false;
    for (let i = 0; i < old.length; i++) if (next[i] !== old[i] && !deepEqual(next[i], old[i])) return false;
    return true;
  }
  if (!isMapping(old)) return deepEqual(next, old);
  if (!isMapping(next)) return false;
  for (const key of keysOf(old, undefined)) {
    const before = getChild(old, key);
    const after = getChild(next, key);
    if (after === undefined) return false;
    // Under the `log` layer each list is a container of its own, so it may grow too.
    if (before !== after && !(layer ? extendsLog(before, after, false) : deepEqual(after, before))) return false;
  }
  return true;
}

function isLogLayer(path: PathSegments): boolean {
  return path.length === 1 && path[0] === 'log';
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys of either value (objects, records or arrays); primitives have none. */
function keysOf(a: unknown, b: unknown): Set<string> {
  const keys = new Set<string>();
  for (const value of [a, b]) {
    if (typeof value !== 'object' || value === null) continue;
    const store = recordStoreOf(value);
    for (const key of store === undefined ? Object.keys(value) : recordKeys(store)) keys.add(key);
  }
  return keys;
}

function verb(old: unknown, next: unknown): string {
  return old === undefined ? 'create' : next === undefined ? 'delete' : 'overwrite';
}
