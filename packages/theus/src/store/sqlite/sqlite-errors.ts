import { StoreError } from '../../errors/index.js';
import type { TheusErrorCode } from '../../errors/index.js';

/**
 * The errors of the SQLite store. Every one names the file (`details.path`) and says what to do;
 * the SQLite error, when there is one, is the `cause` (its code in `details.sqlite`).
 */

/** The SQLite result code of an error thrown by better-sqlite3 (`SQLITE_BUSY`, ...), if it is one. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** A store error about the file at `path`. */
export function storeError(
  code: TheusErrorCode,
  path: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
  cause?: unknown,
): StoreError {
  const sqlite = sqliteCode(cause);
  return new StoreError(code, message, {
    details: { path, ...details, ...(sqlite === undefined ? {} : { sqlite }) },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** What went wrong in SQLite's words, for a message. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns an error thrown while opening `path` into the store error that explains it: the file in
 * use elsewhere, unreadable bytes, or a file that cannot be opened. Store errors pass through.
 */
export function openError(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return storeError(
      'STORE_OPEN_FAILED',
      path,
      `The SQLite store '${path}' is in use: another engine or process has it open (an engine holds its file exclusively). Close the other engine first, or give this one another file.`,
      { inUse: true },
      error,
    );
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT'))
    return corrupt(path, `SQLite cannot read it (${reason(error)})`, error);
  return storeError(
    'STORE_OPEN_FAILED',
    path,
    `The SQLite store '${path}' could not be opened: ${reason(error)}. Check that its directory exists and that the file and directory are readable and writable by this process.`,
    {},
    error,
  );
}

/** The file holds something this store cannot read: `what` says what, in a phrase. */
export function corrupt(path: string, what: string, cause?: unknown): StoreError {
  return storeError(
    'STORE_CORRUPT',
    path,
    `The SQLite store '${path}' is corrupt: ${what}. Nothing was substituted for it: restore the file from a backup (or move it away to start empty).`,
    {},
    cause,
  );
}

/** A write failed; `version` is the first version it would have stored, when it stores commits. */
export function writeFailed(path: string, what: string, details: Readonly<Record<string, unknown>>, cause?: unknown): StoreError {
  return storeError('STORE_WRITE_FAILED', path, `The SQLite store '${path}' ${what}`, details, cause);
}

/** A call on a store that is not open (before `open()`, or after `close()`). */
export function notOpen(path: string, call: string, state: 'new' | 'closed'): StoreError {
  const why =
    state === 'closed'
      ? 'is closed (engine.close() closed it); open a new engine on the file to read or write it'
      : 'is not open yet; the engine opens it (await engine.ready) before any other call';
  return storeError('STORE_WRITE_FAILED', path, `The SQLite store '${path}' ${why}: ${call} was refused.`, {
    closed: state === 'closed',
    call,
  });
}
