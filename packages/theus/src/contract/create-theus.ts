import type { StandardSchemaV1 } from '@standard-schema/spec';
import { process as defineProcess, type ProcessDefinition, type ProcessHelpers, type Semantic } from './process.js';
import { update as untypedUpdate, type Update, type UpdateOptions } from './update.js';
import type { CheckPaths, ContextData, SpecialRoot, ValueAt } from './path-types.js';
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
  readonly args?: StandardSchemaV1;
}

/** The `ctx` of a typed process: exactly the declared paths, inputs deeply read-only. */
export type TypedContext<S, TIn extends string, TOut extends string> = ContextData<S, TIn, TOut> & ProcessHelpers;

type OutputValues<S, TOut extends string> = { readonly [P in Exclude<TOut, SpecialRoot>]?: ValueAt<S, P> };

/** What a typed process may return, given its outputs. */
export type TypedReturn<S, TOut extends readonly string[]> =
  | void
  | undefined
  | Update<unknown>
  | (DataOutputs<TOut> extends []
      ? unknown
      : DataOutputs<TOut> extends [infer Only extends string]
        ? ValueAt<S, Only>
        : readonly unknown[] | OutputValues<S, TOut[number]>);

/** The declared outputs that take returned values: the bare `signal` / `cmd` outputs only grant `ctx.signal()`. */
type DataOutputs<T extends readonly string[]> = T extends readonly [infer H extends string, ...infer R extends readonly string[]]
  ? H extends 'signal' | 'cmd'
    ? DataOutputs<R>
    : [H, ...DataOutputs<R>]
  : [];

/** The typed front door returned by {@link createTheus}. */
export interface Theus<S extends object> {
  /** Defines a process whose paths are checked against `S` at compile time. */
  process<
    const TIn extends readonly string[] = readonly [],
    const TOut extends readonly string[] = readonly [],
    TArgs = undefined,
    TReturn extends TypedReturn<S, TOut> | Promise<TypedReturn<S, TOut>> = TypedReturn<S, TOut>,
  >(
    contract: TypedContract<S, TIn, TOut>,
    fn: (ctx: TypedContext<S, TIn[number], TOut[number]>, args: TArgs) => TReturn,
  ): ProcessDefinition<TArgs, TReturn>;
  /** Builds an explicit update whose keys are checked paths of `S`. */
  update<TResult = undefined>(values: { readonly [P in string]?: unknown }, options?: UpdateOptions<TResult>): Update<TResult>;
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
    update: untypedUpdate,
    engine: (options) => new Engine<S>(options),
  };
}
