/**
 * Which topics a subscription receives: exact topics, and `prefix*` wildcards (a trailing `*`
 * matches every topic that starts with the prefix; `*` alone matches everything).
 */
export class TopicFilter {
  /** The filter as the subscriber gave it, `['*']` for "every topic" (used in error details). */
  readonly topics: readonly string[];
  /** True when every topic matches, so the hub can skip the lookup. */
  readonly all: boolean;
  readonly #exact = new Set<string>();
  readonly #prefixes: string[] = [];

  /**
   * @param topics - one topic, a list of topics, or `undefined` for every topic.
   * @throws TypeError when a topic is not a non-empty string, or the list is empty.
   */
  constructor(topics: string | readonly string[] | undefined) {
    const list: readonly unknown[] = topics === undefined ? ['*'] : typeof topics === 'string' ? [topics] : topics;
    if (!Array.isArray(list) || list.length === 0) {
      throw new TypeError('SignalHub.subscribe: topics must be a topic, a non-empty list of topics, or omitted for every topic.');
    }
    const kept: string[] = [];
    for (const topic of list) {
      if (typeof topic !== 'string' || topic.length === 0) {
        throw new TypeError(`SignalHub.subscribe: every topic must be a non-empty string, got ${describe(topic)}.`);
      }
      kept.push(topic);
      if (topic.endsWith('*')) this.#prefixes.push(topic.slice(0, -1));
      else this.#exact.add(topic);
    }
    this.topics = Object.freeze(kept);
    this.all = this.#prefixes.includes('');
  }

  /** Whether a published topic is delivered to this subscription. */
  matches(topic: string): boolean {
    if (this.all || this.#exact.has(topic)) return true;
    for (const prefix of this.#prefixes) if (topic.startsWith(prefix)) return true;
    return false;
  }
}

/** A short, safe description of a bad argument for an error message. */
export function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value;
}
