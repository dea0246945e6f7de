/**
 * `theus/store/sqlite`: a durable store for an engine, in one SQLite file (through the optional
 * peer dependency `better-sqlite3`).
 *
 * @packageDocumentation
 */
import type { Store } from '../store.js';
import type { SqliteStoreOptions } from './sqlite-options.js';
import { sqliteStore as createSqliteStore } from './sqlite-store.js';

export type { SqliteStoreOptions } from './sqlite-options.js';

/**
 * A store that keeps an engine's commits durably in a SQLite file: every commit (its patches,
 * arguments, signals and outbox messages) is written in one transaction, and a run resolves only
 * once its commit is on disk. Reopening the file restores the state: the newest snapshot (one
 * every `snapshotEvery` versions) and the commits after it, replayed. The whole log is kept, so
 * `engine.history()` and `engine.stateAt()` reach back to the initial state (`stateAt` replays
 * from the nearest snapshot at or before the version: the seed, or one of the two newest
 * periodic snapshots).
 *
 * The engine holds the file exclusively while it is open: a second engine (in this process or
 * another) opening it fails with `STORE_OPEN_FAILED`. Values are stored as JSON: `-0` comes back
 * as `0`; HEAVY binaries (`ArrayBuffer`, typed arrays) are not persisted yet (a commit holding
 * one fails with `STORE_WRITE_FAILED` when it is made, alone: nothing of it is stored, and the
 * commits made with it are). What the file holds is checked as it is read: a value outside the
 * value model, or a patch no commit could make, is `STORE_CORRUPT`.
 *
 * Creating the store does no I/O; the engine opens the file (`await engine.ready`), which rejects
 * with a `StoreError` naming the path when the file cannot be opened (`STORE_OPEN_FAILED`), is
 * not a Theus store (`STORE_NOT_THEUS`), was written by a newer theus (`STORE_FORMAT_NEWER`) or
 * is damaged (`STORE_CORRUPT`). A failed write (disk full, I/O error) fails the runs of the
 * commits it held with `STORE_WRITE_FAILED`, leaving nothing of them stored or visible.
 *
 * @throws TheusError `ENGINE_INVALID_OPTION` naming a bad or unknown option.
 * @example
 * ```ts
 * import { Engine } from 'theus';
 * import { sqliteStore } from 'theus/store/sqlite';
 *
 * const engine = new Engine({ context, store: sqliteStore({ path: './state.db' }) });
 * await engine.ready; // restores the state the file holds, or seeds it with `context`
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions): Store {
  return createSqliteStore(options);
}
