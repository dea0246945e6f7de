/**
 * The layout of a Theus SQLite file, how a file is recognised, and how an older format is
 * migrated forward.
 *
 * A Theus file has `PRAGMA application_id` = {@link THEUS_APPLICATION_ID} and `PRAGMA
 * user_version` = its format version (both in the file header, written in the transaction that
 * creates the tables), and these tables (values are JSON text, see `sqlite-codec.ts`):
 *
 * - `commits (version INTEGER PRIMARY KEY, process TEXT, args TEXT NULL, patches TEXT, signals TEXT, time INTEGER)`:
 *   the commit log, one row per version, never pruned; `args` is NULL for none. Indexed by
 *   `(process, version)` for `engine.history({ process })`.
 * - `snapshots (version INTEGER PRIMARY KEY, kind TEXT 'seed' | 'periodic', state TEXT)`: the
 *   seed (the initial state) and the newest two periodic snapshots (every `snapshotEvery`
 *   versions).
 * - `outbox (id TEXT PRIMARY KEY, version, idx, topic, payload TEXT, attempts, status 'pending' | 'dead', last_error TEXT NULL, next_attempt_at)`:
 *   undelivered messages; a delivered one is deleted. Indexed by `(version, idx)`, the delivery
 *   order.
 * - `migrations (format INTEGER PRIMARY KEY, applied_at INTEGER)`: each format version the file
 *   was created with or migrated to, and when.
 *
 * @packageDocumentation
 */
import type Database from 'better-sqlite3';
import { corrupt, storeError } from './sqlite-errors.js';

/** `PRAGMA application_id` of a Theus file: the bytes `Theu`. */
export const THEUS_APPLICATION_ID = 0x54_68_65_75;

/** The format version this build writes and reads (`PRAGMA user_version`). */
export const FORMAT_VERSION = 1;

const TABLES = ['commits', 'snapshots', 'outbox', 'migrations'] as const;

const SCHEMA = `
CREATE TABLE commits (
  version INTEGER PRIMARY KEY,
  process TEXT NOT NULL,
  args TEXT,
  patches TEXT NOT NULL,
  signals TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX commits_by_process ON commits (process, version);
CREATE TABLE snapshots (
  version INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('seed', 'periodic')),
  state TEXT NOT NULL
);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'dead')),
  last_error TEXT,
  next_attempt_at INTEGER NOT NULL
);
CREATE INDEX outbox_in_order ON outbox (version, idx);
CREATE TABLE migrations (
  format INTEGER PRIMARY KEY,
  applied_at INTEGER NOT NULL
);
`;

/**
 * The steps that bring a file of format `from` to format `from + 1`, each run inside the one
 * transaction that migrates the file (and sets `user_version`). Empty while format 1 is the only
 * one: a format 2 adds `[1, (db) => { ... }]` here and raises {@link FORMAT_VERSION}.
 */
const MIGRATIONS: ReadonlyMap<number, (db: Database.Database) => void> = new Map();

/** What a file holds before anything is written to it. */
type Identity = { readonly kind: 'empty' } | { readonly kind: 'theus'; readonly format: number };

/**
 * Recognises the file (the first read of the connection) and makes it ready to use: creates the
 * tables in an empty file, migrates an older format forward, and checks that the tables exist.
 *
 * @throws StoreError `STORE_NOT_THEUS`, `STORE_FORMAT_NEWER` or `STORE_CORRUPT`, naming `path`.
 */
export function identify(db: Database.Database, path: string): Identity {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const format = db.pragma('user_version', { simple: true }) as number;
  const names = (
    db.prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[]
  ).sort();
  if (applicationId === 0 && format === 0 && names.length === 0) return { kind: 'empty' };
  if (applicationId !== THEUS_APPLICATION_ID) {
    const holds = names.length === 0 ? 'no tables' : `the tables ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`;
    throw storeError(
      'STORE_NOT_THEUS',
      path,
      `The file '${path}' is a SQLite database, but not a Theus store (application_id ${applicationId}, ${holds}). Give the engine a new file (it creates the tables), or the file an engine created.`,
      { applicationId, tables: names },
    );
  }
  if (format > FORMAT_VERSION) {
    throw storeError(
      'STORE_FORMAT_NEWER',
      path,
      `The Theus store '${path}' has format ${format}, written by a newer version of theus; this build reads formats up to ${FORMAT_VERSION}. Upgrade theus to open it.`,
      { format, supported: FORMAT_VERSION },
    );
  }
  if (format < 1) throw corrupt(path, `its header names no format version (user_version ${format})`);
  if (format === FORMAT_VERSION) {
    const missing = TABLES.filter((table) => !names.includes(table));
    if (missing.length > 0) throw corrupt(path, `the table(s) ${missing.join(', ')} are missing`);
  }
  return { kind: 'theus', format };
}

/** Creates the tables of an empty file and marks it as a Theus file of the current format, in one transaction. */
export function createSchema(db: Database.Database): void {
  db.transaction(() => {
    db.exec(SCHEMA);
    db.pragma(`application_id = ${THEUS_APPLICATION_ID}`);
    db.pragma(`user_version = ${FORMAT_VERSION}`);
    db.prepare('INSERT INTO migrations (format, applied_at) VALUES (?, ?)').run(FORMAT_VERSION, Date.now());
  })();
}

/**
 * Brings a file of an older format to {@link FORMAT_VERSION}, all steps in one transaction.
 *
 * @throws StoreError `STORE_CORRUPT` when no step migrates from one of its versions.
 */
export function migrate(db: Database.Database, path: string, from: number): void {
  if (from === FORMAT_VERSION) return;
  db.transaction(() => {
    for (let format = from; format < FORMAT_VERSION; format++) {
      const step = MIGRATIONS.get(format);
      if (step === undefined) throw corrupt(path, `its format ${format} is not one this build can migrate`);
      step(db);
      db.pragma(`user_version = ${format + 1}`);
      db.prepare('INSERT INTO migrations (format, applied_at) VALUES (?, ?)').run(format + 1, Date.now());
    }
  })();
}
