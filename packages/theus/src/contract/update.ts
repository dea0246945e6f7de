declare const UPDATE: unique symbol;

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

/** An explicit set of writes returned by a process (see {@link update}). */
export interface Update<TResult = undefined> {
  /** Type-level brand only: updates are recognised by identity at run time. */
  readonly [UPDATE]: true;
  /** Full dotted path → new value; `undefined` deletes the key. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly signals: Readonly<Record<string, unknown>>;
  readonly outbox: readonly { readonly topic: string; readonly payload: unknown }[];
  readonly result: TResult;
}

/**
 * Builds an explicit update for a process to return: writes by full declared path, plus
 * signals, outbox messages and the value `engine.execute` resolves to.
 *
 * @example
 * ```ts
 * return update({ 'domain.total': total }, { result: 'Success' });
 * ```
 */
export function update<TResult = undefined>(
  values: Readonly<Record<string, unknown>>,
  options: UpdateOptions<TResult> = {},
): Update<TResult> {
  const built = Object.freeze({
    values,
    signals: options.signals ?? {},
    outbox: options.outbox ?? [],
    result: options.result as TResult,
  }) as Update<TResult>;
  updates.add(built);
  return built;
}

/** True when a process returned an {@link update}. */
export function isUpdate(value: unknown): value is Update<unknown> {
  return typeof value === 'object' && value !== null && updates.has(value);
}
