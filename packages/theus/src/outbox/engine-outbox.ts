import type { OutboxEntry } from '../store/store.js';
import type { OutboxDispatcher } from './outbox-dispatcher.js';
import type { OutboxHandler } from './run-handler.js';

/**
 * The outbox of one engine (`engine.outbox`): handlers for the messages that processes add with
 * `ctx.outbox.add(topic, payload)`, and the lists of those not delivered yet.
 *
 * A message is delivered after its commit is durable, at least once, in commit order per topic
 * (a topic's next message waits until the one before it was delivered or became a dead letter),
 * with at most `outbox.concurrency` handlers in flight. A handler that throws, rejects or does not
 * settle within `outbox.handlerTimeoutMs` is retried after an exponential back-off; after
 * `outbox.maxAttempts` attempts the message becomes a dead letter, kept until
 * {@link EngineOutbox.retry}. Nothing is dropped: with a durable store, undelivered messages are
 * delivered again after the engine is reopened. Methods that read lists return promises, because a
 * store on a server answers them.
 *
 * @example
 * ```ts
 * engine.outbox.on('order.placed', async (message) => {
 *   await mailer.send({ idempotencyKey: message.id, order: message.payload });
 * });
 * ```
 */
export class EngineOutbox {
  readonly #dispatcher: OutboxDispatcher;

  /** @internal Built by the engine around its outbox dispatcher. */
  constructor(dispatcher: OutboxDispatcher) {
    this.#dispatcher = dispatcher;
  }

  /**
   * Registers the handler of `topic` and returns a function that removes it (calling it again
   * does nothing; a delivery in flight completes). One handler per topic, so that its messages are
   * handled in order. Messages of a topic without a handler wait for one, and are delivered from
   * the oldest on once it is registered.
   *
   * The handler receives a frozen `{ id, topic, payload, version, attempts }`: `id` is stable
   * across retries and restarts and never reused (use it as an idempotency key, since a message may
   * be delivered more than once), `attempts` counts the attempts made before this one. Returning
   * (or resolving) marks the message delivered; throwing, rejecting or not settling in time counts
   * as a failed attempt. The handler is never called inside `on()` itself.
   *
   * @throws ContractViolationError `CONTRACT_BAD_ARGS` when `topic` is not a non-empty string or
   *   `handler` not a function.
   * @throws TheusError `OUTBOX_HANDLER_EXISTS` when `topic` already has a handler; `ENGINE_CLOSED`
   *   after `engine.close()`.
   *
   * @example
   * ```ts
   * const stop = engine.outbox.on('invoice.issued', async ({ id, payload, attempts }) => {
   *   if (attempts > 0) log.warn(`retrying ${id}`);
   *   await billing.push(id, payload); // throw to retry later
   * });
   * // later: stop receiving (messages wait for the next handler)
   * stop();
   * ```
   */
  on(topic: string, handler: OutboxHandler): () => void {
    return this.#dispatcher.on(topic, handler);
  }

  /**
   * The messages still to deliver (those being delivered included), in commit order, as frozen
   * entries with their `attempts`, `lastError` and `nextAttemptAt`.
   *
   * @example
   * ```ts
   * for (const entry of await engine.outbox.pending()) {
   *   console.log(entry.id, entry.topic, entry.attempts, entry.lastError);
   * }
   * ```
   */
  pending(): Promise<readonly OutboxEntry[]> {
    return Promise.resolve(this.#dispatcher.pending());
  }

  /**
   * The dead letters: messages whose handler failed `outbox.maxAttempts` times, in commit order, as
   * frozen entries with the last error. They stay (across restarts, with a durable store) until
   * {@link EngineOutbox.retry}.
   *
   * @example
   * ```ts
   * const dead = await engine.outbox.deadLetters();
   * if (dead.length > 0) alert(`${dead.length} undeliverable messages, first: ${dead[0].lastError}`);
   * ```
   */
  deadLetters(): Promise<readonly OutboxEntry[]> {
    return Promise.resolve(this.#dispatcher.deadLetters());
  }

  /**
   * Gives the dead letter `id` a new series of attempts: it becomes pending with no attempts and is
   * delivered in its commit-order place among its topic's waiting messages.
   *
   * @throws TheusError (rejects) `OUTBOX_UNKNOWN_MESSAGE` when `id` is not a dead letter;
   *   `ENGINE_CLOSED` after `engine.close()`; the store's error when it cannot record the retry
   *   (the message then stays a dead letter).
   *
   * @example
   * ```ts
   * // after fixing what made the handler fail:
   * for (const { id } of await engine.outbox.deadLetters()) await engine.outbox.retry(id);
   * ```
   */
  retry(id: string): Promise<void> {
    return this.#dispatcher.retry(id);
  }
}
