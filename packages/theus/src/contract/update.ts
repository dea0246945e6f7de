import type { CheckPath, UpdateValueAt } from './path-types.js';
import type { PathHint, TypeHint } from './type-hint.js';

/**
 * The updates built by {@link update}. Membership is the brand: asking a WeakSet runs no proxy
 * trap and no getter, so classifying what a process returned never hands user code a key.
 */
const updates = new WeakSet<object>();

/** Extra effects a process can return alongside its writes. */
export interface UpdateOptions<TResult = undefined> {
  /** Signals to emit on commit: topic → payload (typed payloads are kept). */
  readonly signals?: Readonly<Record<string, unknown>>;
  /** Outbox messages to enqueue in the same commit. */
  readonly outbox?: readonly { readonly topic: string; readonly payload: unknown }[];
  /** What `engine.execute` resolves to. */
  readonly result?: TResult;
}

/**
 * What an update's keys are checked against (type level only): the state type and the paths a
 * typed process declares as outputs (`string` = any path of the state).
 */
export interface DeclaredOutputs<S, TPaths extends string> {
  readonly state: S;
  readonly paths: TPaths;
}

/** An explicit set of writes returned by a process (see {@link update}). */
export interface Update<TResult = undefined, TOutputs = unknown> {
  /**
   * Type-level brand only (no such method exists at run time; the `~` prefix, as in Standard
   * Schema's `~standard`, keeps it last in completions): updates are recognised by identity. It carries the outputs
   * the values were checked against; a method, so that any update is accepted where its outputs
   * could not be known (an update built outside a process's `return`).
   */
  '~update'(outputs: TOutputs): true;
  /** Full dotted path → new value; `undefined` deletes the key. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly signals: Readonly<Record<string, unknown>>;
  readonly outbox: readonly { readonly topic: string; readonly payload: unknown }[];
  readonly result: TResult;
}

/**
 * The `values` of an update checked against `TOutputs`: each key a declared output or a path
 * below one, each value of that path's type (or `undefined`, which deletes, where the key may be
 * absent). Keys of type `string` (computed keys) are checked at run time. Unknown outputs (the
 * untyped `process`) check nothing.
 */
export type CheckedValues<TValues, TOutputs> =
  TOutputs extends DeclaredOutputs<infer S, infer P>
    ? { readonly [K in keyof TValues]: K extends string ? CheckedValue<S, P, K> : TypeHint<'update() keys are dotted paths'> }
    : TValues;

/** A declared output itself was checked with the contract; a path below one (or any path, for `t.update()`) is checked here. */
type CheckedValue<S, P extends string, K extends string> = string extends K
  ? unknown
  : K extends P
    ? string extends P
      ? ValueOfPath<S, K>
      : UpdateValueAt<S, K>
    : K extends `${P}.${string}`
      ? ValueOfPath<S, K>
      : TypeHint<`update() key '${K}' is not among the process's outputs: write a declared output or a path below one`>;

type ValueOfPath<S, K extends string> =
  CheckPath<S, K> extends K
    ? UpdateValueAt<S, K>
    : PathHint<`update() key '${K}' is not a path of the state; valid at its first wrong segment:`, CheckPath<S, K> & string>;

/**
 * Builds an explicit update for a process to return: writes by full declared path, plus
 * signals, outbox messages and the value `engine.execute` resolves to. Returned from a process
 * made with `createTheus<State>().process`, its keys must be declared outputs (or paths below
 * them) and its values of their types; a wrong key or value is a compile error naming it.
 *
 * @example
 * ```ts
 * return update({ 'domain.total': total }, { result: 'Success' });
 * ```
 */
export function update<TValues extends Readonly<Record<string, unknown>>, TOutputs = unknown, TResult = undefined>(
  values: TValues extends CheckedValues<TValues, TOutputs> ? TValues : CheckedValues<TValues, TOutputs>,
  options: UpdateOptions<TResult> = {},
): Update<NoInfer<TResult>, TOutputs> {
  const built = Object.freeze({
    values,
    signals: options.signals ?? {},
    outbox: options.outbox ?? [],
    result: options.result as TResult,
  }) as unknown as Update<TResult, TOutputs>;
  updates.add(built);
  return built;
}

/** True when a process returned an {@link update}. */
export function isUpdate(value: unknown): value is Update<unknown> {
  return typeof value === 'object' && value !== null && updates.has(value);
}
