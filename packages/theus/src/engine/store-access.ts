/**
 * The engine's side of its store: opening it (restoring its state or seeding it), and reading
 * its history and past states for `engine.history()` and `engine.stateAt()`.
 *
 * @packageDocumentation
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { StoreError, TheusError } from '../errors/index.js';
import { formatPath } from '../context/paths.js';
import { sealValue } from '../context/value-model.js';
import type { CommitRecord, OutboxEntry, SharedLog, Store, StoreContents } from '../store/store.js';
import { replayCommits } from '../store/replay.js';
import type { Snapshot } from '../transaction/snapshot.js';
import { versionUnavailable, type HistoryQuery } from './history-query.js';
import { validateInitial } from './validation.js';

/** One commit as `engine.history()` lists it: the stored record plus the dotted paths it wrote. */
export interface CommitEntry extends CommitRecord {
  readonly writes: readonly string[];
}

/**
 * Opens `store` and returns the snapshot to start from: the store's state (its newest snapshot
 * with the commits after it replayed, its undelivered outbox messages handed to `loadOutbox`),
 * or, for an empty store, `context`, which then seeds it. The store is closed again if anything
 * after its opening fails; a store that refuses to open (in use, opened by another engine) is not
 * this engine's to close.
 */
export function openStore(
  store: Store,
  context: object,
  schema: StandardSchemaV1 | undefined,
  loadOutbox: (entries: readonly OutboxEntry[]) => void,
): Snapshot {
  const contents = store.open();
  try {
    const snapshot = contents === undefined ? undefined : restore(store.kind, contents);
    if (snapshot !== undefined) {
      validateInitial(schema, snapshot.root, `The state restored from the ${store.kind} store`);
      loadOutbox(store.outbox.undelivered());
      return snapshot;
    }
    const root = sealValue(context, { who: 'The initial context', path: [], zone: 'DATA' }) as object;
    validateInitial(schema, root, 'The initial context');
    store.seed(root, 0);
    return { version: 0, seq: 0, root, signals: new Map() };
  } catch (error) {
    try {
      store.close();
    } catch {
      // The open failure is the error to report.
    }
    throw error;
  }
}

/**
 * Opens a shared store (`store.shared`): seeds it with `context` when it is empty (another node
 * may have seeded it first: its state wins), restores its state and hands its undelivered outbox
 * messages to `loadOutbox`. The store is closed again if anything after its opening fails.
 */
export async function openSharedStore(
  store: Store,
  shared: SharedLog,
  context: object,
  schema: StandardSchemaV1 | undefined,
  loadOutbox: (entries: readonly OutboxEntry[]) => void,
): Promise<Snapshot> {
  const initial = sealValue(context, { who: 'The initial context', path: [], zone: 'DATA' }) as object;
  validateInitial(schema, initial, 'The initial context');
  const contents = await shared.open(initial);
  try {
    const snapshot = restore(store.kind, contents);
    validateInitial(schema, snapshot.root, `The state restored from the ${store.kind} store`);
    loadOutbox(store.outbox.undelivered());
    return snapshot;
  } catch (error) {
    await shared.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The snapshot a store's contents restore: its base state with the commits after it replayed.
 * Stored data the value model refuses means the store is damaged: `StoreError` (`STORE_CORRUPT`).
 */
function restore(kind: string, contents: StoreContents): Snapshot {
  let version = contents.version;
  function* counted(): Generator<CommitRecord> {
    for (const record of contents.tail) {
      version = record.version;
      yield record;
    }
  }
  try {
    const root = replayCommits(contents.state, counted());
    return { version, seq: 0, root, signals: new Map() };
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      'STORE_CORRUPT',
      `The ${kind} store holds data Theus cannot restore (${error instanceof Error ? error.message : String(error)}); nothing was opened. Restore the file from a backup.`,
      { details: { store: kind }, cause: error },
    );
  }
}

/**
 * The commits `selection` picks from `store`, as frozen history entries. A store that cannot be
 * read once the engine closed it makes this throw `ENGINE_CLOSED`, saying so.
 */
export function historyOf(store: Store, selection: HistoryQuery, closed: boolean): readonly CommitEntry[] {
  let records: readonly CommitRecord[];
  try {
    records = store.history(selection);
  } catch (error) {
    if (!closed) throw error;
    throw new TheusError(
      'ENGINE_CLOSED',
      `engine.history() cannot read the ${store.kind} store after engine.close(): the store was closed with the engine. Read the history before closing, or open a new engine on the same store.`,
      { details: { store: store.kind }, cause: error },
    );
  }
  return Object.freeze(
    records.map((record) => Object.freeze({ ...record, writes: Object.freeze(record.patches.map((patch) => formatPath(patch.path))) })),
  );
}

/**
 * The committed state at `version` (`current` is the visible snapshot), or a rejection with
 * `StoreError` (`STORE_VERSION_UNAVAILABLE`) for a version the store does not retain; `store`
 * is `undefined` for a training-mode engine, which keeps no versions.
 */
export function stateAtVersion(store: Store | undefined, version: unknown, current: Snapshot): Promise<object> {
  if (store !== undefined && version === current.version) return Promise.resolve(current.root);
  let state: object | undefined;
  try {
    state =
      store !== undefined && typeof version === 'number' && Number.isSafeInteger(version) && version <= current.version
        ? store.stateAt(version, replayCommits)
        : undefined;
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  if (state !== undefined) return Promise.resolve(state);
  if (store === undefined) return Promise.reject(versionUnavailable(version, 'memory', 'a training-mode engine keeps no versions'));
  const oldest = store.oldestVersion();
  const retained = oldest >= current.version ? String(current.version) : `${String(oldest)}..${String(current.version)}`;
  return Promise.reject(versionUnavailable(version, store.kind, `the ${store.kind} store holds versions ${retained}`));
}
