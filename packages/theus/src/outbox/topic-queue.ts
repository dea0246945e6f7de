import { commitOrder, type OutboxMessage } from './outbox-message.js';
import type { OutboxHandler } from './run-handler.js';

/**
 * The pending messages of one topic, in commit order, and its delivery state: the topic's next
 * message waits until the one before it was delivered or went dead, so at most one is in flight.
 */
export class TopicQueue {
  readonly topic: string;
  handler: OutboxHandler | undefined;
  /** The message being delivered (no longer in {@link TopicQueue.head}). */
  inFlight: OutboxMessage | undefined;
  /** The back-off timer of the head, while it waits for its next attempt. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When {@link TopicQueue.timer} fires (milliseconds since the epoch). */
  timerAt = 0;
  /** Waiting messages from `#start` on, in commit order; the front is consumed by index, not `shift()`. */
  #items: (OutboxMessage | undefined)[] = [];
  #start = 0;

  constructor(topic: string) {
    this.topic = topic;
  }

  /** The number of waiting messages (the one in flight excluded). */
  get size(): number {
    return this.#items.length - this.#start;
  }

  /** The next message to deliver, if any. */
  get head(): OutboxMessage | undefined {
    return this.#items[this.#start];
  }

  /** True when nothing refers to this queue any more: no message, no handler, no timer. */
  get idle(): boolean {
    return this.size === 0 && this.inFlight === undefined && this.handler === undefined && this.timer === undefined;
  }

  /** Adds a message at its commit-order place (at the end, for messages arriving in commit order). */
  insert(message: OutboxMessage): void {
    const items = this.#items;
    let at = items.length;
    while (at > this.#start && commitOrder(items[at - 1] as OutboxMessage, message) > 0) at--;
    items.splice(at, 0, message);
  }

  /** Removes and returns the head. */
  take(): OutboxMessage | undefined {
    const message = this.#items[this.#start];
    if (message === undefined) return undefined;
    this.#items[this.#start] = undefined;
    this.#start++;
    if (this.#start === this.#items.length) {
      this.#items = [];
      this.#start = 0;
    } else if (this.#start >= 1_024 && this.#start * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#start);
      this.#start = 0;
    }
    return message;
  }

  /** Clears the back-off timer, if any. */
  clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
