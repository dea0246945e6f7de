import { childZone, type Zone } from '../context/zones.js';
import { DELETED, recordGet, recordHas, recordKeys, recordStoreOf, type RecordStore } from '../context/persistent-record.js';
import { isSealed } from '../context/value-model.js';
import type { AccessTree } from '../contract/access-tree.js';
import type { PathSegments } from '../context/paths.js';
import { violation, zoneViolation } from './violations.js';
import type { DraftSession } from './draft-session.js';

/** The hidden key through which a draft proxy reveals its node to Theus (never exported). */
export const NODE: unique symbol = Symbol('theus.draft');

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
  children: Map<string, DraftNode> | undefined;
  /** Object keys written directly: true when set, false when deleted. */
  assigned: Map<string, boolean> | undefined;
  modified = false;
  /** The finalized value, once computed. */
  result: unknown;
  finalized = false;
  reads: Set<string> | undefined;
  enumerated = false;
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
  ) {
    this.store = recordStoreOf(base);
    this.kind = this.store !== undefined ? DraftKind.Record : Array.isArray(base) ? DraftKind.Array : DraftKind.Object;
  }

  /** This node's path from the state root. */
  path(): PathSegments {
    if (this.#path === undefined) this.#path = this.parent === undefined ? [] : [...this.parent.path(), this.key];
    return this.#path;
  }

  /** The user-facing proxy of this node. */
  get proxy(): object {
    if (this.#proxy === undefined) {
      const target: Record<symbol, DraftNode> = this.kind === DraftKind.Array ? ([] as unknown as Record<symbol, DraftNode>) : {};
      target[NODE] = this;
      this.#proxy = new Proxy(target, draftHandler);
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

  /** The current own keys. */
  keys(): string[] {
    if (this.kind !== DraftKind.Record) return Object.keys(this.copy ?? this.base);
    const keys = recordKeys(this.store as RecordStore).filter((k) => this.overlay?.has(k) !== true);
    if (this.overlay !== undefined) for (const [k, v] of this.overlay) if (v !== DELETED && v !== undefined) keys.push(k);
    return keys;
  }

  /**
   * The draft of the committed object or array at `key`, created on first access; `undefined`
   * when the value there is a primitive, a binary, absent, or a new value written in this run.
   */
  child(key: string | number): DraftNode | undefined {
    if (this.kind === DraftKind.Array) {
      const value = this.peek(key);
      const moved = draftOf(value);
      if (moved !== undefined) return moved;
      if (!isDraftable(value)) return undefined;
      const node = this.#makeChild(key, value);
      this.#ensureCopy()[key as number] = node.proxy;
      return node;
    }
    const k = String(key);
    const existing = this.children?.get(k);
    if (existing !== undefined) return existing;
    const value = this.peek(k);
    const moved = draftOf(value);
    if (moved !== undefined) return moved;
    if (!isDraftable(value)) return undefined;
    const node = this.#makeChild(k, value);
    (this.children ??= new Map()).set(k, node);
    return node;
  }

  #makeChild(key: string | number, value: object): DraftNode {
    const access = this.access?.children.get(String(key));
    const node = new DraftNode(this.session, value, this, key, childZone(this.zone, key), this.writeAll || access?.write === true, access);
    this.session.nodes.push(node);
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
      (this.overlay ??= new Map()).set(k, remove ? DELETED : value);
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
      (this.assigned ??= new Map()).set(k, !remove);
      this.children?.delete(k);
    }
    this.markModified();
  }

  #checkZone(key: string | number, zone: Zone, value: unknown, remove: boolean): void {
    const admin = this.session.kind === 'admin';
    const exists =
      key === 'length' ||
      (this.kind === DraftKind.Array ? (key as number) < ((this.copy ?? this.base) as unknown[]).length : this.hasKey(String(key)));
    const path = [...this.path(), key];
    if (zone === 'CONST' && (exists || !admin)) throw zoneViolation(this.session, path, zone, remove ? 'delete' : 'write');
    if (zone === 'PRIVATE' && !admin) throw zoneViolation(this.session, path, zone, remove ? 'delete' : 'write');
    if (zone === 'LOG' && !admin) {
      const length = this.kind === DraftKind.Array ? ((this.copy ?? this.base) as unknown[]).length : 0;
      const appends =
        !remove && (this.kind === DraftKind.Array ? (key === 'length' ? (value as number) >= length : key === length) : !exists);
      if (!appends) throw zoneViolation(this.session, path, zone, remove ? 'delete from' : 'overwrite');
    }
  }

  noteRead(key: string): void {
    (this.reads ??= new Set()).add(key);
  }
}

/** The draft node behind a proxy, or `undefined` for any other value. */
export function draftOf(value: unknown): DraftNode | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [NODE]?: DraftNode })[NODE];
}

function isDraftable(value: unknown): value is object {
  // Binaries are never flagged sealed, so they are never drafted (HEAVY data is written in place).
  return typeof value === 'object' && value !== null && isSealed(value);
}

function nodeOf(target: object): DraftNode {
  const node = (target as { [NODE]: DraftNode })[NODE];
  if (node.session.revoked) node.session.assertLive(node.path());
  return node;
}

const OBJECT_PROTO = Object.prototype as unknown as Record<string, unknown>;

function readKey(node: DraftNode, key: string): unknown {
  if (childZone(node.zone, key) === 'PRIVATE' && node.session.kind !== 'admin') {
    throw violation(
      'CONTRACT_ILLEGAL_READ',
      node.session,
      [...node.path(), key],
      'may not read the PRIVATE path',
      "only engine.edit() may touch 'internal_' fields",
    );
  }
  const index = node.kind === DraftKind.Array ? Number(key) : key;
  const child = node.child(index);
  if (child !== undefined) return child.proxy;
  node.noteRead(key);
  return node.peek(index);
}

const draftHandler: ProxyHandler<object> = {
  get(target, key) {
    if (key === NODE) return (target as { [NODE]: DraftNode })[NODE];
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
    if (!node.hasKey(key) && key in OBJECT_PROTO && key !== '__proto__') return OBJECT_PROTO[key];
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
    if (typeof key === 'symbol') return false;
    node.noteRead(key);
    if (node.kind === DraftKind.Array)
      return key === 'length' || (isIndex(key) && Number(key) < ((node.copy ?? node.base) as unknown[]).length) || key in Array.prototype;
    return node.hasKey(key) || key in OBJECT_PROTO;
  },
  ownKeys(target) {
    const node = nodeOf(target);
    node.enumerated = true;
    const keys = node.keys();
    if (node.kind === DraftKind.Array) keys.push('length');
    return keys;
  },
  getOwnPropertyDescriptor(target, key) {
    const node = nodeOf(target);
    if (typeof key === 'symbol') return undefined;
    if (node.kind === DraftKind.Array && key === 'length') {
      return { value: ((node.copy ?? node.base) as unknown[]).length, writable: true, enumerable: false, configurable: false };
    }
    if (!node.hasKey(key)) return undefined;
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
    const node = (target as { [NODE]: DraftNode })[NODE];
    return node.kind === DraftKind.Array ? Array.prototype : Object.prototype;
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
