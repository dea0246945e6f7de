import { pathsOverlap, type PathSegments } from '../context/paths.js';

interface Entry {
  readonly version: number;
  readonly writes: readonly PathSegments[];
}

/**
 * The write paths of recent commits, for path-level optimistic conflict detection. A run that
 * started before the oldest remembered commit is treated as conflicting (it is re-run).
 */
export class CommitHistory {
  readonly #entries: Entry[] = [];
  readonly #capacity: number;

  constructor(capacity = 4096) {
    this.#capacity = capacity;
  }

  /** Remembers the paths written by the commit that produced `version`. */
  record(version: number, writes: readonly PathSegments[]): void {
    this.#entries.push({ version, writes });
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
  }

  /**
   * The first path written since `startVersion` (exclusive) up to `currentVersion` that overlaps
   * one of `touched`, or `undefined` when none does.
   */
  firstOverlap(startVersion: number, currentVersion: number, touched: readonly PathSegments[]): PathSegments | undefined {
    const oldest = this.#entries[0];
    if (oldest === undefined || oldest.version > startVersion + 1) return [];
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i] as Entry;
      if (entry.version <= startVersion) break;
      if (entry.version > currentVersion) continue;
      for (const written of entry.writes) {
        for (const path of touched) if (pathsOverlap(written, path)) return written;
      }
    }
    return undefined;
  }
}
