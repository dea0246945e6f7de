import type { OutboxEntry, OutboxEnvelope } from '../store/store.js';

/**
 * The dispatcher's working record of one undelivered message (mutable, never handed out: handlers
 * get a frozen {@link OutboxEnvelope}, `pending()` and `deadLetters()` frozen {@link OutboxEntry}s).
 */
export interface OutboxMessage {
  readonly id: string;
  readonly topic: string;
  readonly payload: unknown;
  readonly version: number;
  /**
   * The arrival rank: with `version`, the commit order. Messages arrive in commit order (the
   * ledger's at open, then each commit's in index order), so within a version it is the index.
   */
  readonly seq: number;
  attempts: number;
  status: 'pending' | 'dead';
  lastError: string | undefined;
  nextAttemptAt: number;
}

/** Orders messages by commit: version, then index within the commit. */
export function commitOrder(a: OutboxMessage, b: OutboxMessage): number {
  return a.version - b.version || a.seq - b.seq;
}

/** What a handler receives for this attempt. */
export function envelopeOf(message: OutboxMessage): OutboxEnvelope {
  const { id, topic, payload, version, attempts } = message;
  return Object.freeze({ id, topic, payload, version, attempts });
}

/** A frozen snapshot of the message as `pending()` and `deadLetters()` list it. */
export function entryOf(message: OutboxMessage): OutboxEntry {
  const { id, topic, payload, version, attempts, status, lastError, nextAttemptAt } = message;
  return Object.freeze({ id, topic, payload, version, attempts, status, lastError, nextAttemptAt });
}

/** Snapshots `messages` in commit order. */
export function snapshot(messages: Iterable<OutboxMessage>): readonly OutboxEntry[] {
  return Object.freeze([...messages].sort(commitOrder).map(entryOf));
}
