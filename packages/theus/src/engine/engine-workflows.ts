import { WorkflowError } from '../errors/index.js';
import { runWorkflow } from '../flux/index.js';
import { WorkflowCache } from '../flux/workflow-cache.js';
import type { Workflow, WorkflowResult, WorkflowRunOptions, WorkflowRuntime } from '../flux/index.js';
import type { ConditionScope } from '../flux/condition/index.js';
import { loadMachine, Machine } from '../fsm/index.js';
import type { MachineDefinition, MachineOptions } from '../fsm/index.js';
import type { SignalHub } from '../signals/index.js';
import type { InputLimits } from '../yaml/limits.js';

/** Options of `engine.executeWorkflow()`. */
export interface ExecuteWorkflowOptions extends WorkflowRunOptions {
  /** The file name used in positions when `source` is YAML text (default `<inline>`). */
  readonly file?: string;
  /**
   * Bounds on the workflow text or file (size, nesting depth, node count, alias expansions), over
   * the engine's `limits` field by field. A workflow past one is refused with `WORKFLOW_INVALID`.
   */
  readonly limits?: InputLimits;
}

/** A completed workflow run: every step that ran, in completion order, and the operations counted. */
export interface WorkflowRun {
  readonly status: 'complete';
  readonly executed: readonly string[];
  readonly ops: number;
}

/** What workflows and machines need from the engine that runs them. */
export interface WorkflowHost {
  readonly processes: readonly string[];
  readonly signals: SignalHub;
  readonly defaultMaxOps: number;
  /** The engine's condition budget (default 1,000,000 units when absent). */
  readonly defaultConditionBudget?: number;
  /** The engine's bounds on loaded definitions (the defaults when absent). */
  readonly limits?: InputLimits;
  execute(process: string, args: Readonly<Record<string, unknown>> | undefined): Promise<unknown>;
  /** The committed layers by name, and the latched signals of the current version. */
  scope(): ConditionScope;
  /** The names a condition may use. */
  scopeNames(): ReadonlySet<string>;
}

const FILE_PATH = /^[^\n]*\.ya?ml$/i;
/** No file system accepts a longer path: longer text is YAML, whatever it ends with. */
const MAX_PATH_LENGTH = 4096;

/** Each host's workflows loaded from text (see {@link WorkflowCache} for its bounds). */
const caches = new WeakMap<WorkflowHost, WorkflowCache>();

function cacheOf(host: WorkflowHost): WorkflowCache {
  let cache = caches.get(host);
  if (cache === undefined) {
    cache = new WorkflowCache();
    caches.set(host, cache);
  }
  return cache;
}

/** The engine's bounds, overridden field by field by a call's. */
function limitsOf(host: WorkflowHost, limits: InputLimits | undefined): InputLimits | undefined {
  if (limits === undefined) return host.limits;
  if (host.limits === undefined || typeof limits !== 'object' || limits === null) return limits;
  return { ...host.limits, ...limits };
}

/**
 * Loads a workflow from a file path (Node only), YAML text, or an already loaded workflow. Text
 * and files past `limits` (default 1 MiB, depth 100, 100,000 nodes, 100 aliases) are refused with
 * `WORKFLOW_INVALID`; a file is never read past the size bound. Text is loaded once per host and
 * kept in a bounded cache (a file is read on every call: it may have changed).
 */
export async function resolveWorkflow(
  host: WorkflowHost,
  source: string | Workflow,
  file: string | undefined,
  callLimits?: InputLimits,
): Promise<Workflow> {
  if (typeof source !== 'string') return source;
  const limits = limitsOf(host, callLimits);
  if (source.length <= MAX_PATH_LENGTH && FILE_PATH.test(source.trim())) {
    const options = { processes: new Set(host.processes), scopeNames: host.scopeNames(), ...(limits === undefined ? {} : { limits }) };
    // The Node-only entry (node:fs) is loaded at run time through a specifier passed as an
    // argument: bundlers follow only literals (tsdown folds a local constant into one), so a
    // browser bundle of the core holds no Node built-in (test/browser/bundle.test.ts). The
    // path is the same relative to src/engine/ and to dist/.
    const load = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
    const { loadWorkflowFile } = (await load('./node-files.js')) as typeof import('./node-files.js');
    const path = source.trim();
    try {
      return await loadWorkflowFile(path, options);
    } catch (error) {
      if (error instanceof WorkflowError) throw error;
      throw new WorkflowError('WORKFLOW_INVALID', `Cannot read the workflow file '${path}': ${(error as Error).message}.`, {
        details: { file: path },
        cause: error,
      });
    }
  }
  return cacheOf(host).load(source, {
    processes: () => host.processes,
    scopeNames: () => host.scopeNames(),
    ...(limits === undefined ? {} : { limits }),
    ...(file === undefined ? {} : { file }),
  });
}

/**
 * Runs a workflow on the engine. Resolves when every step completed; rejects with the run's
 * `WorkflowError` otherwise (`WORKFLOW_MAX_OPS`, `WORKFLOW_ABORTED`, `WORKFLOW_CONDITION`,
 * `WORKFLOW_STEP_FAILED` with the step's error as `cause`), its details carrying
 * `status: 'failed'`, `executed` and `ops`.
 */
export async function executeWorkflow(
  host: WorkflowHost,
  source: string | Workflow,
  options: ExecuteWorkflowOptions = {},
): Promise<WorkflowRun> {
  const maxOps = options.maxOps;
  if (maxOps !== undefined && (!Number.isInteger(maxOps) || maxOps <= 0)) {
    throw new WorkflowError('WORKFLOW_INVALID', `executeWorkflow() option maxOps must be a positive integer, got ${String(maxOps)}.`, {
      details: { maxOps },
    });
  }
  const workflow = await resolveWorkflow(host, source, options.file, options.limits);
  const runtime: WorkflowRuntime = { execute: (process, args) => host.execute(process, args), scope: () => host.scope() };
  const conditionBudget = options.conditionBudget ?? host.defaultConditionBudget;
  const runOptions: WorkflowRunOptions = {
    maxOps: options.maxOps ?? host.defaultMaxOps,
    ...(conditionBudget === undefined ? {} : { conditionBudget }),
  };
  const result: WorkflowResult = await runWorkflow(workflow, runtime, {
    ...runOptions,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
  });
  if (result.status === 'complete') return { status: 'complete', executed: result.executed, ops: result.ops };
  throw failedRun(result);
}

function failedRun(result: WorkflowResult): WorkflowError {
  const error = result.error ?? new WorkflowError('WORKFLOW_STEP_FAILED', 'The workflow failed without an error.');
  return new WorkflowError(error.code, error.message, {
    details: { ...error.details, status: 'failed', executed: result.executed, ops: result.ops },
    cause: error.cause,
  });
}

/**
 * Builds a state machine whose entries run as engine processes and workflows (`engine.machine()`).
 * The definition is bounded by `options.limits` over the engine's (`FSM_INVALID` past one).
 */
export function createMachine(
  host: WorkflowHost,
  definition: string | object,
  options: MachineOptions & { readonly file?: string; readonly limits?: InputLimits } = {},
): Machine {
  const { file, limits: callLimits, ...machineOptions } = options;
  const limits = limitsOf(host, callLimits);
  const loaded: MachineDefinition = isDefinition(definition)
    ? definition
    : loadMachine(definition, {
        processes: new Set(host.processes),
        ...(file === undefined ? {} : { file }),
        ...(limits === undefined ? {} : { limits }),
      });
  return new Machine(
    loaded,
    {
      execute: (process, args) => host.execute(process, args),
      runWorkflow: (workflowFile) => executeWorkflow(host, workflowFile),
      subscribe: () => host.signals.subscribe(),
    },
    machineOptions,
  );
}

function isDefinition(value: string | object): value is MachineDefinition {
  return (
    typeof value === 'object' &&
    Object.isFrozen(value) &&
    'initial' in value &&
    'states' in value &&
    'events' in value &&
    'warnings' in value
  );
}
