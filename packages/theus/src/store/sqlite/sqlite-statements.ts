import type Database from 'better-sqlite3';

/** A commit row as stored (JSON text columns undecoded). */
export interface CommitRow {
  readonly version: number;
  readonly process: unknown;
  readonly args: unknown;
  readonly patches: unknown;
  readonly time: unknown;
}

/** A snapshot row as stored. */
export interface SnapshotRow {
  readonly version: number;
  readonly kind: string;
  readonly state: unknown;
}

/** An outbox row as stored. */
export interface OutboxRow {
  readonly id: unknown;
  readonly version: unknown;
  readonly idx: unknown;
  readonly topic: unknown;
  readonly payload: unknown;
  readonly attempts: unknown;
  readonly status: unknown;
  readonly last_error: unknown;
  readonly next_attempt_at: unknown;
}

type Statement<TParams extends unknown[] = unknown[], TResult = unknown> = Database.Statement<TParams, TResult>;

const COMMIT_COLUMNS = 'version, process, args, patches, time';

/** Every statement the store runs, prepared once when it opens (history queries are prepared per shape, on first use). */
export interface Statements {
  readonly insertCommit: Statement<[number, string, string | null, string, string, number]>;
  readonly insertOutbox: Statement<[string, number, number, string, string, number]>;
  readonly insertSnapshot: Statement<[number, 'seed' | 'periodic', string]>;
  /** Keeps the newest two periodic snapshots (and the seed). */
  readonly pruneSnapshots: Statement<[]>;
  readonly seeds: Statement<[], SnapshotRow>;
  readonly newestSnapshot: Statement<[], SnapshotRow>;
  readonly snapshotAtOrBefore: Statement<[number], SnapshotRow>;
  readonly hasCommit: Statement<[number], number>;
  readonly commitBounds: Statement<[], { first: number | null; last: number | null }>;
  readonly commitsBetween: Statement<[number, number], CommitRow>;
  readonly commitsAfter: Statement<[number], CommitRow>;
  readonly isEmpty: Statement<[], number>;
  readonly undelivered: Statement<[], OutboxRow>;
  readonly delivered: Statement<[string]>;
  readonly failed: Statement<[number, 'pending' | 'dead', string, number, string]>;
  readonly revive: Statement<[string]>;
}

/** Prepares the store's statements on an open connection. */
export function prepareStatements(db: Database.Database): Statements {
  return {
    insertCommit: db.prepare('INSERT INTO commits (version, process, args, patches, signals, time) VALUES (?, ?, ?, ?, ?, ?)'),
    insertOutbox: db.prepare(
      "INSERT INTO outbox (id, version, idx, topic, payload, attempts, status, last_error, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, 0)",
    ),
    insertSnapshot: db.prepare('INSERT INTO snapshots (version, kind, state) VALUES (?, ?, ?)'),
    pruneSnapshots: db.prepare(
      "DELETE FROM snapshots WHERE kind = 'periodic' AND version NOT IN (SELECT version FROM snapshots WHERE kind = 'periodic' ORDER BY version DESC LIMIT 2)",
    ),
    seeds: db.prepare("SELECT version, kind, state FROM snapshots WHERE kind = 'seed'"),
    newestSnapshot: db.prepare('SELECT version, kind, state FROM snapshots ORDER BY version DESC LIMIT 1'),
    snapshotAtOrBefore: db.prepare('SELECT version, kind, state FROM snapshots WHERE version <= ? ORDER BY version DESC LIMIT 1'),
    hasCommit: db.prepare<[number], number>('SELECT 1 FROM commits WHERE version = ?').pluck(),
    commitBounds: db.prepare('SELECT MIN(version) AS first, MAX(version) AS last FROM commits'),
    commitsBetween: db.prepare(`SELECT ${COMMIT_COLUMNS} FROM commits WHERE version > ? AND version <= ? ORDER BY version`),
    commitsAfter: db.prepare(`SELECT ${COMMIT_COLUMNS} FROM commits WHERE version > ? ORDER BY version`),
    isEmpty: db
      .prepare<[], number>(
        'SELECT NOT (EXISTS (SELECT 1 FROM commits) OR EXISTS (SELECT 1 FROM snapshots) OR EXISTS (SELECT 1 FROM outbox))',
      )
      .pluck(),
    undelivered: db.prepare(
      'SELECT id, version, idx, topic, payload, attempts, status, last_error, next_attempt_at FROM outbox ORDER BY version, idx',
    ),
    delivered: db.prepare('DELETE FROM outbox WHERE id = ?'),
    failed: db.prepare('UPDATE outbox SET attempts = ?, status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?'),
    revive: db.prepare("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0 WHERE id = ? AND status = 'dead'"),
  };
}

/** The statement of one history query shape: which of from, to, process and limit it has. */
export function historySql(from: boolean, to: boolean, process: boolean, limit: boolean): string {
  const where = [from ? 'version >= @from' : '', to ? 'version <= @to' : '', process ? 'process = @process' : ''].filter(
    (part) => part !== '',
  );
  const selection = `SELECT ${COMMIT_COLUMNS} FROM commits${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}`;
  // The newest `limit` of the selection, listed oldest first.
  return limit ? `SELECT * FROM (${selection} ORDER BY version DESC LIMIT @limit) ORDER BY version` : `${selection} ORDER BY version`;
}
