import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { TaskReply, TaskRequest } from './wire.js';

/** Options of a {@link WorkerPool} (the engine's `workers` option). */
export interface WorkerPoolOptions {
  /** Threads at most (default: `os.availableParallelism()`). */
  readonly size?: number | undefined;
  /** How long an idle thread lives (default 30,000 ms). */
  readonly idleTimeoutMs?: number | undefined;
  /** Node options of the threads (default: the main thread's). */
  readonly execArgv?: readonly string[] | undefined;
}

/** How a task is cancelled (see `Cancellation` in the engine's transactor). */
export interface TaskCancellation {
  onCancel(listener: () => void): void;
  clear(): void;
}

/** The default of `workers.idleTimeoutMs`: threads stay warm between bursts of runs. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * The worker threads of one engine (piscina). Threads start on demand, up to `size`; an idle
 * thread exits after `idleTimeoutMs`; none keeps the process alive while idle. A thread that
 * crashes (an uncaught exception, `process.exit`, out of memory) fails the task it ran and is
 * replaced; an aborted task's thread is stopped and replaced.
 */
export class WorkerPool {
  readonly #pool: Piscina;
  #closing: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    const own = import.meta.url;
    // Under tsx or Vite (running the source) this module is a .ts file, and so is the worker entry beside it.
    const source = own.endsWith('.ts');
    const filename = new URL(source ? './parallel-worker.ts' : './parallel-worker.js', own).href;
    const execArgv = source ? withTypeScript(options.execArgv ?? process.execArgv) : options.execArgv;
    this.#pool = new Piscina({
      filename,
      minThreads: 0,
      maxThreads: options.size ?? availableParallelism(),
      idleTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      // The event loop of an idle worker keeps running: what a process left scheduled settles there, not in the next task.
      atomics: 'disabled',
      // No run-time histograms: nothing reads them, and they cost on every task.
      recordTiming: false,
      ...(execArgv === undefined ? {} : { execArgv: [...execArgv] }),
    });
    // A thread that failed outside any task (a timer a process left behind, a worker entry that
    // cannot load) is replaced; no run is waiting for it, so it is reported here.
    this.#pool.on('error', (error: unknown) => {
      console.error('theus: a worker thread of the parallel pool failed outside any run (it is replaced):', error);
    });
  }

  /** Runs one attempt in a thread; rejects when the thread fails or `cancellation` cancels the task. */
  run(request: TaskRequest, cancellation: TaskCancellation): Promise<TaskReply> {
    // Piscina takes any emitter of 'abort' as a signal: this one costs less than an AbortSignal.
    const signal = {
      once: (_event: 'abort', listener: () => void): void => cancellation.onCancel(listener),
      removeListener: (): void => cancellation.clear(),
    };
    return this.#pool.run(request, { signal: signal as never }) as Promise<TaskReply>;
  }

  /** Threads running now. */
  get threads(): number {
    return this.#pool.threads.length;
  }

  /** Stops every thread (tasks still running are failed). */
  close(): Promise<void> {
    this.#closing ??= this.#pool.destroy();
    return this.#closing;
  }
}

/** `execArgv` with tsx's loader added, when not there already: the worker entry is TypeScript when Theus runs from source. */
function withTypeScript(execArgv: readonly string[]): readonly string[] {
  return execArgv.some((arg) => arg.includes('tsx')) ? execArgv : [...execArgv, '--import', 'tsx'];
}
