import { describe } from '../../context/paths.js';
import { TheusError } from '../../errors/index.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file: created with its tables when it does not exist (its directory must).
   * `':memory:'` gives a database that lives as long as the engine (nothing is durable: for
   * tests).
   */
  readonly path: string;
  /**
   * `'full'` (default): a commit is on disk when its run resolves, even across a power loss.
   * `'normal'`: faster; a power loss (not a crash of the process) may lose the last commits,
   * never corrupt the file.
   */
  readonly synchronous?: 'full' | 'normal';
  /**
   * Write a snapshot of the state every this many versions (default 1,000), in the commit's own
   * transaction: opening reads the newest snapshot and replays at most this many commits.
   */
  readonly snapshotEvery?: number;
}

/** {@link SqliteStoreOptions} checked, with the defaults filled in. */
export interface ResolvedSqliteOptions {
  readonly path: string;
  readonly synchronous: 'full' | 'normal';
  readonly snapshotEvery: number;
}

const KNOWN = ['path', 'synchronous', 'snapshotEvery'];
const MAX_SNAPSHOT_EVERY = 1_000_000_000;

/**
 * Checks the options of `sqliteStore()` (untrusted: any value) and fills in the defaults.
 *
 * @throws TheusError `ENGINE_INVALID_OPTION` naming the first bad option and what it must be.
 */
export function readSqliteOptions(options: unknown): ResolvedSqliteOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    bad('options', `must be an object such as { path: './state.db' }, got ${describe(options)}`);
  }
  const input = options as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key)) bad(key, `unknown option (known: ${KNOWN.join(', ')})`);
  }
  const { path, synchronous = 'full', snapshotEvery = 1_000 } = input;
  if (typeof path !== 'string' || path === '') bad('path', `must be a non-empty file path, got ${describe(path)}`);
  if (path.includes('\0')) bad('path', 'must not contain a NUL character');
  if (synchronous !== 'full' && synchronous !== 'normal') bad('synchronous', `must be 'full' or 'normal', got ${describe(synchronous)}`);
  if (typeof snapshotEvery !== 'number' || !Number.isInteger(snapshotEvery) || snapshotEvery < 1 || snapshotEvery > MAX_SNAPSHOT_EVERY) {
    bad('snapshotEvery', `must be an integer from 1 to ${MAX_SNAPSHOT_EVERY.toLocaleString('en-US')}, got ${describe(snapshotEvery)}`);
  }
  return Object.freeze({ path, synchronous, snapshotEvery });
}

function bad(option: string, problem: string): never {
  throw new TheusError('ENGINE_INVALID_OPTION', `sqliteStore() option '${option}': ${problem}.`, {
    details: { option: option === 'options' ? 'sqliteStore' : `sqliteStore.${option}` },
  });
}
