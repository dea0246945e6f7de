/**
 * The hub's `latest`: the last payload of each topic, for at most a fixed number of topics. When a
 * new topic would exceed the bound, the topic published least recently is forgotten, so a publisher
 * that invents a topic per message keeps memory flat instead of growing it for ever.
 *
 * @packageDocumentation
 */

/** The default bound: the last payloads of this many topics are kept. */
export const DEFAULT_LATEST_TOPICS = 1000;

/** Last payload per topic, least recently published first, bounded to `limit` topics. */
export class LatestPayloads {
  readonly #payloads = new Map<string, unknown>();
  readonly #limit: number;
  #snapshot: Readonly<Record<string, unknown>> | undefined;
  /** The most recently published topic: re-publishing it needs no reordering. */
  #newest: string | undefined;

  /** @param limit - the most topics kept (validated by {@link checkLatestTopics}); 0 keeps none. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records `payload` as the latest of `topic`, forgetting the least recently published topic past the bound. */
  set(topic: string, payload: unknown): void {
    if (this.#limit === 0) return;
    const payloads = this.#payloads;
    this.#snapshot = undefined;
    if (topic === this.#newest) {
      payloads.set(topic, payload);
      return;
    }
    // Delete first so that a re-published topic moves to the most recent end of the order.
    payloads.delete(topic);
    payloads.set(topic, payload);
    this.#newest = topic;
    if (payloads.size > this.#limit) payloads.delete(payloads.keys().next().value as string);
  }

  /** A frozen, null-prototype record of the kept payloads (the same object until the next `set`). */
  snapshot(): Readonly<Record<string, unknown>> {
    if (this.#snapshot !== undefined) return this.#snapshot;
    const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [topic, payload] of this.#payloads) record[topic] = payload;
    return (this.#snapshot = Object.freeze(record));
  }

  /** How many topics are kept now (at most the limit). */
  get size(): number {
    return this.#payloads.size;
  }
}

/**
 * Checks a `latestTopics` bound (a safe integer >= 0) and returns it.
 *
 * @throws RangeError when `limit` is negative, fractional, NaN, infinite or not a number.
 */
export function checkLatestTopics(limit: number, where: string): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(
      `${where}: latestTopics must be an integer >= 0, got ${String(limit)}. Omit it to keep the latest payloads of ${String(DEFAULT_LATEST_TOPICS)} topics, or pass 0 to keep none.`,
    );
  }
  return limit;
}
