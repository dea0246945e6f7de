/**
 * A group of commit units as the one `jsonb` argument of `commit_group` (see
 * `postgres-commit-function.ts` for its shape), and its answer as a {@link SharedCommitResult}.
 * Values are encoded with the SQLite store's codec (JSON text, key order kept) before anything is
 * sent: a unit that cannot be encoded fails the group with nothing written.
 *
 * @packageDocumentation
 */
import type { PathSegments } from '../../context/paths.js';
import { EncodeProblem, encodeValue, patchPath, placeOf, type Locate } from '../sqlite/sqlite-codec.js';
import type { CommitCheck, CommitRecord, CommitUnit, SharedCommitResult } from '../store.js';
import { corrupt, writeFailed, type ErrorTarget } from './postgres-errors.js';
import { ancestorKeys, lineageKeys, pathKey } from './postgres-keys.js';
import { decodeFollowing, integerOf, type CommitRow } from './postgres-rows.js';

/** A group ready to send: the `batch` argument, and each unit's check (to name a conflict's path). */
export interface EncodedGroup {
  readonly batch: string;
  readonly checks: readonly CommitCheck[];
}

/** One unit as `commit_group` takes it. */
interface GroupUnit {
  readonly process: string;
  readonly args: string | null;
  readonly patches: string;
  readonly signals: string;
  readonly time: number;
  readonly outbox: readonly (readonly [topic: string, payload: string])[];
  readonly seen: number;
  readonly strict: boolean;
  readonly touched: readonly (readonly [key: string, ancestors: readonly string[]])[];
  readonly presence: readonly (readonly string[])[];
  readonly writes: readonly string[];
  readonly above: readonly string[];
  readonly turn: string | null;
}

/**
 * Encodes `units` for `commit_group`. A unit without a `check` is checked as `strictCas` from
 * `known`: any commit the node has not applied conflicts with it.
 *
 * @throws StoreError `STORE_WRITE_FAILED` naming the process and the path of a value JSON cannot
 *   represent (a binary, ...), or a time or seen version that is not an integer; nothing is sent then.
 */
export function encodeGroup(target: ErrorTarget, units: readonly CommitUnit[], known: number): EncodedGroup {
  const checks = units.map((unit) => unit.check ?? { seen: known, touched: [], presence: [], strict: true });
  const encoded = units.map((unit, i) => encodeUnit(target, unit, checks[i] as CommitCheck));
  return { batch: JSON.stringify(encoded), checks };
}

function encodeUnit(target: ErrorTarget, unit: CommitUnit, check: CommitCheck): GroupUnit {
  const { record } = unit;
  const encode = (run: () => string | undefined, what: string, locate?: Locate): string | undefined =>
    encodeOrFail(target, record.process, run, what, locate);
  const malformed = !Number.isSafeInteger(record.time)
    ? `its time (${String(record.time)}) is not an integer number of milliseconds`
    : !Number.isSafeInteger(check.seen)
      ? `its check's seen version (${String(check.seen)}) is not an integer`
      : undefined;
  if (malformed !== undefined) {
    throw writeFailed(target, `could not store the commit of process '${record.process}': ${malformed}. Nothing of the group was stored.`, {
      process: record.process,
    });
  }
  const writes = new Set<string>();
  const above = new Set<string>();
  for (const patch of record.patches) {
    writes.add(pathKey(patch.path));
    for (const key of ancestorKeys(patch.path)) above.add(key);
  }
  for (const key of writes) above.delete(key);
  return {
    process: record.process,
    args: encode(() => encodeValue(record.args), 'the arguments') ?? null,
    patches: encode(
      () => encodeValue(record.patches),
      'the patches',
      (at) => patchPath(unit.record.patches, at),
    ) as string,
    signals: encode(() => encodeValue(unit.signals), 'the signals') ?? '{}',
    time: record.time,
    outbox: unit.outbox.map((message, i) => [
      message.topic,
      encode(() => encodeValue(message.payload), `the payload of outbox message ${i} (topic '${message.topic}')`) ?? 'null',
    ]),
    seen: check.seen,
    strict: check.strict,
    touched: check.touched.map((path) => [pathKey(path), ancestorKeys(path)]),
    presence: check.presence.map(lineageKeys),
    writes: [...writes],
    above: [...above],
    turn: check.turn ?? null,
  };
}

function encodeOrFail(
  target: ErrorTarget,
  process: string,
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
      target,
      `could not store the commit of process '${process}': ${where} holds, at '${at}', ${error.problem}. Nothing of the group was stored; keep such values out of the state, or use the memory store.`,
      { process, at, what: where },
    );
  }
}

const KINDS = new Set(['strict', 'touched', 'presence']);

/**
 * The answer of `commit_group` as a result: the versions assigned, the conflict (its unit and the
 * path of the check entry that conflicted, `[]` for a strict check) and the other nodes' commits
 * after `known`, decoded.
 *
 * @throws StoreError `STORE_CORRUPT` when the answer or a commit in it does not decode.
 */
export function readGroupResult(target: ErrorTarget, answer: unknown, group: EncodedGroup, known: number): SharedCommitResult {
  const { first, accepted, refused, remote, waiting } = (typeof answer === 'object' && answer !== null ? answer : {}) as Partial<
    Record<string, unknown>
  >;
  const firstVersion = integerOf(first);
  const count = integerOf(accepted);
  if (firstVersion === undefined || count === undefined || count < 0 || count > group.checks.length || !Array.isArray(remote)) {
    throw corrupt(target, 'its function commit_group answered in a form this build does not know (was it replaced?)');
  }
  const versions = Object.freeze(Array.from({ length: count }, (_, i) => firstVersion + i));
  const records: readonly CommitRecord[] = Object.freeze(decodeFollowing(target, (remote as unknown[]).map(commitRow), known));
  if (waiting === true && count === 0) return { versions, remote: records, waiting: true };
  if (refused === null || refused === undefined) return { versions, remote: records };
  const conflict = readConflict(refused, group.checks, count);
  if (conflict === undefined)
    throw corrupt(target, 'its function commit_group named a conflict this build does not know (was it replaced?)');
  return { versions, remote: records, conflict };
}

function readConflict(
  refused: unknown,
  checks: readonly CommitCheck[],
  accepted: number,
): { readonly index: number; readonly path: PathSegments } | undefined {
  const { unit, kind, entry } = (typeof refused === 'object' ? refused : {}) as Partial<Record<string, unknown>>;
  const check = checks[accepted];
  const at = integerOf(entry);
  if (unit !== accepted || check === undefined || typeof kind !== 'string' || !KINDS.has(kind) || at === undefined) return undefined;
  const path = kind === 'strict' ? [] : kind === 'touched' ? check.touched[at] : check.presence[at];
  return path === undefined ? undefined : Object.freeze({ index: accepted, path: Object.freeze([...path]) });
}

/** A `[version, process, args, patches, time]` array of the answer as a row. */
function commitRow(value: unknown): CommitRow {
  const [version, process, args, patches, time] = Array.isArray(value) ? (value as unknown[]) : [];
  return { version, process, args, patches, time };
}
