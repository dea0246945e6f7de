import { types } from 'node:util';
import { TheusError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';

/** How deep a value sent to or from a worker may nest. */
const MAX_DEPTH = 1000;

/**
 * Checks that a value crosses to or from a worker thread unchanged: primitives, plain objects and
 * arrays, binaries (`ArrayBuffer`, `SharedArrayBuffer`, typed arrays, `DataView`), `Date`, `Map`,
 * `Set`. A structured clone throws on a function or a symbol, and silently turns a class instance
 * into a plain object without its methods: both are refused here, naming the path, before
 * anything runs.
 *
 * @throws TheusError (`POOL_UNCLONEABLE`) naming the process, what (`'args'`, `'its result'`) and the path.
 */
export function assertCloneable(process: string, what: 'args' | 'result', value: unknown): void {
  const problem = findUncloneable(value, what === 'args' ? ['args'] : ['result'], new Set(), 0);
  if (problem === undefined) return;
  const shown = formatPath(problem.path);
  const subject = what === 'args' ? 'its arguments' : 'its result';
  const fix =
    what === 'args'
      ? 'pass plain data (objects, arrays, numbers, strings, binaries); the worker gets a copy'
      : 'return plain data (objects, arrays, numbers, strings, binaries)';
  throw new TheusError(
    'POOL_UNCLONEABLE',
    `Parallel process '${process}' cannot send ${subject} across the worker boundary: '${shown}' holds ${problem.what}. Fix: ${fix}. Nothing was committed.`,
    { details: { process, path: shown } },
  );
}

interface Problem {
  readonly path: PathSegments;
  readonly what: string;
}

function findUncloneable(value: unknown, path: (string | number)[], seen: Set<object>, depth: number): Problem | undefined {
  switch (typeof value) {
    case 'function':
      return { path, what: 'a function' };
    case 'symbol':
      return { path, what: 'a symbol' };
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null || seen.has(value)) return undefined;
  if (depth >= MAX_DEPTH) return { path, what: `a value nested over ${String(MAX_DEPTH)} levels deep` };
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer || value instanceof Date)
    return undefined;
  if (types.isProxy(value)) return { path, what: 'a Proxy (a record facade or a context reference): copy it with toPlain()' };
  seen.add(value);
  const visit = (child: unknown, key: string | number): Problem | undefined => {
    path.push(key);
    const found = findUncloneable(child, path, seen, depth + 1);
    if (found === undefined) path.pop();
    return found;
  };
  if (value instanceof Map) {
    for (const [key, child] of value) {
      const found = visit(key, '<map key>') ?? visit(child, typeof key === 'string' || typeof key === 'number' ? key : '<map value>');
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const child of value) {
      const found = visit(child, '<set item>');
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value) ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
    return { path, what: `an instance of ${className(proto)}, which a worker would receive as a plain object without its class` };
  }
  for (const key of Object.keys(value)) {
    const found = visit((value as Record<string, unknown>)[key], Array.isArray(value) ? Number(key) : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function className(proto: unknown): string {
  const ctor: unknown =
    typeof proto === 'object' && proto !== null ? Object.getOwnPropertyDescriptor(proto, 'constructor')?.value : undefined;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'a class';
}
