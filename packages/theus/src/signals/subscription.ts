import { SignalLagError } from '../errors/index.js';
import { MessageRing } from './message-ring.js';
import type { SignalMessage } from './signal-message.js';
import type { TopicFilter } from './topic-filter.js';

/** Options of {@link SignalHub.subscribe}. */
export interface SubscribeOptions {
  /** How many undelivered messages this subscriber keeps before the oldest are overwritten (default: the hub's, 100). */
  readonly bufferSize?: number;
  /** Ends the subscription when aborted (like `close()`: buffered messages are discarded). */
  readonly signal?: AbortSignal;
}

/**
 * One subscriber's stream of messages, consumed with `for await` or `next()`, one message at a
 * time, or a batch at a time with {@link SignalSubscription.batches}.
 *
 * When the subscriber falls behind and its buffer overflows, the next `next()` rejects with a
 * {@link SignalLagError} (`code: 'SIGNAL_LAG'`, `details.missed`); the subscription stays open and
 * the following `next()` resumes from the oldest retained message. Breaking out of `for await`
 * (or an exception in its body) closes the subscription; a lag rejection does not.
 */
export interface SignalSubscription extends AsyncIterableIterator<SignalMessage, undefined, undefined> {
  /** Ends the subscription now: buffered messages are discarded and pending `next()` calls finish with `done: true`. */
  close(): void;
  /** Total messages overwritten before this subscriber read them, since it subscribed. */
  readonly missed: number;
  /** Whether the subscription was closed (by `close()`, its AbortSignal, `return()` or the hub closing). */
  readonly closed: boolean;
  /**
   * The same stream, a batch at a time: each `next()` resolves with every message buffered so far
   * (at least one, oldest first, at most the buffer size), and a waiting consumer wakes once for all
   * the messages published in the same turn of the event loop instead of once per message. Lag,
   * closing and `return()` (breaking out of `for await`) behave as on the subscription itself;
   * both streams read the same buffer, so a message goes to exactly one of them.
   *
   * @example
   * ```ts
   * for await (const batch of hub.subscribe('order.*').batches()) for (const { topic, payload } of batch) handle(topic, payload);
   * ```
   */
  batches(): AsyncIterableIterator<readonly SignalMessage[], undefined, undefined>;
}

type Result = IteratorResult<SignalMessage, undefined>;
type BatchResult = IteratorResult<readonly SignalMessage[], undefined>;

/** A pending `next()` of the message stream or (`batch`) of the batch stream. */
type Waiter =
  | { readonly batch: false; readonly resolve: (result: Result) => void; readonly reject: (error: unknown) => void }
  | { readonly batch: true; readonly resolve: (result: BatchResult) => void; readonly reject: (error: unknown) => void };

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** The hub's implementation of {@link SignalSubscription}; the hub calls `deliver` and `end`. */
export class Subscription implements SignalSubscription {
  readonly filter: TopicFilter;
  readonly #ring: MessageRing<SignalMessage>;
  readonly #bufferSize: number;
  /** Pending `next()` calls of both streams, served in call order. */
  readonly #waiters: Waiter[] = [];
  readonly #detach: (subscription: Subscription) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => this.close();
  /** Serves the waiters from the buffer; queued once per burst of deliveries (see `deliver`). */
  readonly #flush = (): void => this.#serve();
  #flushQueued = false;
  /**
   * The batch being gathered for the first waiting batch consumer while the ring is empty (handed
   * over whole, with no copy, once the publisher's turn ends); at most `bufferSize` messages.
   */
  #batch: SignalMessage[] | undefined;
  #lag = 0;
  #missed = 0;
  #ended = false;

  constructor(filter: TopicFilter, bufferSize: number, signal: AbortSignal | undefined, detach: (s: Subscription) => void) {
    this.filter = filter;
    this.#bufferSize = bufferSize;
    this.#ring = new MessageRing(bufferSize);
    this.#detach = detach;
    this.#signal = signal;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get missed(): number {
    return this.#missed;
  }

  get closed(): boolean {
    return this.#ended;
  }

  /**
   * Hands one message to this subscriber: straight to a waiting `next()` of the message stream,
   * into the batch gathered for a waiting batch consumer (served once the publisher's turn ends, so
   * that it wakes once for the whole burst), else into the buffer.
   */
  deliver(message: SignalMessage): void {
    const batch = this.#batch;
    if (batch !== undefined && batch.length < this.#bufferSize) {
      batch.push(message);
      return;
    }
    const waiters = this.#waiters;
    if (batch === undefined && waiters.length !== 0 && !this.#flushQueued) {
      const first = waiters[0] as Waiter;
      if (first.batch) {
        this.#batch = [message];
      } else {
        waiters.shift();
        first.resolve({ value: message, done: false });
        return;
      }
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
      return;
    }
    if (batch !== undefined) {
      // A burst longer than the buffer: from here on the ring keeps the newest and counts the lag.
      for (const kept of batch) this.#ring.push(kept);
      this.#batch = undefined;
    }
    if (this.#ring.push(message)) {
      this.#lag++;
      this.#missed++;
    }
  }

  next(): Promise<Result> {
    if (this.#waiters.length === 0) {
      if (this.#lag > 0) return Promise.reject(this.#lagError());
      const message = this.#ring.shift();
      if (message !== undefined) return Promise.resolve({ value: message, done: false });
      if (this.#ended) return Promise.resolve(DONE);
    }
    return new Promise<Result>((resolve, reject) => this.#waiters.push({ batch: false, resolve, reject }));
  }

  batches(): AsyncIterableIterator<readonly SignalMessage[], undefined, undefined> {
    const stream: AsyncIterableIterator<readonly SignalMessage[], undefined, undefined> = {
      next: () => this.#nextBatch(),
      return: () => this.return(),
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  return(): Promise<IteratorReturnResult<undefined>> {
    this.close();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    this.#batch = undefined;
    this.#ring.clear();
    this.#lag = 0;
    this.end();
  }

  /** Stops new deliveries but lets the buffered messages (and a pending lag error) be read first. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#detach(this);
    this.#serve();
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(DONE);
  }

  #nextBatch(): Promise<BatchResult> {
    if (this.#waiters.length === 0) {
      if (this.#lag > 0) return Promise.reject(this.#lagError());
      if (this.#ring.size > 0) return Promise.resolve({ value: this.#ring.drain(), done: false });
      if (this.#ended) return Promise.resolve(DONE);
    }
    return new Promise<BatchResult>((resolve, reject) => this.#waiters.push({ batch: true, resolve, reject }));
  }

  /** Serves waiting `next()` calls in order from the buffer: a pending lag error first, as `next()` does. */
  #serve(): void {
    this.#flushQueued = false;
    const waiters = this.#waiters;
    const batch = this.#batch;
    if (batch !== undefined) {
      // Gathered for the first waiter, a batch consumer: calls made since then queued behind it.
      this.#batch = undefined;
      const waiter = waiters.shift();
      if (waiter?.batch === true) waiter.resolve({ value: batch, done: false });
    }
    while (waiters.length > 0 && (this.#lag > 0 || this.#ring.size > 0)) {
      const waiter = waiters.shift() as Waiter;
      if (this.#lag > 0) waiter.reject(this.#lagError());
      else if (waiter.batch) waiter.resolve({ value: this.#ring.drain(), done: false });
      else waiter.resolve({ value: this.#ring.shift() as SignalMessage, done: false });
    }
  }

  #lagError(): SignalLagError {
    const missed = this.#lag;
    this.#lag = 0;
    const topics = this.filter.topics;
    return new SignalLagError(
      'SIGNAL_LAG',
      `A signal subscriber (topics ${topics.join(', ')}) fell behind and missed ${missed} message(s): its buffer holds ${this.#bufferSize}. ` +
        'Call next() again (or re-enter for await) to continue from the oldest retained message; consume faster or subscribe with a larger bufferSize.',
      { details: { missed, topics } },
    );
  }
}
