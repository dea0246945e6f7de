import type { OutboxEntry, OutboxFailure, OutboxLedger } from '../store.js';
import { writeFailed, reason } from './postgres-errors.js';
import { NOW_MS, type PostgresSession } from './postgres-session.js';

/**
 * The outbox ledger of the PostgreSQL store: the `outbox` table, shared by every node. Messages
 * arrive with their commit (`commit_group`); a node claims one for each delivery attempt, for a
 * lease (`outboxLeaseMs`, on the database's clock), so one node holds a message at a time and a
 * crashed node's claim expires; dead letters are rows, seen by every node. Each change is one
 * statement, durable when its promise resolves.
 */
export class PostgresOutboxLedger implements OutboxLedger {
  readonly #session: (call: string) => PostgresSession;
  #undelivered: readonly OutboxEntry[] = Object.freeze([]);

  /** `session` returns the open session, or throws the store's "not open" error for `call`. */
  constructor(session: (call: string) => PostgresSession) {
    this.#session = session;
  }

  /** Sets what {@link undelivered} answers: the messages read when the store opened. */
  loaded(entries: readonly OutboxEntry[]): void {
    this.#undelivered = Object.freeze([...entries]);
  }

  undelivered(): readonly OutboxEntry[] {
    this.#session('outbox.undelivered()');
    return this.#undelivered;
  }

  async claim(id: string): Promise<boolean> {
    const { rowCount } = await this.#write(
      'outbox.claim()',
      id,
      (s) =>
        `UPDATE ${s}.outbox o SET claimed_by = $2, lease_until = ${NOW_MS} + $3
         WHERE o.id = (SELECT i.id FROM ${s}.outbox i
                       WHERE i.id = $1 AND i.status = 'pending' AND (i.claimed_by IS NULL OR i.claimed_by = $2 OR i.lease_until < ${NOW_MS})
                       FOR UPDATE SKIP LOCKED)`,
      (session) => [id, session.nodeId, session.options.outboxLeaseMs],
    );
    return rowCount === 1;
  }

  async delivered(id: string): Promise<void> {
    await this.#write(
      'outbox.delivered()',
      id,
      (s) => `DELETE FROM ${s}.outbox WHERE id = $1`,
      () => [id],
    );
  }

  async failed(id: string, failure: OutboxFailure): Promise<void> {
    // Only while this node holds the message (or nobody does): a claim that expired mid-attempt records nothing.
    await this.#write(
      'outbox.failed()',
      id,
      (s) =>
        `UPDATE ${s}.outbox SET attempts = $2, status = $3, last_error = $4, next_attempt_at = $5, claimed_by = NULL, lease_until = NULL
         WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $6)`,
      (session) => [
        id,
        failure.attempts,
        failure.dead ? 'dead' : 'pending',
        // PostgreSQL text cannot hold NUL.
        failure.error.replaceAll('\0', '\uFFFD'),
        failure.dead ? 0 : failure.nextAttemptAt,
        session.nodeId,
      ],
    );
  }

  async revive(id: string): Promise<boolean> {
    const { rowCount } = await this.#write(
      'outbox.revive()',
      id,
      (s) =>
        `UPDATE ${s}.outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, claimed_by = NULL, lease_until = NULL
         WHERE id = $1 AND status = 'dead'`,
      () => [id],
    );
    return rowCount === 1;
  }

  async #write(
    call: string,
    id: string,
    sql: (schema: string) => string,
    values: (session: PostgresSession) => unknown[],
  ): Promise<{ readonly rowCount: number | null }> {
    const session = this.#session(call);
    try {
      return await session.pool.query(sql(session.schema), values(session));
    } catch (error) {
      throw writeFailed(
        session.options,
        `could not record ${call} for outbox message '${id}': ${reason(session.options, error)}.`,
        { id },
        error,
      );
    }
  }
}
