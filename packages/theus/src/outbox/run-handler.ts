import type { OutboxEnvelope } from '../store/store.js';

/**
 * Handles the messages of one topic (registered with `engine.outbox.on`). Returning, or a promise
 * that resolves, marks the message delivered (the value is ignored); throwing, a promise that
 * rejects, or one that does not settle within `outbox.handlerTimeoutMs` is a failed attempt, retried
 * later. Make it idempotent on `message.id`: delivery is at least once.
 *
 * @example
 * ```ts
 * const notify: OutboxHandler = async ({ id, payload }) => {
 *   await fetch('https://hooks.example.com/orders', { method: 'POST', headers: { 'Idempotency-Key': id }, body: JSON.stringify(payload) });
 * };
 * engine.outbox.on('order.placed', notify);
 * ```
 */
export type OutboxHandler = (message: OutboxEnvelope) => unknown;

/** How one attempt ended: `undefined` for success, else why it failed (a bounded string). */
export type AttemptOutcome = string | undefined;

/** The longest error text recorded for a failed attempt. */
const MAX_ERROR_LENGTH = 1_000;

/**
 * Calls `handler` with `message` and settles with its outcome: success when it returns or its
 * promise resolves; a failure when it throws, its promise rejects, or it has not settled within
 * `timeoutMs` (the handler is not cancelled; what it does later is ignored). Never rejects, and
 * leaves no timer behind once settled.
 */
export function runHandler(handler: OutboxHandler, message: OutboxEnvelope, timeoutMs: number): Promise<AttemptOutcome> {
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish(`handler did not settle within ${timeoutMs} ms`);
    }, timeoutMs);
    let result: unknown;
    try {
      result = handler(message);
    } catch (error) {
      finish(errorText(error));
      return;
    }
    Promise.resolve(result).then(
      () => {
        finish(undefined);
      },
      (error: unknown) => {
        finish(errorText(error));
      },
    );
  });
}

/** The text recorded for a failure: the error's message, or the thrown value as a string, bounded. */
export function errorText(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? error.message || String(error) : String(error);
  } catch {
    text = 'a value that cannot be converted to a string';
  }
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
