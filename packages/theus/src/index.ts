/**
 * Theus: a process-oriented kernel for application state. Core entry: no Node-specific imports.
 *
 * @packageDocumentation
 */
export { Engine } from './engine/engine.js';
export type { EditDraft, CasChanges, CommitEntry } from './engine/engine.js';
export type { HistoryQuery } from './engine/history-query.js';
export type { EngineOptions, WorkersOption } from './engine/options.js';
export type { EngineEvents, CommitEvent, RollbackEvent, ConflictEvent, SignalEvent, AuditEvent, WarningEvent } from './engine/events.js';
export { EngineAudit } from './engine/engine-audit.js';
export type { AuditOption, EngineAuditOptions } from './engine/engine-audit.js';
export { process } from './contract/process.js';
export type {
  ProcessContract,
  ProcessDefinition,
  ProcessHelpers,
  ProcessFunction,
  Semantic,
  AnyProcess,
  ResultOf,
  CompiledContract,
  ExecuteArgs,
  ExecuteResult,
} from './contract/process.js';
export { update, isUpdate } from './contract/update.js';
export type { Update, UpdateOptions, DeclaredOutputs, CheckedValues } from './contract/update.js';
export type { TypedUpdate } from './contract/typed-return.js';
export type { TypeHint, PathHint } from './contract/type-hint.js';
export { createTheus } from './contract/create-theus.js';
export type { Theus, TypedContract, TypedContext, TypedReturn } from './contract/create-theus.js';
export type { CheckPath, CheckPaths, ValueAt, DeepReadonly, ContextData } from './contract/path-types.js';
export type { ExecuteWorkflowOptions, WorkflowRun } from './engine/engine-workflows.js';
export { DEFAULT_CONDITION_BUDGET, DEFAULT_INPUT_LIMITS } from './flux/index.js';
export type { ConditionEvaluationOptions, InputLimits } from './flux/index.js';
export { loadWorkflow, runWorkflow, serializeWorkflow, DEFAULT_MAX_OPS } from './flux/index.js';
export type {
  Workflow,
  WorkflowStep,
  WorkflowLoadOptions,
  WorkflowResult,
  WorkflowRunOptions,
  WorkflowRuntime,
  WorkflowStatus,
  WorkflowStatusInfo,
} from './flux/index.js';
export { parseCondition, ConditionSyntaxError } from './flux/condition/index.js';
export type { CompiledCondition, ConditionScope } from './flux/condition/index.js';
export { loadMachine, Machine, EVT_CHAIN_DONE, EVT_CHAIN_FAIL } from './fsm/index.js';
export type { MachineDefinition, MachineLoadOptions, MachineOptions, MachineSendResult, MachineTransition } from './fsm/index.js';
export { loadAuditRecipe, AuditTracker } from './audit/index.js';
export type {
  AuditRecipe,
  AuditRecipeInput,
  AuditLogEntry,
  AuditCounter,
  AuditFailure,
  AuditOutcome,
  AuditLevel,
  AuditAction,
  AuditGate,
} from './audit/index.js';
export { SignalHub } from './signals/index.js';
export type { SignalHubOptions, SignalMessage, SignalSubscription, SubscribeOptions } from './signals/index.js';
export { memoryStore } from './store/memory-store.js';
export { EngineOutbox } from './outbox/engine-outbox.js';
export { EngineHeavy, HEAVY_MAX_BYTES, HEAVY_TYPES, MAX_HEAVY_NAME_LENGTH } from './heavy/index.js';
export type {
  HeavyHost,
  HeavyAllocOptions,
  HeavyArray,
  HeavyArrayTypes,
  HeavyType,
  HeavyValue,
  SharedFloat16Array,
} from './heavy/index.js';
export type { OutboxOptions } from './outbox/outbox-options.js';
export type { OutboxHandler } from './outbox/run-handler.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type {
  Store,
  CommitRecord,
  CommitUnit,
  StoreContents,
  OutboxLedger,
  OutboxEntry,
  OutboxEnvelope,
  OutboxFailure,
  Replay,
  SharedLog,
  SharedCommitResult,
  CommitCheck,
} from './store/store.js';
export type { ConflictPolicy } from './transaction/backoff.js';
export type { Patch } from './transaction/patches.js';
export type { OutboxMessage } from './transaction/run-effects.js';
export type { Zone } from './context/zones.js';
export { zoneOfPath } from './context/zones.js';
export { toPlain } from './context/to-plain.js';
export {
  TheusError,
  ERROR_CODES,
  ContractViolationError,
  ConflictError,
  WriteTimeoutError,
  SchemaViolationError,
  AuditError,
  AuditBlockError,
  AuditAbortError,
  AuditStopError,
  WorkflowError,
  SignalLagError,
  StoreError,
} from './errors/index.js';
export type { TheusErrorCode, TheusErrorDetails, TheusErrorOptions } from './errors/index.js';
