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
  /** Appends one commit; the engine swaps its state only after this returns. */
  append(record: CommitRecord): void;
  /** The recorded commits, oldest first. */
  commits(): readonly CommitRecord[];
  /** Releases resources. */
  close(): void;
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** How many commits to keep (oldest are dropped first); default 1,000 (history costs memory and GC time; raise it when you need more). */
  readonly capacity?: number;
}

/**
 * The default store: keeps the most recent commits in memory. Nothing survives the process.
 *
 * @example
 * ```ts
 * const engine = new Engine({ context, store: memoryStore({ capacity: 100 }) });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const log = new RingBuffer<CommitRecord>(options.capacity ?? 1_000);
  return {
    kind: 'memory',
    append(record) {
      log.push(record);
    },
    commits: () => log.toArray(),
    // Closing stops the engine's writes; the retained commits stay readable (engine.history() after close).
    close() {
      return undefined;
    },
  };
}
