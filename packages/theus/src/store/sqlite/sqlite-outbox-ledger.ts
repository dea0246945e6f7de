import type { OutboxEntry, OutboxFailure, OutboxLedger } from '../store.js';
import { DecodeProblem, outboxEntryOf } from './sqlite-codec.js';
import { corrupt, reason, writeFailed } from './sqlite-errors.js';
import { guard } from './sqlite-reader.js';
import type { SqliteSession } from './sqlite-session.js';
import type { OutboxRow } from './sqlite-statements.js';

/**
 * The outbox ledger of the SQLite store: the `outbox` table of the same file, on the same
 * connection. Messages arrive with their commit ({@link writeUnits}); each change here is its own
 * small transaction (one statement), durable when it returns.
 */
export class SqliteOutboxLedger implements OutboxLedger {
  readonly #session: (call: string) => SqliteSession;

  /** `session` returns the open session, or throws the store's "not open" error for `call`. */
  constructor(session: (call: string) => SqliteSession) {
    this.#session = session;
  }

  undelivered(): readonly OutboxEntry[] {
    const session = this.#session('outbox.undelivered()');
    let rows: readonly OutboxRow[];
    try {
      rows = session.statements.undelivered.all();
    } catch (error) {
      throw corrupt(session.path, `its outbox could not be read (${reason(error)})`, error);
    }
    return guard(session, () => rows.map((row) => decodeEntry(session, row)));
  }

  delivered(id: string): void {
    this.#write('outbox.delivered()', id, (session) => session.statements.delivered.run(id));
  }

  failed(id: string, failure: OutboxFailure): void {
    this.#write('outbox.failed()', id, (session) =>
      session.statements.failed.run(
        failure.attempts,
        failure.dead ? 'dead' : 'pending',
        failure.error,
        failure.dead ? 0 : failure.nextAttemptAt,
        id,
      ),
    );
  }

  revive(id: string): boolean {
    return this.#write('outbox.revive()', id, (session) => session.statements.revive.run(id)).changes === 1;
  }

  #write<T>(call: string, id: string, run: (session: SqliteSession) => T): T {
    const session = this.#session(call);
    try {
      return run(session);
    } catch (error) {
      throw writeFailed(session.path, `could not record ${call} for outbox message '${id}': ${reason(error)}.`, { id }, error);
    }
  }
}

const STATUSES = new Set(['pending', 'dead']);

/**
 * An outbox row as a frozen entry, fields in the order of {@link OutboxEntry}. The row must
 * belong to a stored commit (after the seed, at most the newest version) under the id the engine
 * gives it (`v<version>.<idx>`): a message of a commit that does not exist would be delivered for
 * a change that never happened, and would hold back its topic forever. Its payload must be in the
 * value model, and is handed out as deeply frozen plain data.
 */
function decodeEntry(session: SqliteSession, row: OutboxRow): OutboxEntry {
  const { id, version, idx, topic, attempts, status, last_error: lastError, next_attempt_at: nextAttemptAt } = row;
  if (
    typeof id !== 'string' ||
    typeof version !== 'number' ||
    typeof idx !== 'number' ||
    typeof topic !== 'string' ||
    typeof attempts !== 'number' ||
    typeof status !== 'string' ||
    !STATUSES.has(status) ||
    (lastError !== null && typeof lastError !== 'string') ||
    typeof nextAttemptAt !== 'number'
  ) {
    throw new DecodeProblem(`the outbox message '${String(id)}' has a column of the wrong type`);
  }
  const { seedVersion = 0, lastVersion = seedVersion } = session;
  return outboxEntryOf(
    { id, version, idx, topic, attempts, status, lastError, nextAttemptAt, payload: row.payload },
    seedVersion + 1,
    lastVersion,
  );
}
