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
 * One subscriber's stream of messages, consumed with `for await` or `next()`.
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
}

type Result = IteratorResult<SignalMessage, undefined>;
type Resolve = (result: Result) => void;

const DONE: Result = Object.freeze({ value: undefined, done: true });

/** The hub's implementation of {@link SignalSubscription}; the hub calls `deliver` and `end`. */
export class Subscription implements SignalSubscription {
  readonly filter: TopicFilter;
  readonly #ring: MessageRing<SignalMessage>;
  readonly #bufferSize: number;
  readonly #waiters: Resolve[] = [];
  readonly #detach: (subscription: Subscription) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => this.close();
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

  /** Hands one message to this subscriber: straight to a waiting `next()`, else into the buffer. */
  deliver(message: SignalMessage): void {
    if (this.#waiters.length > 0) {
      (this.#waiters.shift() as Resolve)({ value: message, done: false });
    } else if (this.#ring.push(message)) {
      this.#lag++;
      this.#missed++;
    }
  }

  next(): Promise<Result> {
    if (this.#lag > 0) return Promise.reject(this.#lagError());
    const message = this.#ring.shift();
    if (message !== undefined) return Promise.resolve({ value: message, done: false });
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise<Result>((resolve) => this.#waiters.push(resolve));
  }

  return(): Promise<Result> {
    this.close();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
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
    for (const resolve of this.#waiters.splice(0)) resolve(DONE);
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
