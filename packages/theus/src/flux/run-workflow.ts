import { AuditAbortError, WorkflowError } from '../errors/index.js';
import type { SourcePosition } from '../yaml/source-issue.js';
import { checkBudget, type ConditionEvaluationOptions } from './condition/index.js';
import { compiledConditionOf } from './compiled-conditions.js';
import { afterThisTurn } from './event-turn.js';
import { abortedError, conditionError, maxOpsError, stepFailedError } from './run-errors.js';
import type { ParallelStep, ProcessStep, WhileStep, Workflow, WorkflowCondition, WorkflowStep } from './workflow-ir.js';
import {
  DEFAULT_MAX_OPS,
  type WorkflowResult,
  type WorkflowRunOptions,
  type WorkflowRuntime,
  type WorkflowStatus,
} from './workflow-runtime.js';

/**
 * Runs a loaded workflow against a runtime. Steps run in order, depth first; the operation
 * counter rises once per step visited (before it runs) and once per `while` iteration (after
 * its condition held), and the run fails with `WORKFLOW_MAX_OPS` as soon as it exceeds `maxOps`.
 * Each condition evaluation may spend `conditionBudget` work units (default 1,000,000).
 *
 * Statuses: `pending` → `running` → `complete` | `failed`, with `waiting-io` in between only
 * while a step really waits: its promise did not settle within the turn of the event loop that
 * started it (a synchronous step, or one whose promise settles at once, never reports it).
 *
 * The returned promise always resolves: a failure is `{ status: 'failed', error }` where
 * `error` is a `WorkflowError` (`WORKFLOW_MAX_OPS`, `WORKFLOW_ABORTED`, `WORKFLOW_CONDITION`, or
 * `WORKFLOW_STEP_FAILED` with the process's error as `cause`). Only an invalid `maxOps`
 * (`TypeError`) or `conditionBudget` (`WorkflowError` `WORKFLOW_INVALID`) rejects.
 *
 * @example
 * ```ts
 * const result = await runWorkflow(loadWorkflow(text), runtime, { maxOps: 500 });
 * if (result.status === 'failed') console.error(result.error);
 * ```
 */
export async function runWorkflow(workflow: Workflow, runtime: WorkflowRuntime, options: WorkflowRunOptions = {}): Promise<WorkflowResult> {
  const maxOps = options.maxOps ?? DEFAULT_MAX_OPS;
  if (typeof maxOps !== 'number' || Number.isNaN(maxOps) || maxOps < 0) {
    throw new TypeError(`maxOps must be a number >= 0 (got ${String(maxOps)})`);
  }
  const budget = checkBudget(options.conditionBudget);
  const run = new WorkflowRun(workflow.file, runtime, maxOps, options, { budget, freshScope: true });
  return run.start(workflow.steps);
}

/** A list of steps being run: the next step to run and, for a loop body, its `while` step. */
interface Block {
  readonly steps: readonly WorkflowStep[];
  next: number;
  readonly loop: WhileStep | undefined;
}

/** The mutable state of one run. */
class WorkflowRun {
  ops = 0;
  readonly executed: string[] = [];
  #status: WorkflowStatus | undefined;
  #waiting = 0;
  /** Set when a branch must stop its siblings (an audit abort). */
  #halt: WorkflowError | undefined;
  readonly #signal: AbortSignal | undefined;
  /** Whether anyone observes statuses (the io transitions are skipped otherwise). */
  readonly #observed: boolean;
  /** The options every condition evaluation gets (its work budget; the scope is built for it alone). */
  readonly #evaluation: ConditionEvaluationOptions;

  constructor(
    readonly file: string,
    readonly runtime: WorkflowRuntime,
    readonly maxOps: number,
    readonly options: WorkflowRunOptions,
    evaluation: ConditionEvaluationOptions,
  ) {
    this.#signal = options.signal;
    this.#observed = options.onStatus !== undefined;
    this.#evaluation = evaluation;
    this.#setStatus('pending');
  }

  async start(steps: readonly WorkflowStep[]): Promise<WorkflowResult> {
    this.#setStatus('running');
    try {
      await this.#runList(steps);
    } catch (error) {
      this.#setStatus('failed');
      const failure = error instanceof WorkflowError ? error : new WorkflowError('WORKFLOW_STEP_FAILED', String(error), { cause: error });
      return { status: 'failed', executed: [...this.executed], ops: this.ops, error: failure };
    }
    this.#setStatus('complete');
    return { status: 'complete', executed: [...this.executed], ops: this.ops };
  }

  /**
   * Runs a list of steps in one async frame: `if`, `while` and `run` blocks are entered by pushing
   * the list being run on a stack, not by a nested call, so a loop iteration costs no promise of
   * its own. A loop body that ends re-tests its condition and starts again, or returns to its parent.
   */
  async #runList(steps: readonly WorkflowStep[]): Promise<void> {
    const parents: Block[] = [];
    let block: Block = { steps, next: 0, loop: undefined };
    for (;;) {
      if (block.next === block.steps.length) {
        const loop = block.loop;
        if (loop !== undefined && this.#test(loop.condition)) {
          this.#count(loop.pos);
          block.next = 0;
          continue;
        }
        const parent = parents.pop();
        if (parent === undefined) return;
        block = parent;
        continue;
      }
      const step = block.steps[block.next++] as WorkflowStep;
      this.#count(step.pos);
      switch (step.kind) {
        case 'process': {
          // The hot path, inlined: an extra async frame per step would be most of the runner's cost.
          const watch = this.#observed ? this.#watch() : undefined;
          let out: unknown;
          try {
            out = this.runtime.execute(step.process, step.args);
            if (out instanceof Promise || isThenable(out)) await out;
          } catch (error) {
            watch?.end(false);
            throw this.#stepFailed(step, error);
          }
          watch?.end(true);
          this.executed.push(step.process);
          break;
        }
        case 'if':
          parents.push(block);
          block = { steps: this.#test(step.condition) ? step.then : step.else, next: 0, loop: undefined };
          break;
        case 'while':
          if (this.#test(step.condition)) {
            this.#count(step.pos);
            parents.push(block);
            block = { steps: step.do, next: 0, loop: step };
          }
          break;
        case 'run':
          parents.push(block);
          block = { steps: step.steps, next: 0, loop: undefined };
          break;
        case 'parallel':
          await this.#parallel(step);
          break;
      }
    }
  }

  /** One operation: the abort check, the counter and the safety trip. */
  #count(pos: SourcePosition): void {
    if (this.#halt !== undefined) throw this.#halt;
    const signal = this.#signal;
    if (signal !== undefined && signal.aborted) throw abortedError(this.file, pos, signal.reason, this.ops);
    if (++this.ops > this.maxOps) throw maxOpsError(this.file, pos, this.maxOps, this.ops);
  }

  /**
   * Watches one step (only when statuses are observed): if it is still running once the event loop
   * has moved on from the turn that started it, the run is `waiting-io` until it ends. The watch
   * starts before the step, so that the step's own timers and immediates come after it.
   */
  #watch(): { end(succeeded: boolean): void } {
    let waiting = false;
    const cancel = afterThisTurn(() => {
      waiting = true;
      if (this.#waiting++ === 0) this.#setStatus('waiting-io');
    });
    return {
      end: (succeeded) => {
        cancel();
        if (waiting && --this.#waiting === 0 && succeeded) this.#setStatus('running');
      },
    };
  }

  #stepFailed(step: ProcessStep, error: unknown): WorkflowError {
    const failure = stepFailedError(this.file, step, error);
    if (error instanceof AuditAbortError) this.#halt ??= failure;
    return failure;
  }

  #test(condition: WorkflowCondition): boolean {
    try {
      return compiledConditionOf(condition).test(this.runtime.scope(), this.#evaluation);
    } catch (error) {
      throw conditionError(this.file, condition, error);
    }
  }

  /** Runs every branch concurrently; once all settled, the first failure (in branch order) fails the step. */
  async #parallel(step: ParallelStep): Promise<void> {
    const settled = await Promise.allSettled(step.branches.map((branch) => this.#runList(branch)));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (this.#halt !== undefined) throw this.#halt;
    if (failed !== undefined) throw failed.reason;
  }

  #setStatus(next: WorkflowStatus): void {
    const previous = this.#status;
    if (previous === next) return;
    this.#status = next;
    const observer = this.options.onStatus;
    if (observer === undefined) return;
    try {
      observer(next, { previous, ops: this.ops, executed: [...this.executed] });
    } catch {
      // An observer must never break the run (as in the original).
    }
  }
}

/** True for promises and promise-like values. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
