/**
 * The worker entry of the parallel pool (its own build entry, `dist/parallel-worker.js`, never
 * inlined): piscina loads this file in each worker thread and calls its default export once per
 * task. Piscina loads it with `require()` when it can (an ES module without top-level await, on
 * Node >= 20.19, or TypeScript through tsx's CommonJS hook when Theus runs from source), else
 * with `import()`; worker-task.ts loads process modules the same way (see `importModule`), so a
 * worker holds one copy of Theus.
 *
 * @packageDocumentation
 */
import { runTask } from './worker-task.js';
import type { TaskReply, TaskRequest } from './wire.js';

/** Runs one attempt of a parallel process (see worker-task.ts). */
export default function runParallelTask(request: TaskRequest): Promise<TaskReply> {
  return runTask(request);
}
