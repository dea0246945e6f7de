/**
 * `theus/parallel` (Node only): the worker pool that runs `parallel: true` processes. An engine
 * loads this entry by itself on its first parallel run (sized by its `workers` option, closed by
 * `engine.close()`); import it only to run the pool directly.
 *
 * @packageDocumentation
 */
export { ParallelRunner } from './parallel-runner.js';
export { WorkerPool, DEFAULT_IDLE_TIMEOUT_MS, type WorkerPoolOptions, type TaskCancellation } from './worker-pool.js';
export { encodeError, decodeError, type EncodedError } from './error-codec.js';
export type { TaskRequest, TaskReply, TaskSuccess, TaskFailure, WireContract, WirePatch } from './wire.js';
