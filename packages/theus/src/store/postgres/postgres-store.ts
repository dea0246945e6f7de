import type { HistoryQuery } from '../../engine/history-query.js';
import type { TheusErrorCode } from '../../errors/index.js';
import type { CommitRecord, Store } from '../store.js';
import { describeLocation, storeError, type ErrorTarget } from './postgres-errors.js';
import { SeenHistory } from './postgres-history.js';
import { readPostgresOptions, type PostgresStoreOptions } from './postgres-options.js';
import { PostgresSharedLog } from './postgres-shared-log.js';

/**
 * A store that shares one state between engines through a PostgreSQL database (see
 * `theus/store/postgres` for the public documentation). The engine opens and commits through
 * `shared`; the rest of the store answers from memory: the history of the commits this node has
 * seen, and the current version only for `stateAt`.
 */
export function postgresStore(options: PostgresStoreOptions): Store {
  const resolved = readPostgresOptions(options);
  const history = new SeenHistory(resolved.historyCapacity);
  const shared = new PostgresSharedLog(resolved, history);
  return {
    kind: 'postgres',
    groupCommits: true,
    open: () => sharedOnly(resolved, 'open()', 'STORE_OPEN_FAILED'),
    seed: () => sharedOnly(resolved, 'seed()', 'STORE_WRITE_FAILED'),
    append: () => sharedOnly(resolved, 'append()', 'STORE_WRITE_FAILED'),
    history: (query: HistoryQuery): readonly CommitRecord[] => history.select(query),
    // The store keeps no past states: the engine answers stateAt for its current version only.
    oldestVersion: (): number => history.newest,
    stateAt: (): undefined => undefined,
    outbox: shared.outbox,
    // The engine closes `shared`; closing the store closes it too when it did not (never twice).
    close(): void {
      void shared.close();
    },
    shared,
  };
}

/** The error of a call the engine never makes on a shared store. */
function sharedOnly(target: ErrorTarget, call: string, code: TheusErrorCode): never {
  throw storeError(
    code,
    target,
    `The PostgreSQL store (${describeLocation(target.location)}) is shared by several engines: an engine opens and commits through store.shared, never through store.${call}.`,
    { call },
  );
}
