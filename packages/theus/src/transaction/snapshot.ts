import type { PathSegments } from '../context/paths.js';

/** One committed version: the frozen root and the signals that version set. */
export interface Snapshot {
  readonly version: number;
  /**
   * The snapshot's place in the engine's own sequence of changes (its commits, refused tails,
   * other nodes' commits it applied): never reused, so a run's start is identified even when a
   * version number is (after a refused append) or is not yet known (a commit a shared store has
   * not ordered). Conflict checks count in it.
   */
  readonly seq: number;
  readonly root: object;
  /** Signals committed in this version: topic → payload, and where each lives in the root. */
  readonly signals: ReadonlyMap<string, { readonly path: PathSegments; readonly payload: unknown }>;
}
