/**
 * Checks the arguments of `engine.heavy.alloc()` and `get()` before anything is allocated or
 * committed, so that bad input costs nothing and changes nothing.
 *
 * @packageDocumentation
 */
import { describe, FORBIDDEN_KEYS } from '../context/paths.js';
import { isPlainObject } from '../context/value-model.js';
import { TheusError } from '../errors/index.js';
import { HEAVY_MAX_BYTES, HEAVY_TYPES, heavyArrayConstructor, type HeavyArrayConstructor, type HeavyType } from './heavy-types.js';

/** The longest name `alloc` accepts: names are keys of the `heavy` layer and segments of contract paths. */
export const MAX_HEAVY_NAME_LENGTH = 128;

/** A contract path segment that names a key (digit-only segments index arrays, so they are refused). */
const NAME = /^[A-Za-z_$][\w$-]*$/;

const OPTION_KEYS = new Set(['type', 'length', 'replace']);

/** An `alloc` call, checked. */
export interface AllocRequest {
  readonly name: string;
  /** `heavy.<name>`, for messages and `details.path`. */
  readonly path: string;
  readonly type: HeavyType;
  readonly construct: HeavyArrayConstructor;
  readonly length: number;
  readonly bytes: number;
  readonly replace: boolean;
}

/**
 * Checks `name`: a simple key (letters, digits, `_`, `$`, `-`; not starting with a digit; at most
 * {@link MAX_HEAVY_NAME_LENGTH} characters; never `__proto__`, `constructor` or `prototype`).
 *
 * @throws TheusError (`HEAVY_INVALID`) naming the path and the rule.
 */
export function checkHeavyName(name: unknown, where: string): string {
  if (typeof name === 'string' && name.length <= MAX_HEAVY_NAME_LENGTH && NAME.test(name) && !FORBIDDEN_KEYS.has(name)) return name;
  const path = `heavy.${shownName(name)}`;
  const dotted = typeof name === 'string' && name.startsWith('heavy.') ? ` (pass the name without 'heavy.': '${name.slice(6, 70)}')` : '';
  throw new TheusError(
    'HEAVY_INVALID',
    `${where}: the name ${describe(name)} cannot name '${path}'${dotted}: use a simple key of letters, digits, '_', '$' or '-', not starting with a digit, at most ${MAX_HEAVY_NAME_LENGTH} characters, without dots, and not '__proto__', 'constructor' or 'prototype'.`,
    { details: { path, field: 'name' } },
  );
}

/**
 * Checks a whole `alloc(name, options)` call.
 *
 * @throws TheusError (`HEAVY_INVALID`) naming `heavy.<name>` and what to pass instead.
 */
export function readAllocRequest(name: unknown, options: unknown): AllocRequest {
  const checked = checkHeavyName(name, 'engine.heavy.alloc()');
  const path = `heavy.${checked}`;
  const where = `engine.heavy.alloc('${checked}')`;
  if (!isPlainObject(options)) {
    throw invalid(path, 'options', `${where} expects options { type, length, replace? }, got ${describe(options)}.`);
  }
  const unknown = Object.keys(options).find((key) => !OPTION_KEYS.has(key));
  if (unknown !== undefined) {
    throw invalid(path, 'options', `${where} got the unknown option '${unknown.slice(0, 40)}': the options are type, length and replace.`);
  }
  const { type, length, replace } = options;
  const construct = heavyArrayConstructor(type);
  if (construct === undefined) {
    const missing =
      type === 'float16'
        ? "'float16' needs Float16Array, which this runtime does not have (Node 24 and later have it)"
        : `unknown type ${describe(type)}`;
    throw invalid(path, 'type', `${where}: ${missing} for '${path}'; use one of ${HEAVY_TYPES.join(', ')}.`, { known: HEAVY_TYPES });
  }
  const max = Math.floor(HEAVY_MAX_BYTES / construct.BYTES_PER_ELEMENT);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > max) {
    throw invalid(
      path,
      'length',
      `${where}: the length of '${path}' must be a whole number of elements from 0 to ${max} (${String(type)}: at most ${HEAVY_MAX_BYTES} bytes, 4 GiB), got ${describe(length)}.`,
      { max },
    );
  }
  if (replace !== undefined && typeof replace !== 'boolean') {
    throw invalid(path, 'replace', `${where}: 'replace' must be true or false, got ${describe(replace)}.`);
  }
  return {
    name: checked,
    path,
    type: type as HeavyType,
    construct,
    length,
    bytes: length * construct.BYTES_PER_ELEMENT,
    replace: replace === true,
  };
}

function invalid(path: string, field: string, message: string, extra: Record<string, unknown> = {}): TheusError {
  return new TheusError('HEAVY_INVALID', message, { details: { path, field, ...extra } });
}

/** A name as it may be shown in a path: long strings cut, anything else described. */
function shownName(name: unknown): string {
  if (typeof name !== 'string') return `<${describe(name)}>`;
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}
