import { pathsOverlap, type PathSegments } from '../context/paths.js';
import { RingBuffer } from '../util/ring-buffer.js';

interface Entry {
  readonly version: number;
  readonly writes: readonly { readonly path: PathSegments }[];
}

/**
 * The write paths of recent commits, for path-level optimistic conflict detection. A run that
 * started before the oldest remembered commit is treated as conflicting (it is re-run).
 */
export class CommitHistory {
  readonly #entries: RingBuffer<Entry>;

  constructor(capacity = 4096) {
    this.#entries = new RingBuffer(capacity);
  }

  /** Remembers the writes (patches) of the commit that produced `version`. */
  record(version: number, writes: readonly { readonly path: PathSegments }[]): void {
    this.#entries.push({ version, writes });
  }

  /**
   * The first path written since `startVersion` (exclusive) up to `currentVersion` that overlaps
   * one of `touched`, or `undefined` when none does.
   */
  firstOverlap(startVersion: number, currentVersion: number, touched: readonly PathSegments[]): PathSegments | undefined {
    const entries = this.#entries;
    const oldest = entries.at(0);
    if (oldest === undefined || oldest.version > startVersion + 1) return [];
    for (let i = entries.size - 1; i >= 0; i--) {
      const entry = entries.at(i) as Entry;
      if (entry.version <= startVersion) break;
      if (entry.version > currentVersion) continue;
      for (const { path: written } of entry.writes) {
        for (const path of touched) if (pathsOverlap(written, path)) return written;
      }
    }
    return undefined;
  }
}
