import type { PathSegments } from '../context/paths.js';

/** One committed version: the frozen root and the signals that version set. */
export interface Snapshot {
  readonly version: number;
  readonly root: object;
  /** Signals committed in this version: topic → payload, and where each lives in the root. */
  readonly signals: ReadonlyMap<string, { readonly path: PathSegments; readonly payload: unknown }>;
}
