import { TheusError } from '../errors/index.js';
import type { CompiledContract } from '../contract/process.js';
import type { ProcessBody } from '../transaction/attempt.js';
import type { ParallelRunner } from '../parallel/index.js';
import type { ResolvedOptions } from './options.js';
import type { Transactor } from './transactor.js';

/**
 * The engine's side of parallel processes: loads the worker pool (`theus/parallel`) on the first
 * parallel run and makes each run's attempts through it, in the engine's run loop (so conflicts,
 * turns, audit gates, the schema and the write timeout apply as to any run).
 */
export class EngineParallel {
  #loading: Promise<ParallelRunner> | undefined;
  /** The pool once loaded: later runs start without waiting for a promise. */
  #ready: ParallelRunner | undefined;
  /** Runs waiting for the pool to load: not in the run loop yet, so `close()` waits for them here. */
  readonly #starting = new Set<Promise<unknown>>();

  constructor(
    private readonly runs: Transactor,
    private readonly workers: ResolvedOptions['workers'],
  ) {}

  /** Runs a parallel process: each attempt in a worker thread, its writes committed here. */
  run(contract: CompiledContract, kind: 'process' | 'open', body: ProcessBody, input: unknown): Promise<unknown> {
    const start = (runner: ParallelRunner): Promise<unknown> => {
      runner.checkArgs(contract, input);
      return this.runs.transact(contract, kind, body, input, (root, args, cancellation) =>
        runner.run(contract, kind, root, args, cancellation),
      );
    };
    if (this.#ready !== undefined) return start(this.#ready);
    const run = this.#runner().then(start);
    this.#starting.add(run);
    const forget = (): void => void this.#starting.delete(run);
    run.then(forget, forget);
    return run;
  }

  /** Resolves once no run is waiting for the pool to load (the others are in the run loop). */
  async started(): Promise<void> {
    while (this.#starting.size > 0) await Promise.allSettled([...this.#starting]);
  }

  /** Stops the pool's threads (call once no run is left): none is left behind to hold the process. */
  async close(): Promise<void> {
    if (this.#loading !== undefined)
      await this.#loading.then(
        (runner) => runner.close(),
        () => undefined,
      );
  }

  /**
   * The worker pool, loaded once. `theus/parallel` is Node-only, so the core reaches it through
   * `import()` of a specifier passed as an argument (see `Engine.scan`): no bundler follows it.
   * It lies in `src/parallel/` beside `src/engine/`, and flat in `dist/` beside the core chunks.
   */
  #runner(): Promise<ParallelRunner> {
    if (this.#loading !== undefined) return this.#loading;
    const load = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
    const specifier = import.meta.url.endsWith('.ts') ? '../parallel/index.js' : './parallel.js';
    this.#loading = load(specifier).then(
      (entry) => (this.#ready = new (entry as typeof import('../parallel/index.js')).ParallelRunner(this.workers)),
      (error: unknown) => {
        this.#loading = undefined;
        throw new TheusError(
          'POOL_WORKER_FAILED',
          `Parallel processes run in Node worker threads, and theus/parallel could not be loaded: ${error instanceof Error ? error.message : String(error)}.`,
          { cause: error },
        );
      },
    );
    return this.#loading;
  }
}
