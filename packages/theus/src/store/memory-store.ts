import type { Patch } from '../transaction/patches.js';
import { RingBuffer } from '../util/ring-buffer.js';

/** One committed change as a store keeps it; the engine hands stores frozen records. */
export interface CommitRecord {
  readonly version: number;
  readonly process: string;
  /**
   * The arguments the run received, as a deeply frozen copy made at commit (`undefined` for none,
   * and for admin edits; see `engine.history()` for arguments outside the value model).
   */
  readonly args: unknown;
  readonly patches: readonly Patch[];
  readonly time: number;
}

/** Where an engine keeps its commit log. */
export interface Store {
  /** A short name for messages (`memory`, `sqlite`, ...). */
  readonly kind: string;
  /** Called once by the engine, before any commit: the state the log starts from and its version. */
  start(state: object, version: number): void;
  /**
   * Appends one commit and the state it produced; the engine swaps its state only after this
   * returns. `state` is the committed root (deeply frozen, sharing structure with its
   * neighbours): a store may keep it to answer {@link Store.stateAt}.
   */
  append(record: CommitRecord, state: object): void;
  /** The recorded commits, oldest first. */
  commits(): readonly CommitRecord[];
  /** The committed state at `version`, or `undefined` when the store no longer holds it. */
  stateAt(version: number): object | undefined;
  /** Releases resources. */
  close(): void;
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * How many commits to keep (oldest are dropped first); default 1,000. History and time travel
   * reach back that far: each kept version costs what it changed (its states share everything
   * else), plus its record.
   */
  readonly capacity?: number;
}

/** One kept commit and the state it produced. */
interface Kept {
  readonly record: CommitRecord;
  readonly state: object;
}

/**
 * The default store: keeps the most recent commits, and the states they produced, in memory.
 * Nothing survives the process.
 *
 * @example
 * ```ts
 * const engine = new Engine({ context, store: memoryStore({ capacity: 100 }) });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const log = new RingBuffer<Kept>(options.capacity ?? 1_000);
  // The state just before the oldest kept commit, and its version: the start, then each dropped commit's state.
  let baseState: object | undefined;
  let baseVersion = -1;
  return {
    kind: 'memory',
    start(state, version) {
      baseState = state;
      baseVersion = version;
    },
    append(record, state) {
      const oldest = log.size === log.capacity ? log.at(0) : undefined;
      if (oldest !== undefined) {
        baseState = oldest.state;
        baseVersion = oldest.record.version;
      }
      log.push({ record, state });
    },
    commits: () => log.toArray().map((kept) => kept.record),
    stateAt(version) {
      if (version === baseVersion) return baseState;
      const first = log.at(0);
      if (first === undefined) return undefined;
      // Versions are consecutive: the kept commit for `version` is at a known offset.
      const kept = log.at(version - first.record.version);
      return kept?.record.version === version ? kept.state : undefined;
    },
    // Closing stops the engine's writes; the retained commits stay readable (engine.history() after close).
    close() {
      return undefined;
    },
  };
}
