declare const HINT: unique symbol;

/**
 * A readable compile error, as tRPC writes them: a type that no value has, whose type argument is
 * the sentence the compiler prints (`Type 'string' is not assignable to type 'TypeHint<"…">'`).
 * It stands where a misuse would otherwise report a union of internal types.
 */
export interface TypeHint<TMessage extends string> {
  readonly [HINT]: TMessage;
}

/** Like {@link TypeHint}, with the valid alternatives at the first wrong segment of a path. */
export interface PathHint<TMessage extends string, TValid extends string> {
  readonly [HINT]: TMessage;
  readonly valid: TValid;
}
