/**
 * Rows of the PostgreSQL store as values: every column read is untrusted (anything may have
 * written the tables) and checked, and JSON text is decoded with the SQLite store's codec, so only
 * values a commit could have made come out. `bigint` columns arrive as decimal strings (the
 * driver's default), `jsonb` numbers as numbers: both are read as safe integers.
 *
 * @packageDocumentation
 */
import type { StoreError } from '../../errors/index.js';
import { DecodeProblem, decodeJson, decodePatches, decodeValue, outboxEntryOf } from '../sqlite/sqlite-codec.js';
import type { CommitRecord, OutboxEntry } from '../store.js';
import { corrupt, type ErrorTarget } from './postgres-errors.js';

/** A commit row as read (from `commits`, or as a `[version, process, args, patches, time]` array of `commit_group`). */
export interface CommitRow {
  readonly version: unknown;
  readonly process: unknown;
  readonly args: unknown;
  readonly patches: unknown;
  readonly time: unknown;
}

/** An outbox row as read. */
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

/** The columns of {@link CommitRow}, for `SELECT`. */
export const COMMIT_COLUMNS = 'version, process, args, patches, time';

/** The columns of {@link OutboxRow}, for `SELECT`. */
export const OUTBOX_COLUMNS = 'id, version, idx, topic, payload, attempts, status, last_error, next_attempt_at';

/** A safe integer from a number or a decimal string; `undefined` for anything else. */
export function integerOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

/** Runs a decoder, turning its problems into `STORE_CORRUPT` naming the store. */
export function guard<T>(target: ErrorTarget, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof DecodeProblem) throw corrupt(target, error.what);
    throw error;
  }
}

/**
 * A commit row as a deeply frozen record, in the key order the committer makes: arguments and
 * patch values checked against the value model (arguments handed out as plain data).
 *
 * @throws DecodeProblem naming the version and what is wrong.
 */
export function decodeCommit(row: CommitRow): CommitRecord {
  const version = integerOf(row.version);
  if (version === undefined) throw new DecodeProblem(`a commit has no valid version (${typeof row.version})`);
  const what = `the commit of version ${version}`;
  const { process } = row;
  if (typeof process !== 'string') throw new DecodeProblem(`${what} has no process name`);
  const time = integerOf(row.time);
  if (time === undefined) throw new DecodeProblem(`${what} has no time`);
  const args = row.args === null ? undefined : decodeValue(row.args, `the arguments of ${what}`);
  const patches = decodePatches(row.patches, `the patches of ${what}`);
  return Object.freeze({ version, process, args, patches, time });
}

/**
 * Decodes commit rows that must follow `after` without a gap (`after + 1`, `after + 2`, ...).
 *
 * @throws StoreError `STORE_CORRUPT` for a row that does not decode or a missing version.
 */
export function decodeFollowing(target: ErrorTarget, rows: readonly CommitRow[], after: number): CommitRecord[] {
  return rows.map((row, i) => {
    const record = guard(target, () => decodeCommit(row));
    if (record.version !== after + 1 + i) throw gap(target, after + 1 + i, record.version);
    return record;
  });
}

/** The error of a version missing from the log. */
export function gap(target: ErrorTarget, expected: number, found: number | undefined): StoreError {
  return corrupt(
    target,
    `a gap in the version sequence: version ${expected} is missing${found === undefined ? '' : ` (the next stored is ${found})`}`,
  );
}

/** The seed's state: a parsed JSON object (the engine seals it). */
export function decodeSeed(text: unknown): object {
  const state = decodeJson(text, 'the seed (the initial state)');
  if (typeof state !== 'object' || state === null || Array.isArray(state))
    throw new DecodeProblem('the seed (the initial state) is not an object');
  return state;
}

const STATUSES = new Set(['pending', 'dead']);

/**
 * An outbox row as a frozen entry, fields in the order of {@link OutboxEntry}. It must belong to a
 * commit of the log (versions 1 to `head`) under the id the store gives it (`v<version>.<idx>`),
 * its payload in the value model (handed out as deeply frozen plain data).
 *
 * @throws DecodeProblem naming the message and what is wrong.
 */
export function decodeOutboxEntry(row: OutboxRow, head: number): OutboxEntry {
  const { id, topic, status, last_error: lastError } = row;
  const version = integerOf(row.version);
  const idx = integerOf(row.idx);
  const attempts = integerOf(row.attempts);
  const nextAttemptAt = integerOf(row.next_attempt_at);
  if (
    typeof id !== 'string' ||
    version === undefined ||
    idx === undefined ||
    typeof topic !== 'string' ||
    attempts === undefined ||
    typeof status !== 'string' ||
    !STATUSES.has(status) ||
    (lastError !== null && typeof lastError !== 'string') ||
    nextAttemptAt === undefined
  ) {
    throw new DecodeProblem(`the outbox message '${String(id)}' has a column of the wrong type`);
  }
  return outboxEntryOf({ id, version, idx, topic, attempts, status, lastError, nextAttemptAt, payload: row.payload }, 1, head);
}
