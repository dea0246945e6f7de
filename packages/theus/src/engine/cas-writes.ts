import { ContractViolationError } from '../errors/index.js';
import { describe, parsePath, type PathSegments } from '../context/paths.js';
import { getChild } from '../context/tree.js';
import { isPlainObject, MAX_VALUE_DEPTH } from '../context/value-model.js';

/** One leaf write of a compare-and-swap. */
export interface CasWrite {
  readonly path: PathSegments;
  /** The new value; `undefined` deletes the key. */
  readonly value: unknown;
}

/**
 * Turns the `data` of `engine.compareAndSwap()` into leaf writes, as the original deep merge does:
 * a nested plain object is merged into the object it lands on (`{ domain: { x: 1 } }` changes
 * `domain.x` and nothing else); any other value, or an object landing where no object is,
 * replaces what is there; a top-level key with dots names a path and replaces its value. The
 * written leaf paths then decide conflicts, so a CAS conflicts only with what it really changes.
 *
 * @throws ContractViolationError (`CONTRACT_BAD_ARGS`) for data that is not a plain object, a bad path or data nested too deep.
 */
export function casWrites(data: unknown, root: object): CasWrite[] {
  if (!isPlainObject(data)) {
    throw new ContractViolationError('CONTRACT_BAD_ARGS', `engine.compareAndSwap() takes 'data' as a plain object, got ${describe(data)}.`);
  }
  const writes: CasWrite[] = [];
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (key.includes('.')) writes.push({ path: parsePath(key, 'engine.compareAndSwap() data'), value });
    else merge([key], value, getChild(root, key), writes);
  }
  return writes;
}

function merge(path: PathSegments, value: unknown, current: unknown, writes: CasWrite[]): void {
  if (path.length > MAX_VALUE_DEPTH) {
    throw new ContractViolationError(
      'CONTRACT_BAD_ARGS',
      `engine.compareAndSwap() data nests deeper than ${MAX_VALUE_DEPTH} levels: flatten it or name paths with dotted keys.`,
    );
  }
  if (isPlainObject(value) && typeof current === 'object' && current !== null && !Array.isArray(current)) {
    for (const key of Object.keys(value)) merge([...path, key], value[key], getChild(current, key), writes);
    return;
  }
  writes.push({ path, value });
}
