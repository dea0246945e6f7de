import { StoreError, TheusError } from '../errors/index.js';
import type { HistoryQuery } from '../engine/history-query.js';
import { selectHistory } from '../engine/history-query.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { MemoryOutboxLedger } from './memory-outbox-ledger.js';
import type { CommitRecord, CommitUnit, Store } from './store.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * How many commits to keep (oldest are dropped first); default 1,000. History and time travel
   * reach back that far: each kept version costs what it changed (its states share everything
   * else), plus its record.
   */
  readonly capacity?: number;
}

/** The largest `capacity` accepted (the ring buffer allocates its slots up front). */
const MAX_CAPACITY = 10_000_000;

/** One kept commit and the state it produced. */
interface Kept {
  readonly record: CommitRecord;
  readonly state: object;
}

/**
 * The default store: keeps the most recent commits, the states they produced and the
 * undelivered outbox messages in memory. Nothing survives the process.
 *
 * @example
 * ```ts
 * const engine = new Engine({ context, store: memoryStore({ capacity: 100 }) });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const capacity: unknown = (options as Partial<Record<string, unknown>> | undefined)?.capacity ?? 1_000;
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    throw new TheusError(
      'ENGINE_INVALID_OPTION',
      `memoryStore({ capacity }) must be an integer from 1 to ${String(MAX_CAPACITY)}, got ${typeof capacity === 'number' ? String(capacity) : typeof capacity}.`,
      { details: { option: 'memoryStore.capacity' } },
    );
  }
  const log = new RingBuffer<Kept>(capacity);
  let opened = false;
  const outbox = new MemoryOutboxLedger();
  // The state just before the oldest kept commit, and its version: the seed, then each dropped commit's state.
  let baseState: object | undefined;
  let baseVersion = -1;
  return {
    kind: 'memory',
    groupCommits: false,
    open() {
      if (opened) {
        throw new StoreError(
          'STORE_OPEN_FAILED',
          'This memory store serves an engine already: a store serves one engine. Give each engine its own memoryStore().',
          { details: { store: 'memory' } },
        );
      }
      opened = true;
      return undefined;
    },
    seed(state, version) {
      baseState = state;
      baseVersion = version;
    },
    append(units: readonly CommitUnit[]) {
      for (const unit of units) {
        const oldest = log.size === log.capacity ? log.at(0) : undefined;
        if (oldest !== undefined) {
          baseState = oldest.state;
          baseVersion = oldest.record.version;
        }
        log.push({ record: unit.record, state: unit.state });
        if (unit.outbox.length > 0) outbox.add(unit.outbox);
      }
    },
    history: (query: HistoryQuery) =>
      selectHistory(
        log.toArray().map((kept) => kept.record),
        query,
      ),
    oldestVersion: () => baseVersion,
    stateAt(version) {
      if (version === baseVersion) return baseState;
      const first = log.at(0);
      if (first === undefined) return undefined;
      // Versions are consecutive: the kept commit for `version` is at a known offset.
      const kept = log.at(version - first.record.version);
      return kept?.record.version === version ? kept.state : undefined;
    },
    outbox,
    // Closing stops the engine's writes; the retained commits stay readable (engine.history() after close).
    close() {
      return undefined;
    },
  };
}
