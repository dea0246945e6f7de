/**
 * Errors across the worker boundary. Structured clone keeps little of an error (no class beyond a
 * few built-ins, no `code`, no `details`, no Theus class), so a worker encodes what it threw as
 * plain data and the main thread rebuilds it: Theus errors as their class (working `instanceof`),
 * built-in errors as theirs, any other error as an `Error` with its `name` and `code` (so that a
 * contract's `errors: [...]` still names it), with message, stack and `cause` (recursively).
 *
 * @packageDocumentation
 */
import * as theusErrors from '../errors/index.js';
import { ERROR_CODES, TheusError, type TheusErrorCode } from '../errors/index.js';

/** How many `cause` links are kept; deeper ones are cut (a cycle of causes ends here too). */
const MAX_CAUSE_DEPTH = 8;
/** How many errors of an `AggregateError` are kept. */
const MAX_AGGREGATED = 100;

/** An error (or any thrown value) as plain data. */
export type EncodedError =
  | {
      readonly kind: 'error';
      /** The class to rebuild: a Theus class or built-in error class name; `Error` for anything else. */
      readonly type: string;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly code: string | number | undefined;
      readonly details: unknown;
      readonly cause?: EncodedError;
      readonly errors?: readonly EncodedError[];
    }
  | { readonly kind: 'value'; readonly value: unknown };

type ErrorClass = new (message?: string, options?: { cause?: unknown }) => Error;
type TheusClass = new (code: TheusErrorCode, message: string, options?: { details?: object; cause?: unknown }) => TheusError;

const BUILT_INS: Readonly<Record<string, ErrorClass>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Every Theus error class, by name: whatever `errors/index.ts` exports that is `TheusError` or extends it. */
const THEUS_CLASSES: ReadonlyMap<string, TheusClass> = new Map(
  (Object.values(theusErrors) as unknown[])
    .filter(
      (value): value is TheusClass =>
        typeof value === 'function' && (value === TheusError || (value as { prototype: unknown }).prototype instanceof TheusError),
    )
    .map((value) => [value.name, value]),
);

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Encodes what a process threw (or the worker failed with) for the trip to the main thread. */
export function encodeError(error: unknown, depth = 0): EncodedError {
  if (!isError(error)) return { kind: 'value', value: cloneable(error) };
  const code: unknown = (error as { code?: unknown }).code;
  const encoded = {
    kind: 'error' as const,
    type: typeOf(error, code),
    name: typeof error.name === 'string' ? error.name : 'Error',
    message: typeof error.message === 'string' ? error.message : String(error.message),
    stack: typeof error.stack === 'string' ? error.stack : undefined,
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    details: cloneable((error as { details?: unknown }).details),
  };
  const extra: { cause?: EncodedError; errors?: EncodedError[] } = {};
  if ('cause' in error && depth < MAX_CAUSE_DEPTH) extra.cause = encodeError(error.cause, depth + 1);
  const errors: unknown = (error as { errors?: unknown }).errors;
  if (error instanceof AggregateError && Array.isArray(errors)) {
    extra.errors = errors.slice(0, MAX_AGGREGATED).map((inner: unknown) => encodeError(inner, depth + 1));
  }
  return { ...encoded, ...extra };
}

/** Rebuilds an encoded error on the main thread (see the module comment). */
export function decodeError(encoded: EncodedError): unknown {
  if (encoded.kind === 'value') return encoded.value;
  const options = encoded.cause === undefined ? {} : { cause: decodeError(encoded.cause) };
  let error: Error;
  const theus = THEUS_CLASSES.get(encoded.type);
  if (theus !== undefined && typeof encoded.code === 'string' && CODES.has(encoded.code)) {
    const details = isPlainRecord(encoded.details) ? encoded.details : {};
    error = new theus(encoded.code as TheusErrorCode, encoded.message, { details, ...options });
  } else if (encoded.type === 'AggregateError') {
    error = new AggregateError((encoded.errors ?? []).map(decodeError), encoded.message, options);
  } else {
    error = new (BUILT_INS[encoded.type] ?? Error)(encoded.message, options);
    // A user error keeps what identifies it: `errors: [...]` contracts and callers match name or code.
    if (encoded.code !== undefined) define(error, 'code', encoded.code);
    if (encoded.details !== undefined) define(error, 'details', encoded.details);
  }
  if (error.name !== encoded.name) define(error, 'name', encoded.name);
  if (encoded.stack !== undefined) define(error, 'stack', encoded.stack);
  return error;
}

/** The class to rebuild: the nearest Theus or built-in class on the prototype chain, by name (a worker may hold another copy of Theus). */
function typeOf(error: Error, code: unknown): string {
  for (
    let proto: unknown = Object.getPrototypeOf(error);
    proto !== null && typeof proto === 'object';
    proto = Object.getPrototypeOf(proto)
  ) {
    const ctor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    if (typeof ctor !== 'function') continue;
    const name = ctor.name;
    if (THEUS_CLASSES.has(name) && typeof code === 'string' && CODES.has(code)) return name;
    if (name === 'AggregateError' && ctor === AggregateError) return name;
    if (Object.hasOwn(BUILT_INS, name) && BUILT_INS[name] === ctor) return name;
  }
  return 'Error';
}

function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` if the structured clone accepts it, else its JSON form, else its text. */
function cloneable(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  }
  try {
    return structuredClone(value);
  } catch {
    try {
      return JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}
