import type { StandardSchemaV1 } from '@standard-schema/spec';
import { process as defineProcess, type ProcessDefinition, type ProcessHelpers, type Semantic } from './process.js';
import { update as untypedUpdate, type CheckedValues, type DeclaredOutputs, type Update, type UpdateOptions } from './update.js';
import type { CheckPaths, ContextData } from './path-types.js';
import type { CheckedReturn, ReturnShapes } from './typed-return.js';
import { Engine } from '../engine/engine.js';
import type { EngineOptions } from '../engine/options.js';

/** A contract whose paths are checked against the state type `S`. */
export interface TypedContract<S, TIn extends readonly string[], TOut extends readonly string[]> {
  readonly name?: string;
  readonly inputs?: CheckPaths<S, TIn>;
  readonly outputs?: CheckPaths<S, TOut>;
  readonly errors?: readonly string[];
  readonly sideEffects?: readonly string[];
  readonly semantic?: Semantic;
  readonly parallel?: boolean;
  /** The module a worker imports to find a parallel process (see `ProcessContract.module`). */
  readonly module?: string;
  /** How long one run may take (see `ProcessContract.timeoutMs`). */
  readonly timeoutMs?: number;
  readonly args?: StandardSchemaV1;
}

/** The `ctx` of a typed process: exactly the declared paths, inputs deeply read-only. */
export type TypedContext<S, TIn extends string, TOut extends string> = ContextData<S, TIn, TOut> & ProcessHelpers;

export type { TypedReturn, TypedUpdate } from './typed-return.js';

/** The typed front door returned by {@link createTheus}. */
export interface Theus<S extends object> {
  /**
   * Defines a process whose paths are checked against `S` at compile time; its return value is
   * checked against its outputs (see `TypedReturn`): a wrong return is a compile error at the `return`.
   */
  process<
    const TIn extends readonly string[] = readonly [],
    const TOut extends readonly string[] = readonly [],
    TArgs = undefined,
    TReturn = unknown,
  >(
    contract: TypedContract<S, TIn, TOut>,
    fn: (ctx: TypedContext<S, TIn[number], TOut[number]>, args: TArgs) => CheckedReturn<S, TOut, TReturn> | ReturnShapes<S, TOut>,
  ): ProcessDefinition<TArgs, TReturn>;
  /**
   * Builds an explicit update (see {@link update}). Returned from a typed process, its keys are
   * checked against that process's outputs; elsewhere, against the paths of `S`.
   */
  update<TValues extends Readonly<Record<string, unknown>>, TOutputs = DeclaredOutputs<S, string>, TResult = undefined>(
    values: TValues extends CheckedValues<TValues, TOutputs> ? TValues : CheckedValues<TValues, TOutputs>,
    options?: UpdateOptions<TResult>,
  ): Update<NoInfer<TResult>, TOutputs>;
  /** Creates an engine over a context of type `S`. */
  engine(options: EngineOptions<S>): Engine<S>;
}

/**
 * Binds the state type once; every process defined through the result has its paths checked
 * at compile time (a typo names the valid keys) and a `ctx` typed to exactly its contract.
 *
 * @example
 * ```ts
 * interface Bank { domain: { accounts: Record<string, number> } }
 * const t = createTheus<Bank>();
 * const deposit = t.process({ inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
 *   function deposit(ctx, args: { to: string; amount: number }) { ctx.domain.accounts[args.to] += args.amount; });
 * ```
 */
export function createTheus<S extends object>(): Theus<S> {
  return {
    process: (contract, fn) => defineProcess(contract as never, fn as never) as never,
    update: untypedUpdate as Theus<S>['update'],
    engine: (options) => new Engine<S>(options),
  };
}
