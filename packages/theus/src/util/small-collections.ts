/**
 * Insertion-ordered string-keyed collections for the per-run bookkeeping of drafts (children,
 * written keys, read keys). A run usually puts one or two keys in each, and a `Map` or `Set`
 * costs about 150–190 bytes to create plus an iterator and entry arrays to walk; these cost one
 * object and one or two exact-size arrays, and are walked by index. Past
 * {@link INDEX_THRESHOLD} keys a `Map` from key to slot keeps lookups constant-time. Deleted
 * keys leave an empty slot (`undefined`) behind, skipped by walks, so a delete never shifts or
 * re-indexes the others.
 */

/** Up to this many slots a lookup scans; beyond, an index is kept. */
const INDEX_THRESHOLD = 8;

/** A set of string keys in insertion order (see the module comment). */
export class SmallSet {
  /** The keys by slot, `undefined` for a deleted one; walk with `for (i < slots.length)`. */
  readonly slots: (string | undefined)[];
  #index: Map<string, number> | undefined;
  #size = 1;

  constructor(first: string) {
    this.slots = [first];
  }

  /** How many keys are present. */
  get size(): number {
    return this.#size;
  }

  /** The slot of `key`, or -1. */
  slotOf(key: string): number {
    if (this.#index !== undefined) return this.#index.get(key) ?? -1;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) if (slots[i] === key) return i;
    return -1;
  }

  has(key: string): boolean {
    return this.slotOf(key) >= 0;
  }

  /** Adds `key` at the end unless present; returns its slot. */
  add(key: string): number {
    const found = this.slotOf(key);
    if (found >= 0) return found;
    const slot = this.slots.length;
    this.slots.push(key);
    this.#size++;
    if (this.#index !== undefined) this.#index.set(key, slot);
    else if (slot >= INDEX_THRESHOLD) this.#buildIndex();
    return slot;
  }

  /** Removes `key`; returns its former slot, or -1 when absent. */
  delete(key: string): number {
    const slot = this.slotOf(key);
    if (slot < 0) return -1;
    this.slots[slot] = undefined;
    this.#index?.delete(key);
    this.#size--;
    return slot;
  }

  #buildIndex(): void {
    const index = new Map<string, number>();
    this.slots.forEach((key, slot) => {
      if (key !== undefined) index.set(key, slot);
    });
    this.#index = index;
  }
}

/** A map from string keys in insertion order (see the module comment); a key set again keeps its place. */
export class SmallMap<V> extends SmallSet {
  /** The values by slot (meaningful where {@link SmallSet.slots} holds a key). */
  readonly values: (V | undefined)[];

  constructor(firstKey: string, firstValue: V) {
    super(firstKey);
    this.values = [firstValue];
  }

  get(key: string): V | undefined {
    const slot = this.slotOf(key);
    return slot < 0 ? undefined : this.values[slot];
  }

  set(key: string, value: V): void {
    // A new key's slot is the next one, so the assignment extends `values` in step with `slots`.
    this.values[this.add(key)] = value;
  }

  override delete(key: string): number {
    const slot = super.delete(key);
    if (slot >= 0) this.values[slot] = undefined;
    return slot;
  }
}
