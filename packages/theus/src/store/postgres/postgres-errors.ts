import { StoreError, type TheusErrorCode } from '../../errors/index.js';
import type { PostgresLocation, ResolvedPostgresOptions } from './postgres-options.js';

/**
 * The errors of the PostgreSQL store. Every one names the database by host, port, database and
 * schema (`details`), never by its URL: the password is in no message, detail or cause. A
 * driver or server error is the `cause` only as a copy of its message with the password removed
 * (its SQLSTATE or system error code in `details.pg`).
 */

/** What errors need to know of a store: where it is, and what to keep out of messages. */
export type ErrorTarget = Pick<ResolvedPostgresOptions, 'location' | 'secrets'>;

/** `schema 'theus' of database 'app' on db.local:5432`, for messages. */
export function describeLocation(location: PostgresLocation): string {
  return `schema '${location.schema}' of database '${location.database}' on ${location.host}:${location.port}`;
}

/** A driver or server error's code: a SQLSTATE (`57P01`) or a system error code (`ECONNREFUSED`). */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What went wrong in the driver's words, without the password. */
export function reason(target: ErrorTarget, error: unknown): string {
  // Node reports a refused connection to every address of a name as an AggregateError with no message.
  const text =
    error instanceof AggregateError && error.message === ''
      ? error.errors.map((inner) => (inner instanceof Error ? inner.message : String(inner))).join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  return redact(target, text);
}

function redact(target: ErrorTarget, text: string): string {
  let out = text;
  for (const secret of target.secrets) out = out.split(secret).join('***');
  return out;
}

/** A store error about the store at `target`; `cause` is copied without the password. */
export function storeError(
  code: TheusErrorCode,
  target: ErrorTarget,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
  cause?: unknown,
): StoreError {
  const pg = cause === undefined || cause instanceof StoreError ? undefined : pgCode(cause);
  const { host, port, database, schema } = target.location;
  return new StoreError(code, message, {
    details: { host, port, database, schema, ...details, ...(pg === undefined ? {} : { pg }) },
    ...(cause === undefined ? {} : { cause: cause instanceof StoreError ? cause : new Error(reason(target, cause)) }),
  });
}

/** Advice for the driver errors that commonly stop a connection. */
function advice(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'Check that PostgreSQL runs and accepts TCP connections at that host and port.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'Check the host name of the URL.';
    case '28P01':
    case '28000':
      return 'Check the user and password of the URL, and pg_hba.conf.';
    case '3D000':
      return 'Create the database first (CREATE DATABASE), or give the URL of an existing one.';
    case '42501':
      return 'Grant the user CREATE on the database (to create the schema) or on the schema, or create the schema and its tables as its owner first.';
    default:
      return 'Check the URL, that the server is reachable, and the cause.';
  }
}

/**
 * Turns an error thrown while opening the store into the store error that explains it (store
 * errors pass through): `STORE_OPEN_FAILED` naming host, port and database.
 */
export function openError(target: ErrorTarget, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = pgCode(error);
  return storeError(
    'STORE_OPEN_FAILED',
    target,
    `The PostgreSQL store (${describeLocation(target.location)}) could not be opened: ${reason(target, error)}. ${advice(code)}`,
    {},
    error,
  );
}

/**
 * The server could not be reached, or refused, while reading the log after the store opened:
 * `STORE_OPEN_FAILED` (the store stays open; the next read tries again).
 */
export function readFailed(target: ErrorTarget, what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return storeError(
    'STORE_OPEN_FAILED',
    target,
    `The PostgreSQL store (${describeLocation(target.location)}) could not ${what}: ${reason(target, error)}. ${advice(pgCode(error))}`,
    { read: what },
    error,
  );
}

/** A write failed: `what` says which, in a sentence that follows the store's name. */
export function writeFailed(target: ErrorTarget, what: string, details: Readonly<Record<string, unknown>>, cause?: unknown): StoreError {
  return storeError('STORE_WRITE_FAILED', target, `The PostgreSQL store (${describeLocation(target.location)}) ${what}`, details, cause);
}

/** The database holds something this store cannot read: `what` says what, in a phrase. */
export function corrupt(target: ErrorTarget, what: string): StoreError {
  return storeError(
    'STORE_CORRUPT',
    target,
    `The PostgreSQL store (${describeLocation(target.location)}) is corrupt: ${what}. Nothing was substituted for it: restore the schema from a backup.`,
  );
}

/** A call on a store that is not open (before `shared.open()`, or after `shared.close()`). */
export function notOpen(target: ErrorTarget, call: string, state: 'new' | 'closed'): StoreError {
  const why =
    state === 'closed'
      ? 'is closed (engine.close() closed it); open a new engine to read or write it'
      : 'is not open yet; the engine opens it (await engine.ready) before any other call';
  return storeError(
    'STORE_WRITE_FAILED',
    target,
    `The PostgreSQL store (${describeLocation(target.location)}) ${why}: ${call} was refused.`,
    {
      closed: state === 'closed',
      call,
    },
  );
}
