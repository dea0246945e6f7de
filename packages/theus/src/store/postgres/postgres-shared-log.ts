import { randomUUID } from 'node:crypto';
import type { CommitRecord, CommitUnit, SharedCommitResult, SharedLog, StoreContents } from '../store.js';
import { createPool } from './postgres-connection.js';
import { corrupt, describeLocation, notOpen, openError, readFailed, reason, storeError, writeFailed } from './postgres-errors.js';
import { CORRUPT_LOG, LIVE_TURN } from './postgres-commit-function.js';
import { encodeGroup, readGroupResult } from './postgres-group.js';
import type { SeenHistory } from './postgres-history.js';
import { LogListener } from './postgres-listener.js';
import { prepareStore, readStore } from './postgres-open.js';
import type { ResolvedPostgresOptions } from './postgres-options.js';
import { PostgresOutboxLedger } from './postgres-outbox-ledger.js';
import { COMMIT_COLUMNS, decodeFollowing, type CommitRow } from './postgres-rows.js';
import { quoted } from './postgres-schema.js';
import { NOW_MS, type PostgresSession } from './postgres-session.js';

/**
 * The shared log of a PostgreSQL store (see {@link SharedLog}): a pool of connections for commits
 * and reads, and one listening connection. It feeds the store's {@link SeenHistory} with every
 * commit it replays, makes or reads, and owns the outbox ledger (which needs its connections).
 */
export class PostgresSharedLog implements SharedLog {
  readonly #options: ResolvedPostgresOptions;
  readonly #history: SeenHistory;
  readonly #listener: LogListener;
  /** The outbox ledger on this log's connections. */
  readonly outbox: PostgresOutboxLedger;
  #session: PostgresSession | undefined;
  #state: 'new' | 'opening' | 'open' | 'closed' = 'new';
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedPostgresOptions, history: SeenHistory) {
    this.#options = options;
    this.#history = history;
    this.#listener = new LogListener(options);
    this.outbox = new PostgresOutboxLedger((call) => this.#open(call));
  }

  async open(initial: object): Promise<StoreContents> {
    const options = this.#options;
    if (this.#state !== 'new') {
      throw storeError(
        'STORE_OPEN_FAILED',
        options,
        `The PostgreSQL store (${describeLocation(options.location)}) was opened already; a store object serves one engine, once. Make a new postgresStore() for another engine (engines share the state through the database).`,
      );
    }
    this.#state = 'opening';
    const pool = createPool(options);
    try {
      await prepareStore(pool, options, initial);
      // Listening before reading: a commit made after the read is notified.
      await this.#listener.start();
      const contents = await readStore(pool, options);
      if (this.#state !== 'opening') throw notOpen(options, 'shared.open()', 'closed');
      this.#session = { pool, options, schema: quoted(options.schema), nodeId: randomUUID() };
      this.#state = 'open';
      this.outbox.loaded(contents.outbox);
      this.#history.reached(contents.version);
      return { version: contents.version, state: contents.state, tail: this.#keep(contents.tail) };
    } catch (error) {
      this.#state = 'closed';
      await this.#listener.close();
      await pool.end().catch(() => undefined);
      throw openError(options, error);
    }
  }

  async commit(units: readonly CommitUnit[], known: number): Promise<SharedCommitResult> {
    const session = this.#open('shared.commit()');
    const options = this.#options;
    const group = encodeGroup(options, units, known);
    let answer: unknown;
    try {
      const { rows } = await session.pool.query<{ answer: unknown }>(
        `SELECT ${session.schema}.commit_group($1::jsonb, $2::bigint) AS answer`,
        [group.batch, known],
      );
      answer = rows[0]?.answer;
    } catch (error) {
      if ((error as { code?: unknown }).code === CORRUPT_LOG) {
        throw corrupt(options, `${reason(options, error)}; nothing of the group was stored`);
      }
      const which = units.length === 1 ? 'a commit' : `a group of ${units.length} commits`;
      throw writeFailed(
        options,
        `could not store ${which}: ${reason(options, error)}. Nothing of it was stored (the group is one transaction).`,
        { commits: units.length },
        error,
      );
    }
    const result = readGroupResult(options, answer, group, Math.max(0, known));
    for (const record of result.remote) this.#history.add(record);
    result.versions.forEach((version, i) => {
      this.#history.add(Object.freeze({ ...(units[i] as CommitUnit).record, version }));
    });
    return result;
  }

  async since(version: number, limit: number): Promise<readonly CommitRecord[]> {
    const session = this.#open('shared.since()');
    const options = this.#options;
    const after = Math.max(0, Math.trunc(version));
    if (!(limit >= 1)) return Object.freeze([]);
    let rows: readonly CommitRow[];
    try {
      ({ rows } = await session.pool.query<CommitRow>(
        `SELECT ${COMMIT_COLUMNS} FROM ${session.schema}.commits WHERE version > $1 ORDER BY version LIMIT $2`,
        [after, Math.trunc(limit)],
      ));
    } catch (error) {
      throw readFailed(options, `read the commits after version ${after}`, error);
    }
    const records = decodeFollowing(options, rows, after);
    for (const record of records) this.#history.add(record);
    return Object.freeze(records);
  }

  watch(listener: () => void): void {
    this.#listener.watch(listener);
  }

  async requestTurn(token: string, ms: number): Promise<void> {
    const session = this.#open('shared.requestTurn()');
    const lease = Math.max(1, Math.trunc(ms));
    try {
      // Expired leases (their runs gave up or died) are cleared on the way.
      await session.pool.query(
        `WITH expired AS (DELETE FROM ${session.schema}.turns WHERE until <= ${NOW_MS})
         INSERT INTO ${session.schema}.turns (token, until, pid) VALUES ($1, ${NOW_MS} + $2, $3)
         ON CONFLICT (token) DO UPDATE SET until = excluded.until, pid = excluded.pid`,
        [token, lease, this.#listener.pid ?? null],
      );
    } catch (error) {
      throw writeFailed(this.#options, `could not queue a run for the turn: ${reason(this.#options, error)}`, {}, error);
    }
  }

  async holdsTurn(token: string): Promise<boolean> {
    const session = this.#open('shared.holdsTurn()');
    try {
      const { rows } = await session.pool.query<{ token: string }>(
        `SELECT t.token FROM ${session.schema}.turns t WHERE ${LIVE_TURN} ORDER BY t.seq LIMIT 1`,
      );
      return rows[0]?.token === token;
    } catch (error) {
      throw readFailed(this.#options, 'read whose turn it is', error);
    }
  }

  async releaseTurn(token: string): Promise<void> {
    const session = this.#open('shared.releaseTurn()');
    try {
      // The runs queued behind it, on every node, look again.
      await session.pool.query(
        `WITH gone AS (DELETE FROM ${session.schema}.turns WHERE token = $1 RETURNING 1)
         SELECT pg_notify($2, 'turn') FROM gone`,
        [token, this.#options.schema],
      );
    } catch (error) {
      throw writeFailed(this.#options, `could not give the turn back: ${reason(this.#options, error)}`, {}, error);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state = 'closed';
    const session = this.#session;
    this.#session = undefined;
    await this.#listener.close();
    await session?.pool.end().catch(() => undefined);
  }

  /** The open session, or the "not open" error for `call`. */
  #open(call: string): PostgresSession {
    if (this.#session === undefined) throw notOpen(this.#options, call, this.#state === 'closed' ? 'closed' : 'new');
    return this.#session;
  }

  /** The log as the engine replays it, each record kept in the history as it passes. */
  *#keep(tail: Iterable<CommitRecord>): Generator<CommitRecord> {
    for (const record of tail) {
      this.#history.add(record);
      yield record;
    }
  }
}
