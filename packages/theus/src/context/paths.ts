import { ContractViolationError } from '../errors/index.js';

/** A path into the context as segments: strings for object keys, numbers for array indices. */
export type PathSegments = readonly (string | number)[];

const SEGMENT = /^[A-Za-z_$][\w$-]*$|^\d+$/;

/** Keys that could reach an object's prototype; never allowed in a path or in committed data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses a dotted contract path (`domain.user.name`, `domain.items.*`) into segments.
 * A trailing `.*` means the same as its parent.
 *
 * @throws ContractViolationError (`CONTRACT_INVALID`) naming the path and the bad segment.
 */
export function parsePath(path: string, where: string): string[] {
  if (typeof path !== 'string' || path.length === 0) {
    throw new ContractViolationError('CONTRACT_INVALID', `${where}: a path must be a non-empty dotted string, got ${describe(path)}.`, {
      details: { path },
    });
  }
  const text = path.endsWith('.*') ? path.slice(0, -2) : path;
  const fast = splitValid(text);
  if (fast !== undefined) return fast;
  const segments = text.split('.');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || FORBIDDEN_KEYS.has(segment)) {
      throw new ContractViolationError(
        'CONTRACT_INVALID',
        `${where}: path '${path}' has an invalid segment '${segment}'. Use dotted identifiers such as 'domain.accounts' (a trailing '.*' is allowed).`,
        { details: { path, segment } },
      );
    }
  }
  return segments;
}

/** Character classes of path segments, by char code: 1 = may start a name, 2 = digit, 3 = other name character. */
const CHAR_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CHAR_KIND[c] = /[A-Za-z_$]/.test(ch) ? 1 : /\d/.test(ch) ? 2 : ch === '-' ? 3 : 0;
}

/**
 * Splits a dotted path whose segments are all valid (names `[A-Za-z_$][\w$-]*` or digit runs,
 * none forbidden), in one pass without regular expressions; `undefined` for anything else, which
 * the caller then reports segment by segment. Paths are parsed on every returned `update()`.
 */
function splitValid(text: string): string[] | undefined {
  const segments: string[] = [];
  let start = 0;
  let first = 0;
  let digitsOnly = true;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      if (i === start || (!digitsOnly && first !== 1)) return undefined;
      const segment = text.slice(start, i);
      if (FORBIDDEN_KEYS.has(segment)) return undefined;
      segments.push(segment);
      start = i + 1;
      digitsOnly = true;
      continue;
    }
    const kind = code < 128 ? (CHAR_KIND[code] as number) : 0;
    if (kind === 0) return undefined;
    if (i === start) first = kind;
    if (kind !== 2) digitsOnly = false;
  }
  return segments;
}

/** Joins segments back into the dotted form used in messages. */
export function formatPath(segments: PathSegments): string {
  return segments.join('.');
}

/** True when one path equals, contains or is contained in the other. */
export function pathsOverlap(a: PathSegments, b: PathSegments): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (String(a[i]) !== String(b[i])) return false;
  }
  return true;
}

/** True when `prefix` equals `path` or is one of its ancestors. */
export function isPrefixOf(prefix: PathSegments, path: PathSegments): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (String(prefix[i]) !== String(path[i])) return false;
  }
  return true;
}

/** A short, safe description of any value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'object': {
      const proto: unknown = Object.getPrototypeOf(value);
      const name = proto === null || proto === Object.prototype ? 'a plain object' : `an instance of ${constructorName(value)}`;
      return name;
    }
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    default:
      return `${typeof value} ${(value as number | boolean | bigint).toString()}`;
  }
}

function constructorName(value: object): string {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'an unknown class';
}

/**
 * `path` followed by `key`, as a new array of exactly that length. (`[...path, key]` makes V8
 * allocate spare capacity, about three times the memory, and `concat` is a slow generic builtin;
 * this runs several times per run.)
 */
export function childPath(path: PathSegments, key: string | number): PathSegments {
  const length = path.length;
  const out = new Array<string | number>(length + 1);
  for (let i = 0; i < length; i++) out[i] = path[i] as string | number;
  out[length] = key;
  return out;
}
