import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ContractViolationError } from '../errors/index.js';
import { formatPath, parsePath, type PathSegments } from '../context/paths.js';
import { zoneOfPath } from '../context/zones.js';
import { buildAccessTree, type AccessTree } from './access-tree.js';
import { callerModule } from './process-module.js';
import type { Update } from './update.js';

/** What a process is for: `pure` ones may only return values; `effect` and `guide` may write. */
export type Semantic = 'pure' | 'effect' | 'guide';

/** The contract a process declares: what it reads, writes and may throw. */
export interface ProcessContract<TIn extends readonly string[] = readonly string[], TOut extends readonly string[] = readonly string[]> {
  /** The registry name; optional when the function is named. */
  readonly name?: string;
  /** Dotted paths the process reads; each covers its subtree. */
  readonly inputs?: TIn;
  /** Dotted paths the process writes (and may read). */
  readonly outputs?: TOut;
  /** Error names (`error.name` or `error.code`) the process may throw; others are wrapped. */
  readonly errors?: readonly string[];
  /** Documentation of external effects, checked by the linter. */
  readonly sideEffects?: readonly string[];
  /** Defaults to `'effect'`. */
  readonly semantic?: Semantic;
  /**
   * Run in the worker pool (`workers` engine option): the arguments and the declared paths are
   * copied to a worker thread (HEAVY shared memory is shared, not copied), the writes come back
   * and commit through the normal commit path.
   */
  readonly parallel?: boolean;
  /**
   * The module a worker thread imports to find this process (a `file:` URL, usually
   * `import.meta.url`). Optional: a parallel process defined at the top level of a module is found
   * in the module that called `process()`; give it when the process is exported from another one.
   */
  readonly module?: string;
  /**
   * How long one run may take, in milliseconds, before it fails with `WriteTimeoutError`
   * (`TX_WRITE_TIMEOUT`) and commits nothing: the process settling, waiting for its turn, its
   * commit checks, and for a parallel process its worker (a worker that never answers is cancelled
   * and replaced). Defaults to the engine's `conflict.writeTimeoutMs`.
   */
  readonly timeoutMs?: number;
  /** A Standard Schema (zod, valibot, arktype) the arguments must satisfy. */
  readonly args?: StandardSchemaV1;
}

/** The helpers every `ctx` carries besides its declared paths. */
export interface ProcessHelpers {
  /** Per-run scratch space, discarded after the run. */
  readonly local: Record<string, unknown>;
  /** Messages enqueued in the same commit as the state change. */
  readonly outbox: { add(topic: string, payload?: unknown): void };
  /** Appends a line to the engine's META log when the run commits. */
  log(message: string): void;
  /** Emits a signal on commit; needs `signal` (or a `sig_`/`cmd_` path) among the outputs. */
  signal(topic: string, payload?: unknown): void;
}

/** The function of a process. */
export type ProcessFunction<TCtx, TArgs, TReturn> = (ctx: TCtx, args: TArgs) => TReturn;

/** The contract after validation: parsed paths and the access tree guards use. */
export interface CompiledContract {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly inputPaths: readonly PathSegments[];
  readonly outputPaths: readonly PathSegments[];
  readonly errors: readonly string[] | undefined;
  readonly sideEffects: readonly string[];
  readonly semantic: Semantic;
  readonly parallel: boolean;
  /** Where a worker finds the process: the `module` option, or for a parallel process the module that defined it. */
  readonly module: string | undefined;
  /** The run's time limit, when the contract sets one (else the engine's write timeout). */
  readonly timeoutMs: number | undefined;
  readonly args: StandardSchemaV1 | undefined;
  readonly access: AccessTree;
  /** True when `ctx.signal()` may be used. */
  readonly emitsSignals: boolean;
}

const PROCESS: unique symbol = Symbol('theus.process');

/** A registered-ready process: its compiled contract and its function. */
export interface ProcessDefinition<TArgs = unknown, TReturn = unknown> {
  readonly [PROCESS]: true;
  readonly name: string;
  readonly contract: CompiledContract;
  readonly fn: ProcessFunction<never, TArgs, TReturn>;
}

/** Any process definition. */
export type AnyProcess = ProcessDefinition<never>;

/** What `engine.execute` resolves to for a process returning `R`. */
export type ResultOf<R> = Awaited<R> extends Update<infer T> ? T : Awaited<R>;

/**
 * The arguments `engine.execute` takes after a process: its declared `args` (optional when they
 * accept `undefined`); anything for a process named by string or typed as {@link AnyProcess}.
 */
export type ExecuteArgs<TProcess> = [TProcess] extends [never]
  ? [args?: unknown]
  : TProcess extends ProcessDefinition<infer TArgs>
    ? [TArgs] extends [never]
      ? [args?: unknown]
      : undefined extends TArgs
        ? [args?: TArgs]
        : [args: TArgs]
    : [args?: unknown];

/** What `engine.execute(process)` resolves to: the process's result, `unknown` for a name. */
export type ExecuteResult<TProcess> = [TProcess] extends [never]
  ? unknown
  : TProcess extends ProcessDefinition<never, infer TReturn>
    ? ResultOf<TReturn>
    : unknown;

/** True when `value` is a process definition made by {@link process}. */
export function isProcess(value: unknown): value is AnyProcess {
  return typeof value === 'object' && value !== null && (value as { [PROCESS]?: unknown })[PROCESS] === true;
}

/** The longest `timeoutMs` (the longest delay a timer supports). */
const MAX_TIMEOUT_MS = 2_147_483_647;

const CONTRACT_KEYS = new Set([
  'name',
  'inputs',
  'outputs',
  'errors',
  'sideEffects',
  'semantic',
  'parallel',
  'module',
  'timeoutMs',
  'args',
]);
const SEMANTICS = new Set<string>(['pure', 'effect', 'guide']);

/**
 * Defines a process: a function with a contract. Paths are checked here (malformed paths,
 * PRIVATE paths and SIGNAL/META inputs are rejected), so a bad contract fails at import time.
 *
 * @example
 * ```ts
 * export const deposit = process(
 *   { inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
 *   function deposit(ctx, args: { to: string; amount: number }) {
 *     ctx.domain.accounts[args.to] += args.amount;
 *   },
 * );
 * ```
 * @throws ContractViolationError (`CONTRACT_INVALID`, `CONTRACT_FIREWALL`, `CONTRACT_PRIVATE_PATH`)
 */
export function process<TArgs = undefined, TReturn = unknown>(
  contract: ProcessContract,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the untyped front door: ctx is whatever the contract grants
  fn: ProcessFunction<any, TArgs, TReturn>,
): ProcessDefinition<TArgs, TReturn> {
  const compiled = compileContract(contract, fn);
  return Object.freeze({
    [PROCESS]: true as const,
    name: compiled.name,
    contract: compiled,
    fn: fn as ProcessFunction<never, TArgs, TReturn>,
  });
}

function compileContract(contract: ProcessContract, fn: unknown): CompiledContract {
  if (typeof contract !== 'object' || contract === null) invalid('(unnamed)', `the contract must be an object, got ${typeof contract}`);
  const fnName = typeof fn === 'function' ? fn.name : '';
  const name = contract.name ?? fnName;
  if (typeof name !== 'string' || name === '') invalid('(unnamed)', "give the contract a 'name' or pass a named function");
  if (typeof fn !== 'function') invalid(name, `the process function must be a function, got ${typeof fn}`);
  for (const key of Object.keys(contract)) {
    if (!CONTRACT_KEYS.has(key)) invalid(name, `unknown contract key '${key}' (known: ${[...CONTRACT_KEYS].join(', ')})`);
  }
  const semantic = contract.semantic ?? 'effect';
  if (!SEMANTICS.has(semantic)) invalid(name, `semantic must be 'pure', 'effect' or 'guide', got '${String(semantic)}'`);
  const inputs = stringList(name, 'inputs', contract.inputs);
  const outputs = stringList(name, 'outputs', contract.outputs);
  const where = `Process '${name}'`;
  const inputPaths = inputs.map((p) => parsePath(p, `${where} inputs`));
  const outputPaths = outputs.map((p) => parsePath(p, `${where} outputs`));
  for (const path of [...inputPaths, ...outputPaths]) {
    if (zoneOfPath(path) === 'PRIVATE') {
      throw new ContractViolationError(
        'CONTRACT_PRIVATE_PATH',
        `${where} declares the PRIVATE path '${formatPath(path)}': 'internal_' fields are hidden from processes; change them with engine.edit().`,
        {
          details: { process: name, path: formatPath(path) },
        },
      );
    }
  }
  for (const path of inputPaths) {
    const zone = zoneOfPath(path);
    if (zone === 'SIGNAL' || zone === 'META') {
      throw new ContractViolationError(
        'CONTRACT_FIREWALL',
        `${where} declares the ${zone} path '${formatPath(path)}' as an input: signals and meta data drive control flow, not business logic. Read it in a workflow condition, or declare it as an output.`,
        {
          details: { process: name, path: formatPath(path), zone },
        },
      );
    }
  }
  const errors = contract.errors === undefined ? undefined : stringList(name, 'errors', contract.errors);
  if (contract.args !== undefined && typeof (contract.args as Partial<StandardSchemaV1>)['~standard']?.validate !== 'function') {
    invalid(name, "'args' must be a Standard Schema (zod, valibot, arktype)");
  }
  if (contract.parallel !== undefined && typeof contract.parallel !== 'boolean') invalid(name, "'parallel' must be true or false");
  if (contract.module !== undefined && (typeof contract.module !== 'string' || contract.module === '')) {
    invalid(name, "'module' must be the URL of the module that exports the process (import.meta.url)");
  }
  const timeoutMs: unknown = contract.timeoutMs;
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)
  ) {
    invalid(name, `'timeoutMs' must be a whole number of milliseconds from 1 to ${String(MAX_TIMEOUT_MS)}`);
  }
  const parallel = contract.parallel === true;
  // Found now, while the defining module is on the stack; checked when the process is registered.
  const module = contract.module ?? (parallel ? callerModule() : undefined);
  const emitsSignals = outputPaths.some((p) => zoneOfPath(p) === 'SIGNAL');
  const scoped = (paths: PathSegments[]): PathSegments[] => paths.filter((p) => p[0] !== 'local');
  return Object.freeze({
    name,
    inputs,
    outputs,
    inputPaths: scoped(inputPaths),
    outputPaths: scoped(outputPaths),
    errors,
    sideEffects: stringList(name, 'sideEffects', contract.sideEffects),
    semantic,
    parallel,
    module,
    timeoutMs,
    args: contract.args,
    access: buildAccessTree(scoped(inputPaths), scoped(outputPaths)),
    emitsSignals,
  });
}

function stringList(name: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) invalid(name, `'${key}' must be an array of strings`);
  return [...(value as string[])];
}

function invalid(name: string, problem: string): never {
  throw new ContractViolationError('CONTRACT_INVALID', `Process '${name}' has an invalid contract: ${problem}.`, {
    details: { process: name },
  });
}
