import type { PathSegments } from '../../context/paths.js';
import type { CommitUnit } from '../store.js';
import { EncodeProblem, encodeValue, showPath } from './sqlite-codec.js';
import { reason, sqliteCode, writeFailed } from './sqlite-errors.js';
import type { EncodedUnit, SqliteSession } from './sqlite-session.js';

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
  const text = encode(session, version, () => encodeValue(state), 'the state') as string;
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
export function writeUnits(session: SqliteSession, units: readonly CommitUnit[]): void {
  if (units.length === 0) return;
  const { path, snapshotEvery } = session;
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
  // Everything is encoded before the transaction: a value JSON cannot hold fails with nothing written.
  const encoded = units.map((unit) => encodeUnit(session, unit, unit.record.version % snapshotEvery === 0));
  const last = (encoded.at(-1) as EncodedUnit).version;
  try {
    session.writeUnits.immediate(encoded);
  } catch (error) {
    const which = first === last ? `version ${first}` : `versions ${first} to ${last}`;
    throw sqliteWriteFailed(session, `could not write ${which}`, { version: first, last }, error);
  }
  session.lastVersion = last;
}

function encodeUnit(session: SqliteSession, unit: CommitUnit, snapshot: boolean): EncodedUnit {
  const { record } = unit;
  const version = record.version;
  const patches = encode(
    session,
    version,
    () => encodeValue(record.patches),
    'the patches',
    (at) => patchPath(unit, at),
  ) as string;
  return {
    version,
    process: record.process,
    args: encode(session, version, () => encodeValue(record.args), 'the arguments') ?? null,
    patches,
    signals: encode(session, version, () => encodeValue(unit.signals), 'the signals') ?? '{}',
    time: record.time,
    outbox: unit.outbox.map(
      (message) =>
        [
          message.id,
          message.topic,
          encode(session, version, () => encodeValue(message.payload), `the payload of outbox message '${message.id}'`) ?? 'null',
          message.attempts,
        ] as const,
    ),
    snapshot: snapshot ? encode(session, version, () => encodeValue(unit.state), 'the state') : undefined,
  };
}

/** A path inside the patches array, told as the state path the patch writes (`patches.0.value.x` → the patch's path + `x`). */
function patchPath(unit: CommitUnit, at: PathSegments): { readonly where: string; readonly at: PathSegments } {
  const index = at[0];
  const patch = typeof index === 'number' ? unit.record.patches[index] : undefined;
  if (patch === undefined || at[1] !== 'value') return { where: 'the patches', at };
  return { where: `the value written to '${showPath(patch.path)}'`, at: [...patch.path, ...at.slice(2)] };
}

function encode(
  session: SqliteSession,
  version: number,
  run: () => string | undefined,
  what: string,
  locate?: (at: PathSegments) => { readonly where: string; readonly at: PathSegments },
): string | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof EncodeProblem)) throw error;
    const place = locate?.(error.at) ?? { where: what, at: error.at };
    const at = showPath(place.at);
    throw writeFailed(
      session.path,
      `could not write version ${version}: ${place.where} holds, at '${at}', ${error.problem}. Nothing of this append was stored; keep such values out of the state, or use the memory store.`,
      { version, at, what: place.where },
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
