/**
 * Values to and from the JSON text the SQLite store keeps. Everything committed is plain data
 * (after `toPlain`), which JSON represents exactly, with two exceptions: `-0` is written as `0`,
 * and HEAVY binaries (`ArrayBuffer`, typed arrays) are refused (this store does not persist them
 * yet). Decoding parses with `JSON.parse`, which makes a `__proto__` key an own data property and
 * never touches a prototype; nothing here assigns keys by `obj[key] = value`.
 *
 * @packageDocumentation
 */
import { toPlain } from '../../context/to-plain.js';
import { isBinary, MAX_VALUE_DEPTH } from '../../context/value-model.js';
import { describe, formatPath, type PathSegments } from '../../context/paths.js';
import type { Patch } from '../../transaction/patches.js';

/** Why a value could not be encoded: `at` is the path of the bad value inside it. */
export class EncodeProblem extends Error {
  constructor(
    readonly at: PathSegments,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** Thrown by the replacer to stop at a binary (made once: only its identity matters). */
const BINARY = new Error('binary data');

function refuseBinary(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && isBinary(value)) throw BINARY;
  return value;
}

/**
 * The JSON text of a committed value (`undefined` for `undefined`).
 *
 * @throws EncodeProblem naming the path of a value JSON cannot represent.
 */
export function encodeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let plain: unknown;
  try {
    plain = toPlain(value);
    return JSON.stringify(plain, refuseBinary);
  } catch (error) {
    // Only after a failure: walk to the bad value to name it and its path.
    const found = findUnencodable(plain ?? value, []);
    throw new EncodeProblem(found?.at ?? [], found?.what ?? (error === BINARY ? BINARY_NOTE : String(error)));
  }
}

const BINARY_NOTE = 'binary data (an ArrayBuffer or typed array), which the SQLite store does not persist yet';

interface Found {
  readonly at: PathSegments;
  readonly what: string;
}

/** The first value under `value` that is not plain JSON data, found the slow way. */
function findUnencodable(value: unknown, path: (string | number)[]): Found | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { at: path, what: `the number ${String(value)}, which JSON cannot represent` };
    case 'object':
      break;
    default:
      return { at: path, what: `${describe(value)}, which JSON cannot represent` };
  }
  if (value === null) return undefined;
  if (path.length > MAX_VALUE_DEPTH) return { at: path, what: `values nested over ${MAX_VALUE_DEPTH} levels deep (or a cycle)` };
  if (isBinary(value)) return { at: path, what: BINARY_NOTE };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = value[i] === undefined ? { at: [...path, i], what: 'undefined in an array' } : findUnencodable(value[i], [...path, i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return { at: path, what: `${describe(value)}, which JSON cannot represent` };
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    const found = child === undefined ? undefined : findUnencodable(child, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A message-ready form of a path inside a value (`(root)` for the value itself). */
export function showPath(path: PathSegments): string {
  return path.length === 0 ? '(root)' : formatPath(path);
}

/** Thrown by the decoders: `what` says what was wrong with the stored text. */
export class DecodeProblem extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/** Parses stored JSON text (`what` names it for the message when it is not JSON). */
export function decodeJson(text: unknown, what: string): unknown {
  if (typeof text !== 'string') throw new DecodeProblem(`${what} is not JSON text (${text === null ? 'NULL' : typeof text})`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DecodeProblem(`${what} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Freezes a parsed JSON value at every level and returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    // Own keys only: JSON.parse made every key an own data property (`__proto__` included).
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

const OPS = new Set(['add', 'replace', 'remove']);

/** Checks the decoded patches of one commit and returns them typed and frozen. */
export function decodePatches(text: unknown, what: string): readonly Patch[] {
  const patches = decodeJson(text, what);
  if (!Array.isArray(patches)) throw new DecodeProblem(`${what} is not an array of patches`);
  for (const [i, patch] of (patches as unknown[]).entries()) {
    const { op, path } = (typeof patch === 'object' && patch !== null ? patch : {}) as Partial<Record<string, unknown>>;
    const validPath = Array.isArray(path) && path.every((segment) => typeof segment === 'string' || typeof segment === 'number');
    if (typeof op !== 'string' || !OPS.has(op) || !validPath || (op !== 'remove' && !Object.hasOwn(patch as object, 'value'))) {
      throw new DecodeProblem(`${what}: patch ${i} is not { op: 'add' | 'replace' | 'remove', path: [...], value }`);
    }
  }
  return deepFreeze(patches as Patch[]);
}
