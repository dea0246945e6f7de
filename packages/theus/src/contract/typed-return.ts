/**
 * What a typed process may return, checked against its declared outputs at compile time. Only the
 * declared outputs are looked at (never the whole state type), so the cost stays per process.
 */
import type { DeclaredOutputs, Update } from './update.js';
import type { StripStar, ValueAt } from './path-types.js';
import type { TypeHint } from './type-hint.js';

type LocalPath = 'local' | `local.${string}`;

/** The outputs that take returned values: not `local` (not state), not the bare `signal` / `cmd` (they grant `ctx.signal()`). */
type DataOutputs<T extends readonly string[]> = T extends readonly [infer H extends string, ...infer R extends readonly string[]]
  ? H extends 'signal' | 'cmd' | LocalPath
    ? DataOutputs<R>
    : [H, ...DataOutputs<R>]
  : [];

/** The values of the outputs that take returned values, by position (what a returned array maps to). */
type OutputTuple<S, T extends readonly string[]> = T extends readonly [infer H extends string, ...infer R extends readonly string[]]
  ? H extends 'signal' | 'cmd' | LocalPath
    ? OutputTuple<S, R>
    : readonly [ValueAt<S, H>, ...OutputTuple<S, R>]
  : readonly [];

/** The values of the outputs keyed by declared path (what a returned object maps to). */
type OutputValues<S, TOut extends string> = { readonly [P in TOut]?: ValueAt<S, P> };

/** The update a typed process may return: keys among its outputs (or below them), values of their types. */
export type TypedUpdate<S, TOut extends readonly string[]> = Update<
  unknown,
  DeclaredOutputs<S, StripStar<Exclude<TOut[number], LocalPath>>>
>;

type ReturnedValues<S, D extends readonly string[]> = D extends []
  ? unknown
  : D extends [infer Only extends string]
    ? ValueAt<S, Only>
    : OutputTuple<S, D> | OutputValues<S, D[number]>;

/**
 * What a typed process may return, given its outputs: `undefined` (shadow writes only), a
 * {@link TypedUpdate}, the value of its single output, or with several outputs a tuple of their
 * values in declared order or an object keyed by output path.
 */
export type TypedReturn<S, TOut extends readonly string[]> = void | undefined | TypedUpdate<S, TOut> | ReturnedValues<S, DataOutputs<TOut>>;

/**
 * A typed process function's return type is checked against `CheckedReturn | ReturnShapes`.
 * While `TReturn` is being inferred, the `void` branch is what `return update({...})` sees, so
 * that the generic call learns the declared outputs; once inferred, a valid return is itself and
 * a wrong one becomes the type the compiler names in its message.
 */
export type CheckedReturn<S, TOut extends readonly string[], TReturn> = [TReturn] extends [void]
  ? TReturn | TypedUpdate<S, TOut> | Promise<TypedUpdate<S, TOut>>
  : [Awaited<TReturn>] extends [TypedReturn<S, TOut>]
    ? TReturn | TypedUpdate<S, TOut> | Promise<TypedUpdate<S, TOut>>
    : TReturn extends PromiseLike<unknown>
      ? Promise<ReturnMismatch<S, DataOutputs<TOut>>>
      : ReturnMismatch<S, DataOutputs<TOut>>;

type ReturnMismatch<S, D extends readonly string[]> = D extends [infer Only extends string]
  ? ValueAt<S, Only>
  : TypeHint<'With several outputs, return a tuple of their values in declared order, an object keyed by output path, or update({ ...writes }, { result }) to resolve execute() to a result'>;

/**
 * With several outputs, their tuple: kept out of {@link CheckedReturn} so that it is the contextual
 * type of a returned `[a, b]` (read as a tuple, not an array), and a wrong element is named.
 */
export type ReturnShapes<S, TOut extends readonly string[]> =
  OutputTuple<S, TOut> extends infer T extends readonly [unknown, unknown, ...unknown[]] ? T : never;
