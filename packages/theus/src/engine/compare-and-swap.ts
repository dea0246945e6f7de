/**
 * `engine.compareAndSwap()`: an admin commit checked by its expected version against what it
 * writes (any commit since, with `strictCas`), on any store (a shared store checks it in the
 * database from that version).
 *
 * @packageDocumentation
 */
import { ConflictError, ContractViolationError } from '../errors/index.js';
import { describe } from '../context/paths.js';
import { isPlainObject } from '../context/value-model.js';
import { OPEN_ACCESS } from '../contract/access-tree.js';
import { process as defineProcess, type CompiledContract } from '../contract/process.js';
import { Attempt, runAttempt, type AdminBody } from '../transaction/attempt.js';
import { conflictError, type Committer } from '../transaction/committer.js';
import { SharedConflict } from '../transaction/shared-tail.js';
import { casWrites } from './cas-writes.js';

/**
 * What `compareAndSwap` writes: `data` is nested and deep-merged (a key with dots names a path
 * and replaces its value), `signals` maps topic to payload.
 */
export interface CasChanges {
  readonly data?: Readonly<Record<string, unknown>>;
  readonly signals?: Readonly<Record<string, unknown>>;
}

/** The contract of an admin change (`engine.edit()`, compare-and-swap): open access, may set signals. */
export function adminContract(name: string): CompiledContract {
  const base = defineProcess({ name }, () => undefined).contract;
  return { ...base, access: OPEN_ACCESS, emitsSignals: true };
}

const CAS_CONTRACT = adminContract('engine.compareAndSwap()');

/**
 * Commits `changes` if nothing they touch changed since `expectedVersion` (`current` is the
 * engine's version); resolves to the new version.
 *
 * @throws ConflictError `TX_VERSION` for a version the engine never had, `TX_CONFLICT` when a commit since changed what it writes.
 */
export async function compareAndSwap(
  committer: Committer,
  strictCas: boolean,
  current: number,
  expectedVersion: number,
  changes: CasChanges,
): Promise<number> {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0 || expectedVersion > current) {
    throw new ConflictError(
      'TX_VERSION',
      `engine.compareAndSwap() expected version ${String(expectedVersion)}, but the engine is at version ${current}: pass a version you read from engine.version.`,
      {
        details: { expectedVersion, currentVersion: current },
      },
    );
  }
  const signals: unknown = changes.signals ?? {};
  if (!isPlainObject(signals)) {
    throw new ContractViolationError(
      'CONTRACT_BAD_ARGS',
      `engine.compareAndSwap() takes 'signals' as a plain object of topic → payload, got ${describe(signals)}.`,
    );
  }
  const owner = Symbol('cas');
  const startedAt = Date.now();
  if (committer.opening !== undefined) await committer.opening;
  // A shared store checks the swap from its expected version up to the commits before its group: own commits still waiting for the store are ordered first.
  if (committer.shared) await committer.settled();
  const snapshot = committer.head;
  const startSeq = committer.seqOf(expectedVersion);
  const writes = casWrites(changes.data ?? {}, snapshot.root);
  const cas: AdminBody = (ctx, session) => {
    for (const { path, value } of writes) session.writeAt(path, value, value === undefined);
    for (const [topic, payload] of Object.entries(signals)) ctx.signal(topic, payload);
  };
  const attempt = await runAttempt('admin', CAS_CONTRACT, snapshot.root, cas, undefined);
  const outcome = await committer.commit(
    {
      // Checked by its expected version against what it writes: its own reads do not count.
      attempt: new Attempt(attempt.root, attempt.patches, attempt.effects, attempt.result, undefined),
      process: CAS_CONTRACT.name,
      baseSeq: snapshot.seq,
      startSeq,
      ...(committer.shared ? { seen: expectedVersion } : {}),
      startedAt,
      strict: strictCas,
    },
    owner,
  );
  if (outcome.status === 'conflict') throw conflictError(CAS_CONTRACT.name, 1, outcome.path);
  let assigned: unknown;
  try {
    assigned = await outcome.durable;
  } catch (error) {
    // A shared store refused it: another node changed what it writes since the expected version.
    if (error instanceof SharedConflict) throw conflictError(CAS_CONTRACT.name, 1, error.path);
    throw error;
  }
  if (outcome.status === 'unchanged') return committer.shared ? committer.snapshot.version : outcome.version;
  // A shared store gives the version (the outcome's is provisional).
  return typeof assigned === 'number' ? assigned : outcome.version;
}
