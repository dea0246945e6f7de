import { childZone, type Zone } from '../context/zones.js';
import { DELETED, recordGet, recordHas, recordKeys, recordStoreOf, type RecordStore } from '../context/persistent-record.js';
import { keysAfterWrites } from '../context/record-order.js';
import { isSealed } from '../context/value-model.js';
import type { AccessTree } from '../contract/access-tree.js';
import { childPath, type PathSegments } from '../context/paths.js';
import { isPrivateKey } from '../context/private-carriers.js';
import { createBrand } from '../util/identity.js';
import { SmallMap, SmallSet } from '../util/small-collections.js';
import { violation, zoneViolation } from './violations.js';
import type { DraftSession } from './draft-session.js';

/**
 * Brands a draft proxy (and its hidden target) with its node in a private field. `#node in value`
 * runs no proxy trap and no getter, so classifying a value a process handed back never gives user
 * code an engine-internal key or object.
 */
const DraftBrand = createBrand<DraftNode>();

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * What `util.inspect` (and so `console.log`) shows for a draft: its current declared data, never
 * the engine's internals. Node calls this with the proxy as `this`.
 */
function inspectDraft(this: unknown): unknown {
  const node = typeof this === 'object' && this !== null ? DraftBrand.read(this) : undefined;
  if (node === undefined || node.session.revoked) return '[revoked Theus draft]';
  return node.visibleData();
}

/** The hidden target of an object draft's proxy. */
class ObjectDraftTarget {
  [INSPECT](): unknown {
    return inspectDraft.call(this);
  }
}

/** The hidden target of an array draft's proxy (an array, so `Array.isArray(draft)` holds). */
class ArrayDraftTarget extends Array<unknown> {
  [INSPECT](): unknown {
    return inspectDraft.call(this);
  }
}

/** How a draft node stores its working copy. */
export const DraftKind = { Object: 0, Array: 1, Record: 2 } as const;
/** One of the {@link DraftKind} values. */
export type DraftKind = (typeof DraftKind)[keyof typeof DraftKind];

type Container = Record<string | number, unknown>;

/**
 * One node of a copy-on-write draft: a committed value (`base`) and, once written, a shallow
 * working copy. Children are drafted lazily on first access, so a run pays only for what it
 * touches; reads through user-facing drafts are recorded for path-level conflict detection.
 */
export class DraftNode {
  readonly kind: DraftKind;
  readonly store: RecordStore | undefined;
  /** The working copy (objects and arrays), made on the first write. */
  copy: Container | unknown[] | undefined;
  /** Record writes by key ({@link DELETED} for removals). */
  overlay: Map<string, unknown> | undefined;
  /** Object and record child drafts by key (array child drafts live in `copy`). */
  children: SmallMap<DraftNode> | undefined;
  /** Object keys written directly: true when set, false when deleted. */
  assigned: SmallMap<boolean> | undefined;
  /** Keys of the base deleted and then added again in this run: like a plain object's, they move to the end. */
  moved: Set<string> | undefined;
  modified = false;
  /** The finalized value, once computed. */
  result: unknown;
  finalized = false;
  reads: SmallSet | undefined;
  /** Keys whose presence (not their content) the run observed: conflicts only with writes at or above them. */
  presence: SmallSet | undefined;
  /** The run read the node as a whole (its keys, or more than WHOLE_READ_KEYS of them): its path is one read covering every key. */
  enumerated = false;
  /** Set while the node is being finalized: meeting it again means the run built a cycle. */
  finalizing = false;
  #proxy: object | undefined;
  #path: PathSegments | undefined;

  constructor(
    readonly session: DraftSession,
    readonly base: object,
    readonly parent: DraftNode | undefined,
    readonly key: string | number,
    readonly zone: Zone,
    /** May the user write anything below this node? */
    readonly writeAll: boolean,
    /** The declared paths below this node, when only some of them are writable. */
    readonly access: AccessTree | undefined,
    /** The node created before this one in the run (see DraftSession.readPaths); `undefined` for the root. */
    readonly previous: DraftNode | undefined,
  ) {
    this.store = recordStoreOf(base);
    this.kind = this.store !== undefined ? DraftKind.Record : Array.isArray(base) ? DraftKind.Array : DraftKind.Object;
  }

  /** This node's path from the state root. */
  path(): PathSegments {
    if (this.#path === undefined) this.#path = this.parent === undefined ? [] : childPath(this.parent.path(), this.key);
    return this.#path;
  }

  /** The user-facing proxy of this node. */
  get proxy(): object {
    if (this.#proxy === undefined) {
      const target = this.kind === DraftKind.Array ? new ArrayDraftTarget() : new ObjectDraftTarget();
      DraftBrand.stamp(target, this);
      const proxy = new Proxy(target, draftHandler);
      DraftBrand.stamp(proxy, this);
      this.#proxy = proxy;
    }
    return this.#proxy;
  }

  /** The current value at `key`: written values first, then the committed base. */
  peek(key: string | number): unknown {
    if (this.kind === DraftKind.Record) {
      const k = String(key);
      const written = this.overlay?.get(k);
      if (written !== undefined) return written === DELETED ? undefined : written;
      if (this.overlay?.has(k) === true) return undefined;
      return recordGet(this.store as RecordStore, k);
    }
    const source = (this.copy ?? this.base) as Container;
    return Object.hasOwn(source, key) ? source[key] : undefined;
  }

  /** True when the current value has `key` as an own key. */
  hasKey(key: string): boolean {
    if (this.kind === DraftKind.Record) {
      if (this.overlay?.has(key) === true) {
        const v = this.overlay.get(key);
        return v !== DELETED && v !== undefined;
      }
      return recordHas(this.store as RecordStore, key);
    }
    return Object.hasOwn(this.copy ?? this.base, key);
  }

  /** True when user code may see `key` (PRIVATE keys are hidden from everyone but admin edits). */
  visible(key: string): boolean {
    return this.session.kind === 'admin' || !isPrivateKey(key);
  }

  /** The keys user code sees: the current own keys without PRIVATE ones. */
  visibleKeys(): string[] {
    const keys = this.keys();
    return this.session.kind === 'admin' ? keys : keys.filter((key) => !isPrivateKey(key));
  }

  /** A plain copy of what user code may see at this level (nested drafts stay drafts), for inspection. */
  visibleData(): unknown {
    if (this.kind === DraftKind.Array) {
      const length = ((this.copy ?? this.base) as unknown[]).length;
      return Array.from({ length }, (_, i) => this.child(i)?.proxy ?? this.peek(i));
    }
    const out: Record<string, unknown> = {};
    for (const key of this.visibleKeys())
      Object.defineProperty(out, key, { value: this.child(key)?.proxy ?? this.peek(key), enumerable: true });
    return out;
  }

  /** The current own keys. */
  keys(): string[] {
    if (this.kind !== DraftKind.Record) return Object.keys(this.copy ?? this.base);
    const store = this.store as RecordStore;
    if (this.overlay === undefined) return recordKeys(store).slice();
    return keysAfterWrites(recordKeys(store), this.overlay, this.moved, isWrittenValue, (key) => recordHas(store, key));
  }

  /**
   * The draft of the committed object or array at `key`, created on first access; `undefined`
   * when the value there is a primitive, a binary, absent, or a new value written in this run.
   */
  child(key: string | number): DraftNode | undefined {
    if (this.kind !== DraftKind.Array) {
      const existing = this.children?.get(String(key));
      if (existing !== undefined) return existing;
    }
    return this.childOf(key, this.peek(key));
  }

  /**
   * {@link DraftNode.child} for a key whose current value the caller already has (see
   * {@link DraftNode.peek}) and that has no child draft yet (arrays keep theirs in the copy, as
   * drafts among the values).
   */
  childOf(key: string | number, value: unknown): DraftNode | undefined {
    const moved = draftOf(value);
    if (moved !== undefined) return moved;
    if (!isDraftable(value)) return undefined;
    if (this.kind === DraftKind.Array) {
      const node = this.#makeChild(key, value);
      this.#ensureCopy()[key as number] = node.proxy;
      return node;
    }
    const k = String(key);
    const node = this.#makeChild(k, value);
    if (this.children === undefined) this.children = new SmallMap(k, node);
    else this.children.set(k, node);
    return node;
  }

  #makeChild(key: string | number, value: object): DraftNode {
    const access = this.access?.children.get(String(key));
    const session = this.session;
    const writeAll = this.writeAll || access?.write === true;
    const node = new DraftNode(session, value, this, key, childZone(this.zone, key), writeAll, access, session.newestNode);
    session.noteNode(node);
    return node;
  }

  /** Marks this node and its ancestors as changed. */
  markModified(): void {
    if (this.modified) return;
    this.modified = true;
    this.parent?.markModified();
  }

  #ensureCopy(): Container | unknown[] {
    if (this.copy === undefined) {
      this.copy = this.kind === DraftKind.Array ? (this.base as unknown[]).slice() : { ...(this.base as Container) };
    }
    return this.copy;
  }

  /** A write by user code through the proxy: contract checks, then {@link write}. */
  userWrite(key: string | symbol, value: unknown, remove: boolean): void {
    const path = (): PathSegments => (typeof key === 'symbol' ? this.path() : [...this.path(), key]);
    if (typeof key === 'symbol' || key === '__proto__')
      throw violation('CONTRACT_ILLEGAL_WRITE', this.session, path(), 'may not write the special key', 'write plain data keys only');
    if (this.session.pure) throw violation('CONTRACT_PURE_WRITE', this.session, path(), 'is pure and cannot write');
    if (!this.writeAll && this.access?.children.get(key)?.write !== true) {
      throw violation('CONTRACT_ILLEGAL_WRITE', this.session, path(), 'may not write the undeclared path');
    }
    this.write(this.kind === DraftKind.Array && key !== 'length' ? Number(key) : key, value, remove);
  }

  /** Writes one key, enforcing zone rules (CONST read-only, PRIVATE hidden, LOG append-only). */
  write(key: string | number, value: unknown, remove: boolean): void {
    const zone = childZone(this.zone, key);
    if (zone !== 'DATA') this.#checkZone(key, zone, value, remove);
    if (key === '__proto__')
      throw violation(
        'CONTRACT_ILLEGAL_WRITE',
        this.session,
        [...this.path(), key],
        'may not write the special key',
        'write plain data keys only',
      );
    if (this.kind === DraftKind.Record) {
      const k = String(key);
      const overlay = (this.overlay ??= new Map<string, unknown>());
      // Added again after a delete: to the end of the write order (and of the record, if it had the key).
      if (!remove && overlay.get(k) === DELETED) this.#readd(overlay, k, recordHas(this.store as RecordStore, k));
      overlay.set(k, remove ? DELETED : value);
      this.children?.delete(k);
    } else if (this.kind === DraftKind.Array) {
      const copy = this.#ensureCopy() as unknown[];
      if (key === 'length') copy.length = value as number;
      else if (remove) delete copy[key as number];
      else copy[key as number] = value;
    } else {
      const copy = this.#ensureCopy() as Container;
      const k = String(key);
      if (remove) delete copy[k];
      else copy[k] = value;
      const assigned = this.assigned;
      if (assigned === undefined) this.assigned = new SmallMap(k, !remove);
      else {
        if (!remove && assigned.get(k) === false) this.#readd(assigned, k, Object.hasOwn(this.base, k));
        assigned.set(k, !remove);
      }
      this.children?.delete(k);
    }
    this.markModified();
  }

  /** Moves a key added again after a delete to the end of `writes`; notes it as moved when the base had it. */
  #readd(writes: { delete(key: string): unknown }, key: string, had: boolean): void {
    writes.delete(key);
    if (had) (this.moved ??= new Set()).add(key);
  }

  /**
   * The zone rules a single write can be judged by at once. A replaced value (a whole LOG list,
   * a subtree holding CONST or PRIVATE keys) is compared with what it replaces when the draft is
   * finalized (see zone-changes.ts), so both styles of writing obey the same rules.
   */
  #checkZone(key: string | number, zone: Zone, value: unknown, remove: boolean): void {
    const admin = this.session.kind === 'admin';
    const exists =
      key === 'length' ||
      (this.kind === DraftKind.Array ? (key as number) < ((this.copy ?? this.base) as unknown[]).length : this.hasKey(String(key)));
    const path = childPath(this.path(), key);
    if (zone === 'CONST' && (exists || !admin)) throw zoneViolation(this.session, path, zone, remove ? 'delete' : 'write');
    if (zone === 'PRIVATE' && !admin) throw zoneViolation(this.session, path, zone, remove ? 'delete' : 'write');
    if (zone !== 'LOG' || admin) return;
    if (this.zone !== 'LOG') {
      // The LOG value itself: creating it is fine, replacing it must be an append (checked at finalize).
      if (remove && exists) throw zoneViolation(this.session, path, zone, 'delete');
      return;
    }
    if (!this.isLogContainer()) throw zoneViolation(this.session, path, zone, 'change an existing entry of');
    const length = this.kind === DraftKind.Array ? ((this.copy ?? this.base) as unknown[]).length : 0;
    const appends =
      !remove && (this.kind === DraftKind.Array ? (key === 'length' ? (value as number) >= length : key === length) : !exists);
    if (!appends) throw zoneViolation(this.session, path, zone, remove ? 'delete from' : 'overwrite');
  }

  /**
   * True for a LOG container: the value at the segment that starts the LOG zone (`log_events`,
   * `audit_trail`), or a list directly under the `log` layer. Only containers grow; the entries
   * already in them are immutable at every depth.
   */
  isLogContainer(): boolean {
    if (this.zone !== 'LOG') return false;
    const parent = this.parent;
    if (parent === undefined || parent.zone !== 'LOG') return true;
    return parent.parent?.parent === undefined && parent.key === 'log';
  }

  /** Records that the run read `key` (nothing to record once the whole node was enumerated: its own path covers every key). */
  noteRead(key: string): void {
    if (this.enumerated) return;
    if (this.reads === undefined) this.reads = new SmallSet(key);
    else if (this.reads.add(key) >= WHOLE_READ_KEYS) {
      // From now on the node's own path stands for every key: the keys collected so far are not needed.
      this.enumerated = true;
      this.reads = undefined;
    }
  }

  /** Records that the run observed whether `key` is present (covered too once the node was enumerated). */
  notePresence(key: string): void {
    if (this.enumerated) return;
    if (this.presence === undefined) this.presence = new SmallSet(key);
    else this.presence.add(key);
  }
}

/** The draft node behind a proxy, or `undefined` for any other value (runs no user code). */
export function draftOf(value: unknown): DraftNode | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return DraftBrand.read(value);
}

/** True for a record overlay entry that sets a value (not a deletion). */
function isWrittenValue(written: unknown): boolean {
  return written !== DELETED && written !== undefined;
}

function isDraftable(value: unknown): value is object {
  // Binaries are never flagged sealed, so they are never drafted (HEAVY data is written in place).
  return typeof value === 'object' && value !== null && isSealed(value);
}

function nodeOf(target: object): DraftNode {
  const node = DraftBrand.read(target) as DraftNode;
  if (node.session.revoked) node.session.assertLive(node.path());
  return node;
}

function hiddenRead(node: DraftNode, key: string): never {
  throw violation(
    'CONTRACT_ILLEGAL_READ',
    node.session,
    [...node.path(), key],
    'may not read the PRIVATE path',
    "only engine.edit() may touch 'internal_' fields",
  );
}

const OBJECT_PROTO = Object.prototype as unknown as Record<string, unknown>;

/**
 * A run that read this many keys of one object is taken to have read the object: its path is
 * recorded once instead of each key (a conflict with any write below it; such a run depends on
 * most of the object anyway), which keeps reading a large record from building a large set.
 */
const WHOLE_READ_KEYS = 256;

function readKey(node: DraftNode, key: string): unknown {
  if (childZone(node.zone, key) === 'PRIVATE' && node.session.kind !== 'admin') hiddenRead(node, key);
  const index = node.kind === DraftKind.Array ? Number(key) : key;
  const existing = node.kind === DraftKind.Array ? undefined : node.children?.get(key);
  // One lookup of the current value serves both cases: a child to draft, or a value to return.
  const value = existing === undefined ? node.peek(index) : undefined;
  const child = existing ?? node.childOf(index, value);
  if (child !== undefined) {
    // Reads below the child are recorded there; here the run learned only that the child exists.
    node.notePresence(key);
    return child.proxy;
  }
  node.noteRead(key);
  return value;
}

/** Records that the run observed whether `key` is present: a presence read if it is, a full read if not. */
function observePresence(node: DraftNode, key: string, present: boolean): void {
  if (present) node.notePresence(key);
  else node.noteRead(key);
}

const draftHandler: ProxyHandler<object> = {
  get(target, key) {
    const node = nodeOf(target);
    if (typeof key === 'symbol')
      return node.kind === DraftKind.Array ? (Array.prototype as unknown as Record<symbol, unknown>)[key] : undefined;
    if (node.kind === DraftKind.Array) {
      if (key === 'length') {
        node.enumerated = true;
        return ((node.copy ?? node.base) as unknown[]).length;
      }
      if (!isIndex(key)) return (Array.prototype as unknown as Record<string, unknown>)[key];
      return readKey(node, key);
    }
    // Most keys are not Object.prototype's: test that first, the own-key lookup only for those that are.
    if (key in OBJECT_PROTO && key !== '__proto__' && !node.hasKey(key)) return OBJECT_PROTO[key];
    return readKey(node, key);
  },
  set(target, key, value) {
    nodeOf(target).userWrite(key, value, false);
    return true;
  },
  deleteProperty(target, key) {
    nodeOf(target).userWrite(key, undefined, true);
    return true;
  },
  has(target, key) {
    const node = nodeOf(target);
    if (typeof key === 'symbol') return node.kind === DraftKind.Array && key in Array.prototype;
    if (node.kind === DraftKind.Array) {
      if (isIndex(key)) {
        const present = Number(key) < ((node.copy ?? node.base) as unknown[]).length;
        observePresence(node, key, present);
        return present;
      }
      return key === 'length' || key in Array.prototype;
    }
    if (!node.visible(key)) return false;
    const present = node.hasKey(key);
    observePresence(node, key, present);
    return present || key in OBJECT_PROTO;
  },
  ownKeys(target) {
    const node = nodeOf(target);
    node.enumerated = true;
    const keys = node.visibleKeys();
    if (node.kind === DraftKind.Array) keys.push('length');
    return keys;
  },
  getOwnPropertyDescriptor(target, key) {
    const node = nodeOf(target);
    if (typeof key === 'symbol') return undefined;
    if (node.kind === DraftKind.Array && key === 'length') {
      node.enumerated = true;
      return { value: ((node.copy ?? node.base) as unknown[]).length, writable: true, enumerable: false, configurable: false };
    }
    if (!node.visible(key)) return undefined;
    if (!node.hasKey(key)) {
      node.noteRead(key);
      return undefined;
    }
    return { value: readKey(node, key), writable: true, enumerable: true, configurable: true };
  },
  defineProperty(target, key, descriptor) {
    if (!('value' in descriptor) || descriptor.get !== undefined || descriptor.set !== undefined) {
      const node = nodeOf(target);
      throw violation(
        'CONTRACT_ILLEGAL_WRITE',
        node.session,
        [...node.path(), String(key)],
        'may not define an accessor at',
        'assign plain values',
      );
    }
    nodeOf(target).userWrite(key, descriptor.value, false);
    return true;
  },
  getPrototypeOf(target) {
    return Array.isArray(target) ? Array.prototype : Object.prototype;
  },
  setPrototypeOf(target) {
    const node = nodeOf(target);
    throw violation('CONTRACT_ILLEGAL_WRITE', node.session, node.path(), 'may not change the prototype of', 'assign plain values');
  },
  preventExtensions(target) {
    const node = nodeOf(target);
    throw violation(
      'CONTRACT_ILLEGAL_WRITE',
      node.session,
      node.path(),
      'may not freeze or seal the draft',
      'Theus freezes committed state itself',
    );
  },
};

function isIndex(key: string): boolean {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key;
}
