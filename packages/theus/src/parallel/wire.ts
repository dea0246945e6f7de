import type { PathSegments } from '../context/paths.js';
import type { Semantic } from '../contract/process.js';
import type { EncodedError } from './error-codec.js';

/**
 * The messages between the main thread and a worker for one attempt of a parallel process. Both
 * cross by structured clone: plain data, with HEAVY binaries on a SharedArrayBuffer shared (the
 * same memory on both sides), other binaries copied.
 *
 * @packageDocumentation
 */

/** The contract a worker enforces: the main thread's, as declared (the worker compiles it again). */
export interface WireContract {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly errors: readonly string[] | undefined;
  readonly semantic: Semantic;
}

/** One attempt, sent to a worker. */
export interface TaskRequest {
  /** The `file:` URL of the module that exports the process. */
  readonly module: string;
  readonly contract: WireContract;
  /** `process`: guarded, as in a strict engine; `open`: a relaxed engine's run (`strict: false`). */
  readonly kind: 'process' | 'open';
  readonly args: unknown;
  /**
   * The committed state the attempt starts from, as plain data: the subtrees of the declared
   * paths (the whole state for an `open` run), PRIVATE keys left out.
   */
  readonly state: object;
}

/** One change the worker's draft made, its value as plain data. */
export interface WirePatch {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: PathSegments;
  readonly value?: unknown;
}

/** What an attempt that ran to the end produced. */
export interface TaskSuccess {
  readonly ok: true;
  readonly patches: readonly WirePatch[];
  readonly result: unknown;
  readonly outbox: readonly { readonly topic: string; readonly payload: unknown }[];
  readonly logs: readonly string[];
  readonly readPaths: readonly PathSegments[];
  readonly presenceReads: readonly PathSegments[];
}

/** An attempt that threw: what it threw, encoded (see error-codec.ts). */
export interface TaskFailure {
  readonly ok: false;
  readonly error: EncodedError;
}

/** A worker's reply to a {@link TaskRequest}. */
export type TaskReply = TaskSuccess | TaskFailure;
