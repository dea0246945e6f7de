/**
 * Facts about committed nodes, one small integer per node: sealed (validated and frozen), a
 * record facade, holds a PRIVATE key, holds a binary. One read answers every question the commit
 * path asks about a node. Immutable nodes never change, so the facts are safe to share between
 * engines.
 *
 * The integer is a private field stamped onto the node (see {@link Identity}): unlike a WeakMap
 * entry it costs no hash insert and no ephemeron work in every GC; unlike a symbol property it is
 * invisible to reflection. Nodes are stamped before they are frozen.
 */
import { Identity } from '../util/identity.js';

class FlagStamp extends Identity {
  #flags: number;

  private constructor(node: object, flags: number) {
    super(node);
    this.#flags = flags;
  }

  static read(node: object): number {
    return #flags in node ? node.#flags : 0;
  }

  static write(node: object, flags: number): void {
    if (#flags in node) node.#flags = flags;
    else new FlagStamp(node, flags);
  }
}

/** The flag bits. */
export const NodeFlag = {
  /** Validated by `sealValue` (or built by Theus from sealed parts) and frozen. */
  Sealed: 1,
  /** A persistent record facade. */
  Record: 2,
  /** Holds a PRIVATE (`internal_`) key at some depth. */
  Private: 4,
  /** Holds a binary value at some depth: valid only inside the HEAVY zone. */
  Binary: 8,
  /** Holds a key that starts a protected zone (CONST, PRIVATE or LOG) at some depth. */
  Zoned: 16,
} as const;

/** The flags of a node (0 for any object Theus did not seal). */
export function flagsOf(node: object): number {
  return FlagStamp.read(node);
}

/** Sets the flags of a node; call before freezing it. */
export function setFlags(node: object, flags: number): void {
  FlagStamp.write(node, flags);
}

/** Adds flags to a node already stamped (a record facade). */
export function addFlags(node: object, flags: number): void {
  FlagStamp.write(node, FlagStamp.read(node) | flags);
}
