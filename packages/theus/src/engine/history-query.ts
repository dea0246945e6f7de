import { ContractViolationError, StoreError } from '../errors/index.js';
import { describe } from '../context/paths.js';
import type { CommitRecord } from '../store/store.js';

/** Which commits `engine.history()` lists. Every field is optional; all given ones apply. */
export interface HistoryQuery {
  /** The first version to list (inclusive). */
  readonly from?: number;
  /** The last version to list (inclusive). */
  readonly to?: number;
  /** Only commits of this process (admin edits are `engine.edit()`, compare-and-swap `engine.compareAndSwap()`). */
  readonly process?: string;
  /** At most this many commits: the newest of the selection, still listed oldest first. */
  readonly limit?: number;
}

const FIELDS = new Set(['from', 'to', 'process', 'limit']);

/**
 * Checks a history query given by the caller (untrusted: any value) and returns it typed.
 *
 * @throws ContractViolationError (`CONTRACT_BAD_ARGS`) naming the field and what it must be.
 */
export function readHistoryQuery(query: unknown): HistoryQuery {
  if (query === undefined) return {};
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw badQuery(`expects an object { from?, to?, process?, limit? }, got ${describe(query)}`);
  }
  // Each field the object has is read once; the copy is what the store sees (no getter runs twice).
  const fields: Partial<Record<'from' | 'to' | 'process' | 'limit', unknown>> = {};
  for (const key of Object.keys(query)) {
    if (!FIELDS.has(key)) throw badQuery(`got the unknown field '${key}' (use from, to, process, limit)`);
    fields[key as 'from'] = (query as Record<string, unknown>)[key];
  }
  const { from, to, process, limit } = fields;
  for (const [name, value] of [
    ['from', from],
    ['to', to],
    ['limit', limit],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
      throw badQuery(`'${name}' must be an integer >= 0, got ${describe(value)}`);
    }
  }
  if (process !== undefined && typeof process !== 'string') throw badQuery(`'process' must be a process name, got ${describe(process)}`);
  return {
    ...(from === undefined ? {} : { from: from as number }),
    ...(to === undefined ? {} : { to: to as number }),
    ...(process === undefined ? {} : { process }),
    ...(limit === undefined ? {} : { limit: limit as number }),
  };
}

/** The records `query` selects, oldest first. */
export function selectHistory(records: readonly CommitRecord[], query: HistoryQuery): readonly CommitRecord[] {
  const { from, to, process, limit } = query;
  const selected = records.filter(
    (record) =>
      (from === undefined || record.version >= from) &&
      (to === undefined || record.version <= to) &&
      (process === undefined || record.process === process),
  );
  return limit === undefined || selected.length <= limit ? selected : selected.slice(selected.length - limit);
}

function badQuery(problem: string): ContractViolationError {
  return new ContractViolationError('CONTRACT_BAD_ARGS', `engine.history() ${problem}.`, { details: { call: 'engine.history()' } });
}

/** The error of `engine.stateAt(version)` for a version that is not retained; `why` says what is. */
export function versionUnavailable(version: unknown, store: string, why: string): StoreError {
  return new StoreError('STORE_VERSION_UNAVAILABLE', `engine.stateAt(${describe(version)}): no such retained version (${why}).`, {
    details: { version: typeof version === 'number' ? version : describe(version), store },
  });
}
