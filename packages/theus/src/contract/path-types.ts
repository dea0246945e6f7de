/**
 * Type-level parsing of dotted contract paths. Only the paths a contract declares are parsed
 * (lazily, segment by segment); the state type's paths are never enumerated, so the cost does
 * not grow with the size of the state.
 */

/** Roots every contract may name whatever the state type says. */
export type SpecialRoot = 'local' | 'signal' | 'cmd';

/** Deeply read-only view of a type (what inputs look like inside a process). */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ArrayBufferView | ArrayBuffer | SharedArrayBuffer
    ? T
    : T extends readonly (infer E)[]
      ? readonly DeepReadonly<E>[]
      : T extends object
        ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
        : T;

/** A path without its trailing `.*` (which means the same as its parent). */
export type StripStar<P extends string> = P extends `${infer H}.*` ? H : P;

/** The keys a value of type `T` can be indexed with in a path. */
type KeysOf<T> =
  NonNullable<T> extends readonly unknown[]
    ? `${number}`
    : NonNullable<T> extends ArrayBufferView | ArrayBuffer | SharedArrayBuffer
      ? never
      : NonNullable<T> extends object
        ? string extends keyof NonNullable<T>
          ? string
          : Extract<keyof NonNullable<T>, string>
        : never;

/** The type one key below `T`. */
type ChildOf<T, K extends string> =
  NonNullable<T> extends readonly (infer E)[]
    ? E
    : K extends keyof NonNullable<T>
      ? NonNullable<T>[K]
      : string extends keyof NonNullable<T>
        ? NonNullable<T>[string & keyof NonNullable<T>]
        : never;

/** The type at a dotted path (`unknown` below special roots). */
export type ValueAt<S, P extends string> =
  StripStar<P> extends `${infer H}.${infer R}`
    ? H extends SpecialRoot
      ? unknown
      : ValueBelow<ChildOf<S, H>, R>
    : StripStar<P> extends SpecialRoot
      ? unknown
      : ChildOf<S, StripStar<P>>;

type ValueBelow<T, P extends string> = P extends `${infer H}.${infer R}` ? ValueBelow<ChildOf<T, H>, R> : ChildOf<T, P>;

/**
 * The value `update()` may write at a dotted path: its type, and `undefined` (which deletes)
 * where the key may be absent: an optional field, or an entry of a record.
 */
export type UpdateValueAt<S, P extends string> =
  StripStar<P> extends `${infer H}.${infer R}` ? (H extends SpecialRoot ? unknown : EntryBelow<ChildOf<S, H>, R>) : ValueAt<S, P>;

type EntryBelow<T, P extends string> = P extends `${infer H}.${infer R}`
  ? EntryBelow<ChildOf<T, H>, R>
  : ChildOf<T, P> | (string extends KeysOf<T> ? undefined : never);

type Ok = { readonly __theusPathOk: true };

type CheckBelow<T, P extends string, Done extends string> = P extends `${infer H}.${infer R}`
  ? H extends KeysOf<T>
    ? CheckBelow<ChildOf<T, H>, R, `${Done}${H}.`>
    : [KeysOf<T>] extends [never]
      ? `${Done}<'${H}' is below a leaf value>`
      : `${Done}${KeysOf<T>}`
  : P extends KeysOf<T>
    ? Ok
    : [KeysOf<T>] extends [never]
      ? `${Done}<'${P}' is below a leaf value>`
      : `${Done}${KeysOf<T>}`;

type CheckRoot<S, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends SpecialRoot
    ? Ok
    : H extends Extract<keyof S, string>
      ? CheckBelow<S[H], R, `${H}.`>
      : Extract<keyof S, string> | SpecialRoot
  : P extends Extract<keyof S, string> | SpecialRoot
    ? Ok
    : Extract<keyof S, string> | SpecialRoot;

/**
 * `P` itself when it is a valid path of `S`; otherwise the valid alternatives at the first
 * wrong segment, so that the compiler's message names the valid keys.
 */
export type CheckPath<S, P extends string> = CheckRoot<S, StripStar<P>> extends Ok ? P : CheckRoot<S, StripStar<P>>;

/** Checks every path of a tuple (see {@link CheckPath}). */
export type CheckPaths<S, T extends readonly string[]> = { readonly [K in keyof T]: CheckPath<S, T[K]> };

type Split<P extends string> = P extends `${infer H}.${infer R}` ? [H, ...Split<R>] : [P];

type Nest<Segs extends readonly string[], V, Writable extends boolean> = Segs extends [infer H extends string, ...infer R extends string[]]
  ? Writable extends true
    ? { [K in H]: Nest<R, V, Writable> }
    : { readonly [K in H]: Nest<R, V, Writable> }
  : V;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

type PathView<S, P extends string, Writable extends boolean> = Nest<
  Split<StripStar<P>>,
  Writable extends true ? ValueAt<S, P> : DeepReadonly<ValueAt<S, P>>,
  Writable
>;

/** The data part of `ctx` for a contract: declared inputs deeply read-only, outputs writable. */
export type ContextData<S, TIn extends string, TOut extends string> = UnionToIntersection<
  | { [P in Exclude<TIn, TOut | SpecialRoot>]: PathView<S, P, false> }[Exclude<TIn, TOut | SpecialRoot>]
  | { [P in Exclude<TOut, SpecialRoot>]: PathView<S, P, true> }[Exclude<TOut, SpecialRoot>]
>;
