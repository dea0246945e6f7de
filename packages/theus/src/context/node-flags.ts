/**
 * Facts about committed nodes, one small integer per node in one WeakMap: sealed (validated and
 * frozen), a record facade, holds a PRIVATE key, holds a binary. One lookup answers every
 * question the commit path asks about a node, where separate WeakSets cost one lookup each.
 * Immutable nodes never change, so the facts are safe to share between engines. The values are
 * small integers, so entries never keep other objects alive.
 */
const FLAGS = new WeakMap<object, number>();

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
} as const;

/** The flags of a node (0 for any object Theus did not seal). */
export function flagsOf(node: object): number {
  return FLAGS.get(node) ?? 0;
}

/** Sets the flags of a node once, when it is sealed. */
export function setFlags(node: object, flags: number): void {
  FLAGS.set(node, flags);
}

/** Adds flags to a node. */
export function addFlags(node: object, flags: number): void {
  FLAGS.set(node, (FLAGS.get(node) ?? 0) | flags);
}
