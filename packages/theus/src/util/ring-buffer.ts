/**
 * A bounded FIFO that overwrites its oldest item when full: O(1) push, no array shifting, so a
 * log that keeps the last N items costs the same per item however long it runs.
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  /** @param capacity - how many items to keep (a positive integer). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${String(capacity)}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  /** How many items are kept now. */
  get size(): number {
    return this.#size;
  }

  /** Appends an item, dropping the oldest one when full. */
  push(item: T): void {
    const capacity = this.capacity;
    if (this.#size < capacity) {
      this.#items[(this.#start + this.#size) % capacity] = item;
      this.#size++;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % capacity;
    }
  }

  /** Removes and returns the newest item (`undefined` when empty). */
  pop(): T | undefined {
    if (this.#size === 0) return undefined;
    const index = (this.#start + this.#size - 1) % this.capacity;
    const item = this.#items[index];
    this.#items[index] = undefined;
    this.#size--;
    return item;
  }

  /** The item at `index` counted from the oldest (0) to the newest (size - 1). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#size) return undefined;
    return this.#items[(this.#start + index) % this.capacity];
  }

  /** A copy of the items, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T);
    return out;
  }

  /** Removes every item. */
  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }
}
