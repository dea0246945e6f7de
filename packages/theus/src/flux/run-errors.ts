import { AuditAbortError, WorkflowError } from '../errors/index.js';
import type { SourcePosition } from '../yaml/source-issue.js';
import type { ProcessStep, WorkflowCondition } from './workflow-ir.js';

/** `file:line:column` of a step or condition. */
function at(file: string, pos: SourcePosition): string {
  return `${file}:${String(pos.line)}:${String(pos.column)}`;
}

/** The safety trip: more operations than `maxOps`. */
export function maxOpsError(file: string, pos: SourcePosition, maxOps: number, ops: number): WorkflowError {
  return new WorkflowError(
    'WORKFLOW_MAX_OPS',
    `${at(file, pos)}: workflow safety trip: more than ${String(maxOps)} operations. Check for an infinite loop, or raise maxOps if the run is meant to be this long.`,
    { details: { file, line: pos.line, column: pos.column, maxOps, ops } },
  );
}

/** The run was cancelled through its AbortSignal. */
export function abortedError(file: string, pos: SourcePosition, reason: unknown, ops: number): WorkflowError {
  return new WorkflowError('WORKFLOW_ABORTED', `${at(file, pos)}: workflow aborted before this step (${String(ops)} operations done).`, {
    details: { file, line: pos.line, column: pos.column, ops },
    cause: reason,
  });
}

/** A process step threw or rejected; the step's error is the cause. */
export function stepFailedError(file: string, step: ProcessStep, cause: unknown): WorkflowError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const stop = cause instanceof AuditAbortError ? ' An audit abort stops the whole workflow.' : '';
  return new WorkflowError('WORKFLOW_STEP_FAILED', `${at(file, step.pos)}: step '${step.process}' failed: ${reason}.${stop}`, {
    details: { file, line: step.pos.line, column: step.pos.column, process: step.process },
    cause,
  });
}

/** A condition could not be evaluated (unknown name at run time, a bad operand, ...). */
export function conditionError(file: string, condition: WorkflowCondition, cause: unknown): WorkflowError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const inner = cause instanceof WorkflowError ? cause.details : {};
  return new WorkflowError('WORKFLOW_CONDITION', `${at(file, condition.pos)}: condition "${condition.source}" failed: ${reason}`, {
    details: { ...inner, file, line: condition.pos.line, column: condition.pos.column, condition: condition.source },
    cause,
  });
}
