import { TheusError } from '../errors/index.js';
import { checkLatestTopics, DEFAULT_LATEST_TOPICS, LatestPayloads } from './latest-payloads.js';
import { checkBufferSize } from './message-ring.js';
import type { SignalMessage } from './signal-message.js';
import { Subscription } from './subscription.js';
import type { SignalSubscription, SubscribeOptions } from './subscription.js';
import { describe, TopicFilter } from './topic-filter.js';

/** Options of the {@link SignalHub} constructor. */
export interface SignalHubOptions {
  /** The default per-subscriber buffer size (a positive integer, default 100). */
  readonly bufferSize?: number;
  /**
   * How many topics {@link SignalHub.latest} remembers (an integer >= 0, default 1,000; 0 keeps
   * none). Past it, the topic published least recently is forgotten: it is absent from `latest`
   * until it is published again. Subscribers are not affected (they never replay `latest`).
   */
  readonly latestTopics?: number;
}

/**
 * An in-process publish/subscribe hub: every subscriber whose topic filter matches receives every
 * message published after it subscribed, in publish order, through a bounded buffer of its own.
 *
 * Payloads are delivered by reference (never serialised, cloned or frozen). A subscriber that falls
 * more than `bufferSize` messages behind loses the oldest ones: its next `next()` rejects with a
 * `SignalLagError` carrying `details.missed`, and the one after resumes from the oldest retained
 * message.
 *
 * @example
 * ```ts
 * const hub = new SignalHub();
 * const orders = hub.subscribe('order.*');
 * hub.publish('order.created', { id: 7 });
 * for (;;) {
 *   try {
 *     for await (const { topic, payload } of orders) handle(topic, payload);
 *     break; // the hub or the subscription was closed
 *   } catch (error) {
 *     if (!(error instanceof SignalLagError)) throw error;
 *     console.warn(`missed ${error.details.missed} messages`); // then resume the same subscription
 *   }
 * }
 * ```
 */
export class SignalHub {
  readonly #bufferSize: number;
  /** Replaced (never mutated) on subscribe/unsubscribe, so publish can iterate it safely. */
  #subscriptions: readonly Subscription[] = [];
  readonly #latest: LatestPayloads;
  /**
   * The subscriptions whose filter matches `#targetsTopic`, the last topic published: publishing
   * the same topic again skips the filters. Forgotten whenever the subscriptions change.
   */
  #targets: readonly Subscription[] = [];
  #targetsTopic: string | undefined;
  #seq = 0;
  #closed = false;
  readonly #detach = (subscription: Subscription): void => {
    this.#setSubscriptions(this.#subscriptions.filter((s) => s !== subscription));
  };

  /** @throws RangeError when `options.bufferSize` is not a positive integer or `options.latestTopics` not an integer >= 0. */
  constructor(options: SignalHubOptions = {}) {
    this.#bufferSize = options.bufferSize === undefined ? 100 : checkBufferSize(options.bufferSize, 'new SignalHub');
    const latestTopics =
      options.latestTopics === undefined ? DEFAULT_LATEST_TOPICS : checkLatestTopics(options.latestTopics, 'new SignalHub');
    this.#latest = new LatestPayloads(latestTopics);
  }

  /**
   * Publishes `payload` on `topic` to every matching subscriber and returns the message.
   *
   * @param version - the engine version whose commit emitted it; omit for a direct publish.
   * @throws TypeError when `topic` is not a non-empty string.
   * @throws TheusError `SIGNAL_CLOSED` after {@link SignalHub.close}.
   */
  publish(topic: string, payload?: unknown, version?: number): SignalMessage {
    if (typeof topic !== 'string' || topic.length === 0) {
      throw new TypeError(`SignalHub.publish: the topic must be a non-empty string, got ${describe(topic)}.`);
    }
    if (this.#closed) throw closedError('publish', topic);
    const seq = ++this.#seq;
    const message: SignalMessage = version === undefined ? { topic, payload, seq } : { topic, payload, seq, version };
    this.#latest.set(topic, payload);
    const targets = topic === this.#targetsTopic ? this.#targets : this.#match(topic);
    for (let i = 0; i < targets.length; i++) (targets[i] as Subscription).deliver(message);
    return message;
  }

  /**
   * Subscribes to `topics` (an exact topic, `'prefix*'`, `'*'`, or a list of them; omitted = every
   * topic). The subscription receives only messages published after this call.
   *
   * @throws TypeError for an empty list or a topic that is not a non-empty string.
   * @throws RangeError when `options.bufferSize` is not a positive integer.
   * @throws TheusError `SIGNAL_CLOSED` after {@link SignalHub.close}.
   */
  subscribe(topics?: string | readonly string[], options: SubscribeOptions = {}): SignalSubscription {
    const filter = new TopicFilter(topics);
    const size = options.bufferSize === undefined ? this.#bufferSize : checkBufferSize(options.bufferSize, 'SignalHub.subscribe');
    if (this.#closed) throw closedError('subscribe', filter.topics.join(', '));
    const subscription = new Subscription(filter, size, options.signal, this.#detach);
    if (options.signal?.aborted === true) subscription.close();
    else this.#setSubscriptions([...this.#subscriptions, subscription]);
    return subscription;
  }

  /**
   * The latest payload per topic, for the `latestTopics` most recently published topics (least
   * recently published first): a frozen, null-prototype snapshot (a new object after each publish).
   */
  get latest(): Readonly<Record<string, unknown>> {
    return this.#latest.snapshot();
  }

  /** How many topics' latest payloads the hub itself holds now (at most its `latestTopics`). */
  get retainedTopics(): number {
    return this.#latest.size;
  }

  /** How many subscriptions are open (closed ones are removed at once). */
  get subscriberCount(): number {
    return this.#subscriptions.length;
  }

  /** Whether {@link SignalHub.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Closes the hub: every subscription ends (`done: true` once its buffered messages are read) and
   * later `publish`/`subscribe` calls throw `SIGNAL_CLOSED`. `latest` stays readable. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const subscriptions = this.#subscriptions;
    this.#setSubscriptions([]);
    for (const subscription of subscriptions) subscription.end();
  }

  /** The subscriptions matching `topic` (the list itself when they all do), remembered for the next publish. */
  #match(topic: string): readonly Subscription[] {
    const subscriptions = this.#subscriptions;
    let some: Subscription[] | undefined;
    for (let i = 0; i < subscriptions.length; i++) {
      const subscription = subscriptions[i] as Subscription;
      if (subscription.filter.matches(topic)) some?.push(subscription);
      else some ??= subscriptions.slice(0, i);
    }
    const targets = some ?? subscriptions;
    this.#targets = targets;
    this.#targetsTopic = topic;
    return targets;
  }

  #setSubscriptions(subscriptions: readonly Subscription[]): void {
    this.#subscriptions = subscriptions;
    this.#targets = [];
    this.#targetsTopic = undefined;
  }
}

function closedError(action: 'publish' | 'subscribe', topic: string): TheusError {
  return new TheusError(
    'SIGNAL_CLOSED',
    `Cannot ${action} (${topic}): the signal hub is closed. Create a new hub, or stop using this one after close().`,
    {
      details: { action, topic },
    },
  );
}
