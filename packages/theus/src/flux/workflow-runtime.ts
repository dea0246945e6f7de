import type { ConditionScope } from './condition/index.js';
import type { WorkflowError } from '../errors/index.js';

/**
 * What a workflow run needs from its host (the engine, or a test double). The runner never
 * touches state itself: it asks the runtime to run processes and to expose the condition scope.
 */
export interface WorkflowRuntime {
  /**
   * Runs one process. Return the result directly for a synchronous step, or a promise for an
   * asynchronous one: while a returned promise is still pending after the current turn of the
   * event loop, the run reports `waiting-io`. A throw or a rejection fails the step.
   */
  execute(process: string, args: Readonly<Record<string, unknown>> | undefined): unknown;
  /**
   * The names conditions read: committed state by layer plus `signal` / `cmd`. Called at every
   * condition evaluation, so conditions always see the latest commit.
   */
  scope(): ConditionScope;
}

/**
 * The life cycle of a run: pending → running ⇄ waiting-io → complete | failed. `waiting-io` is
 * reported only while a step really waits (its promise outlived the event-loop turn that started it).
 */
export type WorkflowStatus = 'pending' | 'running' | 'waiting-io' | 'complete' | 'failed';

/** What a status observer receives beside the new status. */
export interface WorkflowStatusInfo {
  /** The status before this one (undefined for the first, `pending`). */
  readonly previous: WorkflowStatus | undefined;
  /** Operations counted so far. */
  readonly ops: number;
  /** Process names completed so far, in completion order. */
  readonly executed: readonly string[];
}

/** Options of `runWorkflow`. */
export interface WorkflowRunOptions {
  /** The safety trip: the run fails with `WORKFLOW_MAX_OPS` when it counts more operations (default 10,000). */
  readonly maxOps?: number;
  /**
   * The work budget of each condition evaluation, in units: one per list item, mapping entry or
   * character built, copied, compared or scanned (default 1,000,000; `Infinity` switches it off).
   * A condition that needs more fails the run with `WORKFLOW_CONDITION` within milliseconds.
   */
  readonly conditionBudget?: number;
  /** Cancels the run between steps (`WORKFLOW_ABORTED`, the signal's reason as cause). */
  readonly signal?: AbortSignal;
  /** Called on every status change; exceptions thrown by the observer are ignored. */
  readonly onStatus?: (status: WorkflowStatus, info: WorkflowStatusInfo) => void;
}

/** How a run ended. A failure is a value (`status: 'failed'` with `error`), never a rejection. */
export interface WorkflowResult {
  /** `complete`, or `failed` with `error` set. */
  readonly status: 'complete' | 'failed';
  /** Process names that completed, in completion order. */
  readonly executed: readonly string[];
  /** Operations counted (each step visited, each loop iteration). */
  readonly ops: number;
  /** Why the run failed: `WORKFLOW_MAX_OPS`, `WORKFLOW_ABORTED`, `WORKFLOW_CONDITION` or `WORKFLOW_STEP_FAILED`. */
  readonly error?: WorkflowError;
}

/** The default safety trip, as in the original (`THEUS_MAX_LOOPS`). */
export const DEFAULT_MAX_OPS = 10_000;
