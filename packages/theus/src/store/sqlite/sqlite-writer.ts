import type { CommitUnit } from '../store.js';
import { EncodeProblem, encodeValue, patchPath, placeOf, type Locate } from './sqlite-codec.js';
import { reason, sqliteCode, writeFailed } from './sqlite-errors.js';
import type { EncodedUnit, SqliteSession } from './sqlite-session.js';

/** What encoding a unit needs to know of its store: the file (for messages) and the snapshot interval. */
type EncodeTarget = Pick<SqliteSession, 'path' | 'snapshotEvery'>;

/**
 * The encodings made by {@link prepareUnit}, by unit: {@link writeUnits} takes a unit's from here
 * instead of encoding it again (and drops it once the unit is stored).
 */
export type PreparedUnits = WeakMap<CommitUnit, EncodedUnit>;

/**
 * Encodes a unit the moment it is committed (`store.prepare`), everything {@link writeUnits} will
 * write of it (its snapshot too, when its version takes one), and keeps the encoding in
 * `prepared` for the append. A unit that cannot be encoded fails here, alone, before it is
 * grouped with others.
 *
 * @throws StoreError `STORE_WRITE_FAILED` naming the version and the path of the value JSON cannot
 *   represent (a binary, ...); nothing is kept then.
 */
export function prepareUnit(target: EncodeTarget, prepared: PreparedUnits, unit: CommitUnit): void {
  if (prepared.get(unit)?.version === unit.record.version) return;
  prepared.set(unit, encodeUnit(target, unit, 'Nothing of the commit was stored'));
}

/**
 * Records the seed (the initial state) of an empty store.
 *
 * @throws StoreError `STORE_WRITE_FAILED` when the store is seeded already, the state holds a
 *   value JSON cannot represent, or SQLite fails; nothing is stored then.
 */
export function writeSeed(session: SqliteSession, state: object, version: number): void {
  const { path, statements } = session;
  if (session.seedVersion !== undefined) {
    throw writeFailed(path, `is seeded already (version ${session.seedVersion}); only an empty store takes a seed.`, { version });
  }
  const text = encodeOrFail(path, version, 'Nothing was stored', () => encodeValue(state), 'the state') as string;
  try {
    statements.insertSnapshot.run(version, 'seed', text);
  } catch (error) {
    throw sqliteWriteFailed(session, `could not write the seed (version ${version})`, { version }, error);
  }
  session.seedVersion = version;
  session.lastVersion = version;
}

/**
 * Stores commit units in one SQLite transaction: each commit, its outbox messages, and a
 * snapshot when its version is a multiple of `snapshotEvery` (pruning older periodic snapshots).
 * Returns once `COMMIT` returned (on disk with `synchronous = FULL`).
 *
 * @throws StoreError `STORE_WRITE_FAILED` (`details.version`: the first version of the call) when
 *   the versions do not follow the last stored one, a value cannot be encoded, or SQLite fails;
 *   the transaction is rolled back and nothing of the call is stored.
 */
export function writeUnits(session: SqliteSession, units: readonly CommitUnit[], prepared?: PreparedUnits): void {
  if (units.length === 0) return;
  const { path } = session;
  const first = (units[0] as CommitUnit).record.version;
  if (session.lastVersion === undefined) {
    throw writeFailed(path, `has no seed: the engine seeds an empty store before its first commit (version ${first} refused).`, {
      version: first,
    });
  }
  for (const [i, unit] of units.entries()) {
    const expected = session.lastVersion + 1 + i;
    const version = unit.record.version;
    if (version !== expected) {
      throw writeFailed(
        path,
        `expected version ${expected} next (the last stored is ${session.lastVersion}), got ${String(version)}; nothing of this append was stored.`,
        { version: first, expected, got: version },
      );
    }
  }
  // Everything is encoded before the transaction (most units were, by prepareUnit): a value JSON cannot hold fails with nothing written.
  const encoded = units.map((unit) => {
    const early = prepared?.get(unit);
    return early !== undefined && early.version === unit.record.version
      ? early
      : encodeUnit(session, unit, 'Nothing of this append was stored');
  });
  const last = (encoded.at(-1) as EncodedUnit).version;
  try {
    session.writeUnits.immediate(encoded);
  } catch (error) {
    const which = first === last ? `version ${first}` : `versions ${first} to ${last}`;
    throw sqliteWriteFailed(session, `could not write ${which}`, { version: first, last }, error);
  }
  session.lastVersion = last;
  if (prepared !== undefined) for (const unit of units) prepared.delete(unit);
}

/** The rows of a unit; `outcome` says in a message what a failure left stored (`Nothing of ... was stored`). */
function encodeUnit(target: EncodeTarget, unit: CommitUnit, outcome: string): EncodedUnit {
  const { record } = unit;
  const version = record.version;
  const snapshot = version % target.snapshotEvery === 0;
  const encode = (run: () => string | undefined, what: string, locate?: Locate): string | undefined =>
    encodeOrFail(target.path, version, outcome, run, what, locate);
  const patches = encode(
    () => encodeValue(record.patches),
    'the patches',
    (at) => patchPath(unit.record.patches, at),
  ) as string;
  return {
    version,
    process: record.process,
    args: encode(() => encodeValue(record.args), 'the arguments') ?? null,
    patches,
    signals: encode(() => encodeValue(unit.signals), 'the signals') ?? '{}',
    time: record.time,
    outbox: unit.outbox.map(
      (message) =>
        [
          message.id,
          message.topic,
          encode(() => encodeValue(message.payload), `the payload of outbox message '${message.id}'`) ?? 'null',
          message.attempts,
        ] as const,
    ),
    snapshot: snapshot ? encode(() => encodeValue(unit.state), 'the state') : undefined,
  };
}

function encodeOrFail(
  path: string,
  version: number,
  outcome: string,
  run: () => string | undefined,
  what: string,
  locate?: Locate,
): string | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof EncodeProblem)) throw error;
    const { where, at } = placeOf(error, what, locate);
    throw writeFailed(
      path,
      `could not write version ${version}: ${where} holds, at '${at}', ${error.problem}. ${outcome}; keep such values out of the state, or use the memory store.`,
      { version, at, what: where },
    );
  }
}

/** A SQLite failure of a write, said in terms of what to do about it. */
function sqliteWriteFailed(session: SqliteSession, what: string, details: Readonly<Record<string, unknown>>, error: unknown): Error {
  const code = sqliteCode(error) ?? '';
  const advice = code.startsWith('SQLITE_FULL')
    ? 'the disk is full (or the file reached its size limit): free space and retry'
    : code.startsWith('SQLITE_READONLY')
      ? 'the file is read-only: make it writable'
      : code.startsWith('SQLITE_IOERR')
        ? 'an I/O error: check the disk'
        : 'see the cause';
  return writeFailed(session.path, `${what}: ${reason(error)} (${advice}). Nothing of it was stored.`, details, error);
}
