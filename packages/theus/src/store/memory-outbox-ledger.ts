import type { OutboxEntry, OutboxEnvelope, OutboxFailure, OutboxLedger } from './store.js';

/** The outbox ledger of the memory store: undelivered messages in a map, in commit order. */
export class MemoryOutboxLedger implements OutboxLedger {
  readonly #entries = new Map<string, OutboxEntry>();

  /** Records the messages of a commit as pending, for their first attempt. */
  add(messages: readonly OutboxEnvelope[]): void {
    for (const message of messages) {
      this.#entries.set(message.id, Object.freeze({ ...message, status: 'pending', lastError: undefined, nextAttemptAt: 0 }));
    }
  }

  undelivered(): readonly OutboxEntry[] {
    return [...this.#entries.values()];
  }

  delivered(id: string): void {
    this.#entries.delete(id);
  }

  failed(id: string, failure: OutboxFailure): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.set(
      id,
      Object.freeze({
        ...entry,
        attempts: failure.attempts,
        status: failure.dead ? 'dead' : 'pending',
        lastError: failure.error,
        nextAttemptAt: failure.dead ? 0 : failure.nextAttemptAt,
      }),
    );
  }

  revive(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry?.status !== 'dead') return false;
    this.#entries.set(id, Object.freeze({ ...entry, attempts: 0, status: 'pending', nextAttemptAt: 0 }));
    return true;
  }
}
