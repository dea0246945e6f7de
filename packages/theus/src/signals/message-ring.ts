/**
 * The per-subscriber bounded buffer: a FIFO ring that overwrites its oldest item when full. It
 * grows lazily up to its capacity, so a large `bufferSize` costs memory only when a subscriber
 * actually falls behind.
 */
export class MessageRing<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #size = 0;
  readonly #capacity: number;

  /** @param capacity - the most items kept (validated by {@link checkBufferSize}). */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** How many items are buffered now. */
  get size(): number {
    return this.#size;
  }

  /** Appends an item; returns `true` when the buffer was full and the oldest item was dropped. */
  push(item: T): boolean {
    if (this.#size === this.#items.length && this.#size < this.#capacity) this.#grow();
    const items = this.#items;
    const length = items.length;
    let tail = this.#head + this.#size;
    if (tail >= length) tail -= length;
    items[tail] = item;
    if (this.#size < length) {
      this.#size++;
      return false;
    }
    if (++this.#head === length) this.#head = 0;
    return true;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const items = this.#items;
    const item = items[this.#head];
    // Release the slot so a consumed payload is not kept alive by the buffer.
    items[this.#head] = undefined;
    if (++this.#head === items.length) this.#head = 0;
    this.#size--;
    return item;
  }

  /** Removes and returns every buffered item, oldest first (an empty array when empty). */
  drain(): T[] {
    const items = this.#items;
    const out: T[] = [];
    let at = this.#head;
    for (let i = this.#size; i > 0; i--) {
      out.push(items[at] as T);
      // Release the slot so a consumed payload is not kept alive by the buffer.
      items[at] = undefined;
      if (++at === items.length) at = 0;
    }
    this.#head = 0;
    this.#size = 0;
    return out;
  }

  /** Drops every buffered item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#size = 0;
  }

  /** Re-lays the items from index 0 in a larger array (doubling, capped at the capacity). */
  #grow(): void {
    const old = this.#items;
    const next: (T | undefined)[] = [];
    for (let i = 0; i < this.#size; i++) next.push(old[(this.#head + i) % old.length]);
    const target = Math.min(this.#capacity, Math.max(16, old.length * 2));
    while (next.length < target) next.push(undefined);
    this.#items = next;
    this.#head = 0;
  }
}

/**
 * Checks a buffer size (a positive safe integer) and returns it.
 *
 * @throws RangeError when `size` is not a positive integer (0, -1, 1.5, NaN, Infinity).
 */
export function checkBufferSize(size: number, where: string): number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(`${where}: bufferSize must be a positive integer, got ${String(size)}. Omit it to use the default of 100.`);
  }
  return size;
}
