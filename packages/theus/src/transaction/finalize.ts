import { ContractViolationError, SchemaViolationError } from '../errors/index.js';
import { DELETED, recordGet, recordHas, recordOfPlainView, recordStoreOf, type RecordStore } from '../context/persistent-record.js';
import { changeFlags, isForeignProxy, isSealedFor, markSealed, sealValue } from '../context/value-model.js';
import { sealDerivedObject, sealedRecordWith } from '../context/tree.js';
import { childZone, type Zone } from '../context/zones.js';
import { childPath, formatPath, type PathSegments } from '../context/paths.js';
import { DraftKind, draftOf, type DraftNode } from './draft-node.js';
import type { DraftSession } from './draft-session.js';
import type { Patch } from './patches.js';
import { guardedValue } from './readonly-guard.js';
import { checkZoneChange, LogRole } from './zone-changes.js';
import { rewriteRecord } from './record-rewrite.js';

/** The outcome of a draft: the new committed root and the patches that lead to it (frozen: list, patches and paths). */
export interface FinalizedDraft {
  readonly root: object;
  readonly patches: readonly Patch[];
}

/** Where a finalize walk that records its changes puts its patches (each at the changed node's own path). */
interface Emit {
  readonly patches: Patch[];
}

/** Turns a session's draft tree into a new sealed root, emitting patches for every change. */
export function finalizeDraft(session: DraftSession): FinalizedDraft {
  const emit: Emit = { patches: [] };
  const root = finalizeNode(session.root, emit) as object;
  return { root, patches: Object.freeze(emit.patches) };
}

function finalizeNode(node: DraftNode, emit: Emit | undefined): unknown {
  if (!node.modified) return node.base;
  if (node.finalized) {
    if (emit !== undefined && node.result !== node.base) {
      // The draft was moved elsewhere and changed: its original place changes too.
      if (node.parent !== undefined) guardZones(node.parent, node.key, node.base, node.result);
      record(emit, node.path(), 'replace', node.result);
    }
    return node.result;
  }
  if (node.finalizing) {
    const shown = formatPath(node.path());
    throw new SchemaViolationError(
      'TX_INVALID_VALUE',
      `${node.session.who} stored '${shown === '' ? '(root)' : shown}' inside itself: committed state must be a tree; copy plain values instead.`,
      { details: { process: node.session.process, path: shown } },
    );
  }
  node.finalizing = true;
  node.result =
    node.kind === DraftKind.Array
      ? finalizeArray(node, emit)
      : node.kind === DraftKind.Record
        ? finalizeRecord(node, emit)
        : finalizeObject(node, emit);
  node.finalizing = false;
  node.finalized = true;
  return node.result;
}

function finalizeObject(node: DraftNode, emit: Emit | undefined): unknown {
  const base = node.base as Record<string, unknown>;
  const copy = (node.copy ?? { ...base }) as Record<string, unknown>;
  // The flags the changed entries bring to the copy (see changeFlags).
  let changed = 0;
  let grew = false;
  const children = node.children;
  if (children !== undefined) {
    for (let i = 0; i < children.slots.length; i++) {
      const key = children.slots[i];
      const child = children.values[i];
      if (key === undefined || child === undefined || !child.modified || node.assigned?.has(key) === true) continue;
      const value = finalizeNode(child, emit);
      copy[key] = value;
      changed |= changeFlags(key, value);
    }
  }
  const assigned = node.assigned;
  if (assigned !== undefined) {
    for (let i = 0; i < assigned.slots.length; i++) {
      const key = assigned.slots[i];
      if (key === undefined) continue;
      const had = Object.hasOwn(base, key);
      const value = assigned.values[i] === true ? copy[key] : undefined;
      if (value === undefined) {
        delete copy[key];
        if (had) change(emit, node, key, 'remove', undefined, base[key]);
        continue;
      }
      const rewritten = had ? rewriteOver(node, key, value, base[key], emit) : undefined;
      if (rewritten !== undefined) {
        // Patched entry by entry inside the record: no patch replaces the record as a whole.
        copy[key] = rewritten;
        changed |= changeFlags(key, rewritten);
        continue;
      }
      const sealed = resolve(node, key, value);
      copy[key] = sealed;
      changed |= changeFlags(key, sealed);
      if (!had) {
        grew = true;
        change(emit, node, key, 'add', sealed, undefined);
      } else if (node.moved?.has(key) === true) moveChange(emit, node, key, sealed, base[key]);
      else if (sealed !== base[key] || isSignal(node, key)) change(emit, node, key, 'replace', sealed, base[key]);
    }
  }
  return sealDerivedObject(copy, base, changed, grew);
}

function finalizeRecord(node: DraftNode, emit: Emit | undefined): unknown {
  const store = node.store as RecordStore;
  const changes = new Map<string, unknown>();
  const children = node.children;
  if (children !== undefined) {
    for (let i = 0; i < children.slots.length; i++) {
      const key = children.slots[i];
      const child = children.values[i];
      if (key === undefined || child === undefined || !child.modified || node.overlay?.has(key) === true) continue;
      changes.set(key, finalizeNode(child, emit));
    }
  }
  if (node.overlay !== undefined) {
    for (const [key, value] of node.overlay) {
      const had = recordHas(store, key);
      const old = had ? recordGet(store, key) : undefined;
      if (value === DELETED || value === undefined) {
        changes.set(key, DELETED);
        if (had) change(emit, node, key, 'remove', undefined, old);
        continue;
      }
      const sealed = resolve(node, key, value);
      changes.set(key, sealed);
      if (!had) change(emit, node, key, 'add', sealed, undefined);
      else if (node.moved?.has(key) === true) moveChange(emit, node, key, sealed, old);
      else if (sealed !== old || isSignal(node, key)) change(emit, node, key, 'replace', sealed, old);
    }
  }
  return sealedRecordWith(store, changes, node.moved);
}

function finalizeArray(node: DraftNode, emit: Emit | undefined): unknown {
  const base = node.base as readonly unknown[];
  const copy = (node.copy ?? base.slice()) as unknown[];
  for (let i = 0; i < copy.length; i++) {
    const value = copy[i];
    const child = draftOf(value);
    if (child !== undefined && child.parent === node && child.key === i && base[i] === child.base) {
      copy[i] = finalizeNode(child, emit);
      continue;
    }
    if (!(i in copy) || value === undefined) {
      throw new ContractViolationError(
        'CONTRACT_ILLEGAL_WRITE',
        `${node.session.who} left a hole at '${formatPath([...node.path(), i])}': arrays cannot hold undefined or holes; use null or splice.`,
        {
          details: { process: node.session.process, path: formatPath([...node.path(), i]) },
        },
      );
    }
    const sealed = resolve(node, i, value);
    copy[i] = sealed;
    if (i < base.length && sealed !== base[i]) change(emit, node, i, 'replace', sealed, base[i]);
  }
  for (let i = base.length; i < copy.length; i++) change(emit, node, i, 'add', copy[i], undefined);
  for (let i = base.length - 1; i >= copy.length; i--) change(emit, node, i, 'remove', undefined, base[i]);
  return markSealed(copy);
}

/** Seals a value written in this run: drafts moved here are finalized, new data is validated and frozen. */
function resolve(node: DraftNode, key: string | number, value: unknown): unknown {
  return resolveIn(node.session, node.path(), key, childZone(node.zone, key), value);
}

/** {@link resolve} for a value written at `key` under `parentPath`, whose zone is `zone`. */
function resolveIn(session: DraftSession, parentPath: PathSegments, key: string | number, zone: Zone, value: unknown): unknown {
  const moved = draftOf(value);
  if (moved !== undefined) {
    // A moved subtree keeps its sealed form, but must still suit its new zone (no binary into DATA, no data into HEAVY).
    const result = finalizeMoved(session, moved);
    return isSealedFor(result, zone) ? result : sealValue(result, { who: session.who, path: childPath(parentPath, key), zone });
  }
  // A declared input handed back (the read-only view hiding PRIVATE keys, a record's plain view) stands for its committed value.
  const input = typeof value === 'object' && value !== null ? committedValueOf(value) : undefined;
  if (input !== undefined) value = input;
  if (isSealedFor(value, zone)) return value;
  return sealValue(value, {
    who: session.who,
    path: childPath(parentPath, key),
    zone,
    unwrap: (inner) => {
      const draft = draftOf(inner);
      return draft === undefined ? committedValueOf(inner) : finalizeMoved(session, draft);
    },
  });
}

/** The committed value an input view given to a process stands for (see resolveIn), or `undefined`. */
function committedValueOf(value: object): object | undefined {
  return guardedValue(value) ?? recordOfPlainView(value);
}

/**
 * A value written over the record `old` at `key` of `node`, applied as an edit of the record when
 * it is a plain object that reads as one (see rewriteRecord); `undefined` otherwise.
 */
function rewriteOver(node: DraftNode, key: string, value: unknown, old: unknown, emit: Emit | undefined): object | undefined {
  const store = recordStoreOf(old);
  // Drafts, handed-back inputs and foreign proxies take the whole-value path (which never runs a foreign trap).
  if (store === undefined || node.moved?.has(key) === true || typeof value !== 'object' || value === null) return undefined;
  if (draftOf(value) !== undefined || committedValueOf(value) !== undefined || isForeignProxy(value)) return undefined;
  const session = node.session;
  return rewriteRecord(session, childPath(node.path(), key), childZone(node.zone, key), value, old as object, store, {
    seal: (path, entry, zone, written) => resolveIn(session, path, entry, zone, written),
    patch: (path, op, written) => {
      if (emit !== undefined) record(emit, path, op, written);
    },
  });
}

function finalizeMoved(session: DraftSession, draft: DraftNode): unknown {
  if (draft.session !== session) {
    throw new ContractViolationError(
      'CONTRACT_REVOKED',
      `${session.who} stored a context reference from another run at '${formatPath(draft.path())}': copy plain values instead.`,
      {
        details: { process: session.process, path: formatPath(draft.path()) },
      },
    );
  }
  return finalizeNode(draft, undefined);
}

/** Holds a change of `node[key]` from `old` to `next` to the zone rules (see zone-changes.ts). */
function guardZones(node: DraftNode, key: string | number, old: unknown, next: unknown): void {
  const zone = childZone(node.zone, key);
  if (zone === 'DATA' && typeof next !== 'object' && typeof old !== 'object') return;
  checkZoneChange(node.session, childPath(node.path(), key), zone, zone === 'LOG' ? logRoleOf(node) : LogRole.None, old, next);
}

/** The LOG role of a child of `parent` (whose own zone decides). */
function logRoleOf(parent: DraftNode): LogRole {
  if (parent.zone !== 'LOG') return LogRole.Container;
  if (parent.isLogContainer()) return parent.parent?.parent === undefined && parent.key === 'log' ? LogRole.Container : LogRole.Entry;
  return LogRole.Inside;
}

/** Signals are events: writing the same value again still emits them. */
function isSignal(node: DraftNode, key: string | number): boolean {
  return childZone(node.zone, key) === 'SIGNAL';
}

function change(emit: Emit | undefined, node: DraftNode, key: string | number, op: Patch['op'], value: unknown, old: unknown): void {
  if (emit === undefined) return;
  guardZones(node, key, old, value);
  record(emit, childPath(node.path(), key), op, value);
}

/**
 * A key deleted and added again: it moves to the end of its object, as in a plain object, so
 * the patches say so (`remove`, then `add`) and replaying them (a rebased commit, a store's log)
 * gives the same key order.
 */
function moveChange(emit: Emit | undefined, node: DraftNode, key: string, value: unknown, old: unknown): void {
  if (emit === undefined) return;
  guardZones(node, key, old, value);
  const path = childPath(node.path(), key);
  record(emit, path, 'remove', undefined);
  record(emit, path, 'add', value);
}

/** Emits one patch, frozen with its path: the store, the conflict check and listeners share it. */
function record(emit: Emit, path: PathSegments, op: Patch['op'], value: unknown): void {
  Object.freeze(path);
  emit.patches.push(Object.freeze(op === 'remove' ? { op, path } : { op, path, value }));
}
