import type Database from 'better-sqlite3';
import type { HistoryQuery } from '../../engine/history-query.js';
import { StoreError } from '../../errors/index.js';
import type { CommitRecord, CommitUnit, Replay, Store, StoreContents } from '../store.js';
import { openConnection } from './sqlite-connection.js';
import { corrupt, notOpen, openError, reason, sqliteCode, storeError } from './sqlite-errors.js';
import { readSqliteOptions, type SqliteStoreOptions } from './sqlite-options.js';
import { SqliteOutboxLedger } from './sqlite-outbox-ledger.js';
import { readContents, readHistory, readStateAt } from './sqlite-reader.js';
import { createSession, type SqliteSession } from './sqlite-session.js';
import { prepareUnit, writeSeed, writeUnits, type PreparedUnits } from './sqlite-writer.js';

/** The connection of each open SQLite store, for tests that need to reach SQLite itself. */
const connections = new WeakMap<Store, () => Database.Database | undefined>();

/**
 * A store that keeps the commit log, snapshots and outbox of an engine in a SQLite file (see
 * `theus/store/sqlite` for the public documentation).
 */
export function sqliteStore(options: SqliteStoreOptions): Store {
  const resolved = readSqliteOptions(options);
  const { path } = resolved;
  let session: SqliteSession | undefined;
  let state: 'new' | 'open' | 'closed' = 'new';
  /** Units encoded by `prepare`, for their append. */
  const prepared: PreparedUnits = new WeakMap();

  const open = (call: string): SqliteSession => {
    if (session === undefined) throw notOpen(path, call, state === 'closed' ? 'closed' : 'new');
    return session;
  };
  /** Runs a read, turning SQLite's errors (a page that cannot be read) into store errors. */
  const read = <T>(call: string, run: (session: SqliteSession) => T): T => {
    const current = open(call);
    try {
      return run(current);
    } catch (error) {
      if (error instanceof StoreError || sqliteCode(error) === undefined) throw error;
      throw corrupt(path, `${call} could not read it (${reason(error)})`, error);
    }
  };

  const store: Store = {
    kind: 'sqlite',
    groupCommits: true,
    open(): StoreContents | undefined {
      if (state !== 'new') {
        throw storeError(
          'STORE_OPEN_FAILED',
          path,
          `The SQLite store '${path}' was opened already; a store serves one engine, once. Make a new sqliteStore() for another engine.`,
        );
      }
      const db = openConnection(resolved);
      try {
        let opened: SqliteSession;
        try {
          opened = createSession(db, resolved);
        } catch (error) {
          // The tables exist (identify checked) but SQLite cannot prepare statements on them: altered by hand.
          throw corrupt(path, `its tables do not have the expected columns (${reason(error)})`, error);
        }
        const contents = readContents(opened);
        session = opened;
        state = 'open';
        return contents;
      } catch (error) {
        db.close();
        throw openError(path, error);
      }
    },
    seed(initial: object, version: number): void {
      writeSeed(open('seed()'), initial, version);
    },
    prepare(unit: CommitUnit): void {
      prepareUnit(open('prepare()'), prepared, unit);
    },
    append(units: readonly CommitUnit[]): void {
      writeUnits(open('append()'), units, prepared);
    },
    history: (query: HistoryQuery): readonly CommitRecord[] => read('history()', (current) => readHistory(current, query)),
    // -1 before the seed, as the memory store answers.
    oldestVersion: (): number => open('oldestVersion()').seedVersion ?? -1,
    stateAt: (version: number, replay: Replay): object | undefined => read('stateAt()', (current) => readStateAt(current, version, replay)),
    outbox: new SqliteOutboxLedger((call) => open(call)),
    close(): void {
      if (state === 'closed') return;
      state = 'closed';
      const closing = session;
      session = undefined;
      closing?.db.close();
    },
  };
  connections.set(store, () => session?.db);
  return store;
}

/**
 * The better-sqlite3 connection of an open SQLite store (`undefined` when it is not open or not a
 * SQLite store). For tests that make SQLite itself fail (`PRAGMA max_page_count`); not part of
 * the public entry.
 *
 * @internal
 */
export function connectionOf(store: Store): Database.Database | undefined {
  return connections.get(store)?.();
}
