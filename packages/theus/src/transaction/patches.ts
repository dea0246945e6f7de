import type { PathSegments } from '../context/paths.js';

/**
 * One recorded change, in the format Immer and Mutative use: `add` creates a key (or inserts an
 * array element), `replace` overwrites one, `remove` deletes one.
 */
export interface Patch {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: PathSegments;
  readonly value?: unknown;
}
