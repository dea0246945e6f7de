import type { HistoryQuery } from '../../engine/history-query.js';
import { StoreError } from '../../errors/index.js';
import type { CommitRecord, Replay, StoreContents } from '../store.js';
import { decodeJson, DecodeProblem, decodePatches, decodeValue, deepFreeze } from './sqlite-codec.js';
import { corrupt, reason } from './sqlite-errors.js';
import type { SqliteSession } from './sqlite-session.js';
import { historySql, type CommitRow, type SnapshotRow } from './sqlite-statements.js';

/**
 * Reads what an opened file holds: the newest snapshot and the commits after it (checked to
 * follow it without a gap), and notes the seed and newest versions in the session. `undefined`
 * only when the file holds nothing at all.
 *
 * @throws StoreError `STORE_CORRUPT` when something stored cannot be read or does not fit together.
 */
export function readContents(session: SqliteSession): StoreContents | undefined {
  const { statements, path } = session;
  const seeds = statements.seeds.all();
  if (seeds.length === 0) {
    if (statements.isEmpty.get() === 1) return undefined;
    throw corrupt(path, 'it holds commits, snapshots or outbox messages but no seed (initial state)');
  }
  if (seeds.length > 1) throw corrupt(path, `it holds ${seeds.length} seeds (initial states); a store has one`);
  const seed = (seeds[0] as SnapshotRow).version;
  const { first, last } = statements.commitBounds.get() ?? { first: null, last: null };
  if (first !== null && first !== seed + 1) throw corrupt(path, `its log starts at version ${first}, but its seed is version ${seed}`);
  const snapshot = statements.newestSnapshot.get() as SnapshotRow;
  if (snapshot.kind !== 'seed' && statements.hasCommit.get(snapshot.version) === undefined) {
    throw corrupt(path, `it holds a snapshot of version ${snapshot.version} but no commit of that version`);
  }
  const state = decodeState(session, snapshot);
  const tail = decodeCommits(session, () => statements.commitsAfter.iterate(snapshot.version), snapshot.version, last ?? snapshot.version);
  session.seedVersion = seed;
  session.lastVersion = last ?? seed;
  return { version: snapshot.version, state, tail };
}

/** The commits `query` selects, oldest first, decoded and deeply frozen. */
export function readHistory(session: SqliteSession, query: HistoryQuery): readonly CommitRecord[] {
  const { from, to, process, limit } = query;
  const shape = `${Number(from !== undefined)}${Number(to !== undefined)}${Number(process !== undefined)}${Number(limit !== undefined)}`;
  let statement = session.historyStatements.get(shape);
  if (statement === undefined) {
    statement = session.db.prepare(historySql(from !== undefined, to !== undefined, process !== undefined, limit !== undefined));
    session.historyStatements.set(shape, statement);
  }
  const parameters = {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(process === undefined ? {} : { process }),
    ...(limit === undefined ? {} : { limit }),
  };
  const rows = statement.all(parameters) as CommitRow[];
  return guard(session, () => rows.map((row) => decodeCommit(row, true)));
}

/**
 * The state at `version`: the newest snapshot at or before it, with the commits after it replayed
 * by `replay`; `undefined` outside the versions the store holds (the seed to the newest).
 */
export function readStateAt(session: SqliteSession, version: number, replay: Replay): object | undefined {
  const { seedVersion, lastVersion, statements, path } = session;
  if (seedVersion === undefined || lastVersion === undefined) return undefined;
  if (!Number.isSafeInteger(version) || version < seedVersion || version > lastVersion) return undefined;
  const snapshot = statements.snapshotAtOrBefore.get(version);
  if (snapshot === undefined) throw corrupt(path, `it holds no snapshot at or before version ${version} (not even the seed)`);
  const state = decodeState(session, snapshot);
  const records = decodeCommits(session, () => statements.commitsBetween.iterate(snapshot.version, version), snapshot.version, version);
  try {
    return replay(state, records);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw corrupt(
      path,
      `replaying versions ${snapshot.version + 1} to ${version} onto the snapshot of version ${snapshot.version} failed: ${reason(error)}`,
      error,
    );
  }
}

/**
 * Decodes the commits after `base` up to `last` as they are read (one row in memory at a time),
 * checking that every version in between is there. Iterate it to the end (or stop it): until
 * then its statement keeps the connection busy.
 */
function* decodeCommits(session: SqliteSession, rows: () => Iterator<CommitRow>, base: number, last: number): Generator<CommitRecord> {
  let reached = base;
  // Started on the first read: an open statement keeps the connection busy until it is done.
  const iterator = rows();
  try {
    for (;;) {
      const next = readRow(session, iterator);
      if (next === undefined) break;
      const record = guard(session, () => decodeCommit(next, false));
      if (record.version !== reached + 1) throw gap(session, reached + 1, record.version);
      reached = record.version;
      yield record;
    }
  } finally {
    iterator.return?.();
  }
  if (reached !== last) throw gap(session, reached + 1, undefined);
}

/** The next row, with SQLite's read errors (a damaged page) as `STORE_CORRUPT`. */
function readRow(session: SqliteSession, rows: Iterator<CommitRow>): CommitRow | undefined {
  let next: IteratorResult<CommitRow>;
  try {
    next = rows.next();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw corrupt(session.path, `reading its log failed (${reason(error)})`, error);
  }
  return next.done === true ? undefined : next.value;
}

function gap(session: SqliteSession, expected: number, found: number | undefined): StoreError {
  return corrupt(
    session.path,
    `a gap in the version sequence: version ${expected} is missing${found === undefined ? '' : ` (the next stored is ${found})`}`,
  );
}

/**
 * A commit row as a deeply frozen record, in the key order the committer makes, its patch values
 * sealed (checked against the value model). The arguments are checked against the value model
 * and handed out as plain data when `checkArgs` (`history()`: they reach the caller); a replay,
 * which never reads them, only parses them within the depth the value model allows (a commit
 * with odd arguments still restores its state).
 */
function decodeCommit(row: CommitRow, checkArgs: boolean): CommitRecord {
  const what = `the commit of version ${row.version}`;
  if (typeof row.process !== 'string') throw new DecodeProblem(`${what} has no process name`);
  if (typeof row.time !== 'number') throw new DecodeProblem(`${what} has no time`);
  const argsWhat = `the arguments of ${what}`;
  const args =
    row.args === null ? undefined : checkArgs ? decodeValue(row.args, argsWhat) : deepFreeze(decodeJson(row.args, argsWhat), argsWhat);
  const patches = decodePatches(row.patches, `the patches of ${what}`);
  return Object.freeze({ version: row.version, process: row.process, args, patches, time: row.time });
}

/** A snapshot's state: plain parsed data (the engine seals it). */
function decodeState(session: SqliteSession, snapshot: SnapshotRow): object {
  return guard(session, () => {
    const state = decodeJson(snapshot.state, `the snapshot of version ${snapshot.version}`);
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new DecodeProblem(`the snapshot of version ${snapshot.version} is not an object`);
    }
    return state;
  });
}

/** Runs a decoder, turning its problems into `STORE_CORRUPT` naming the file. */
export function guard<T>(session: SqliteSession, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof DecodeProblem) throw corrupt(session.path, error.what);
    throw error;
  }
}
