/**
 * Workflows (Flux DSL): load → validate → compile to a frozen IR → run against a runtime.
 * No Node-specific imports here; `loadWorkflowFile` lives in `./load-workflow-file.js`.
 *
 * @packageDocumentation
 */
export { loadWorkflow, invalidWorkflow } from './load-workflow.js';
export type { WorkflowLoadOptions } from './load-workflow.js';
export { runWorkflow } from './run-workflow.js';
export { serializeWorkflow, workflowToData } from './serialize-workflow.js';
export type { SerializedStep } from './serialize-workflow.js';
export { DEFAULT_MAX_OPS } from './workflow-runtime.js';
export type { WorkflowResult, WorkflowRunOptions, WorkflowRuntime, WorkflowStatus, WorkflowStatusInfo } from './workflow-runtime.js';
export type { IfStep, ParallelStep, ProcessStep, RunStep, WhileStep, Workflow, WorkflowCondition, WorkflowStep } from './workflow-ir.js';
export { compiledConditionOf } from './compiled-conditions.js';
export { DEFAULT_CONDITION_BUDGET } from './condition/index.js';
export type { ConditionEvaluationOptions } from './condition/index.js';
export { DEFAULT_INPUT_LIMITS } from '../yaml/limits.js';
export type { InputLimits } from '../yaml/limits.js';
