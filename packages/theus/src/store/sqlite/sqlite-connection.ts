import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openError, storeError } from './sqlite-errors.js';
import type { ResolvedSqliteOptions } from './sqlite-options.js';
import { createSchema, identify, migrate } from './sqlite-schema.js';

/**
 * Opens the file of a store: checks the path, opens it exclusively in WAL mode, recognises it,
 * and creates or migrates its tables.
 *
 * The connection uses `locking_mode = EXCLUSIVE`: the first read takes a lock on the file that is
 * kept until `close()`, so a second engine (in this process or another) opening the same file
 * fails at once with SQLITE_BUSY, reported as "in use" (the busy timeout is 0: the lock never
 * frees while the first engine runs, so waiting would not help). In WAL mode with an exclusive
 * lock SQLite keeps the WAL index in memory, so no `-shm` file is made; closing checkpoints the
 * WAL into the file and removes it.
 *
 * @throws StoreError `STORE_OPEN_FAILED`, `STORE_NOT_THEUS`, `STORE_FORMAT_NEWER` or
 *   `STORE_CORRUPT`, naming the path; the connection is closed again.
 */
export function openConnection(options: ResolvedSqliteOptions): Database.Database {
  const { path } = options;
  if (path !== ':memory:') checkAccess(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    const identity = identify(db, path);
    // Only now that the file is known to be ours (or empty) does anything write to it.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    if (identity.kind === 'empty') createSchema(db);
    else migrate(db, path, identity.format);
    return db;
  } catch (error) {
    db?.close();
    throw openError(path, error);
  }
}

/** Clear errors for the common reasons a file cannot be opened, before SQLite gives its terse one. */
function checkAccess(path: string): void {
  const directory = dirname(resolve(path));
  const fail = (what: string, fix: string, cause: unknown): never => {
    throw storeError('STORE_OPEN_FAILED', path, `The SQLite store '${path}' could not be opened: ${what}. ${fix}`, { directory }, cause);
  };
  let isFile: boolean | undefined;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT')
      fail(`the file cannot be read (${describeFsError(error)})`, 'Check its permissions.', error);
  }
  if (isFile === false) fail('the path is not a file (a directory?)', 'Give the path of a database file.', undefined);
  try {
    if (!statSync(directory).isDirectory()) fail(`'${directory}' is not a directory`, 'Give a path inside a directory.', undefined);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT')
      fail(`its directory '${directory}' does not exist`, 'Create the directory first.', error);
    throw error;
  }
  try {
    // The directory must be writable too: SQLite creates the file and its -wal journal beside it.
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    fail(
      `its directory '${directory}' is not writable (${describeFsError(error)})`,
      'Make it writable by this process, or use another directory.',
      error,
    );
  }
  if (isFile === true) {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (error) {
      fail(
        `the file is not readable and writable (${describeFsError(error)})`,
        'Make it readable and writable by this process (an engine writes its commits there).',
        error,
      );
    }
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}
