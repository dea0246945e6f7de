import { TheusError } from '../errors/index.js';
import type { CompiledContract } from '../contract/process.js';
import type { Attempt } from '../transaction/attempt.js';
import type { Cancellation } from '../engine/transactor.js';
import { assertCloneable } from './cloneable.js';
import { decodeError } from './error-codec.js';
import { replayReply } from './replay-reply.js';
import { workerState } from './worker-state.js';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
import type { TaskRequest, WireContract } from './wire.js';

/**
 * Runs attempts of parallel processes in an engine's worker pool (created on first use): sends
 * the arguments and the declared state, waits for the reply, rebuilds a thrown error, and turns
 * a successful reply into an attempt the engine's commit path takes like any other (see
 * replay-reply.ts for why the reply is made again on this thread).
 */
export class ParallelRunner {
  readonly #options: WorkerPoolOptions;
  #pool: WorkerPool | undefined;
  readonly #wire = new WeakMap<CompiledContract, WireContract>();

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  /**
   * Checks before a run that its arguments can cross to a worker.
   *
   * @throws TheusError (`POOL_UNCLONEABLE`) naming the process and the path.
   */
  checkArgs(contract: CompiledContract, args: unknown): void {
    assertCloneable(contract.name, 'args', args);
  }

  /**
   * One attempt on the committed `root` in a worker; `cancellation` aborts it (the thread is
   * stopped and replaced). Resolves to the attempt to commit.
   */
  async run(
    contract: CompiledContract,
    kind: 'process' | 'open',
    root: object,
    args: unknown,
    cancellation: Cancellation,
  ): Promise<Attempt> {
    const request: TaskRequest = {
      module: contract.module as string,
      contract: this.#wireOf(contract),
      kind,
      args,
      state: workerState(root, kind === 'open' ? undefined : [...contract.inputPaths, ...contract.outputPaths]),
    };
    const pool = (this.#pool ??= new WorkerPool(this.#options));
    let reply;
    try {
      reply = await pool.run(request, cancellation);
    } catch (error) {
      throw workerFailed(contract.name, error);
    }
    if (!reply.ok) throw decodeError(reply.error);
    return replayReply(kind, contract, root, reply);
  }

  /** Threads running now (0 before the first parallel run). */
  get threads(): number {
    return this.#pool?.threads ?? 0;
  }

  /** Stops the pool's threads. */
  close(): Promise<void> {
    return this.#pool?.close() ?? Promise.resolve();
  }

  #wireOf(contract: CompiledContract): WireContract {
    let wire = this.#wire.get(contract);
    if (wire === undefined) {
      const { name, inputs, outputs, errors, semantic } = contract;
      wire = { name, inputs, outputs, errors, semantic };
      this.#wire.set(contract, wire);
    }
    return wire;
  }
}

/** The error of a run whose worker did not reply: it crashed, exited, ran out of memory, or the task could not be sent. */
function workerFailed(process: string, error: unknown): TheusError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'DataCloneError') {
    return new TheusError(
      'POOL_UNCLONEABLE',
      `Parallel process '${process}' could not be sent to a worker (${message}): its arguments and declared state must be plain data or binaries. Nothing was committed.`,
      { details: { process }, cause: error },
    );
  }
  return new TheusError(
    'POOL_WORKER_FAILED',
    `Parallel process '${process}' failed because its worker thread stopped (${message}): an uncaught exception outside the process's own code path, process.exit(), or running out of memory. The thread was replaced and the pool keeps serving; nothing of this run was committed.`,
    { details: { process }, cause: error },
  );
}
