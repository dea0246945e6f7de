import { isPrefixOf, pathsOverlap, type PathSegments } from '../context/paths.js';
import type { CommitRecord } from '../store/store.js';

/**
 * The first path written by `records` (other nodes' commits) that conflicts with a commit that
 * touched `touched` (equal, ancestor or descendant paths) and observed the presence of `presence`
 * (a write at or above one), or `[]` for a strict commit when there is any record; `undefined`
 * when none does. The same rule as the local check (`CommitHistory`), for the few commits a
 * shared store delivers at once.
 */
export function firstOverlapIn(
  records: readonly CommitRecord[],
  touched: readonly PathSegments[],
  presence: readonly PathSegments[],
  strict: boolean,
): PathSegments | undefined {
  if (records.length === 0) return undefined;
  if (strict) return [];
  for (const record of records) {
    for (const { path: written } of record.patches) {
      for (const path of touched) if (pathsOverlap(written, path)) return written;
      for (const path of presence) if (isPrefixOf(written, path)) return written;
    }
  }
  return undefined;
}
