/**
 * Closures for builtin calls, the mapping methods (`.get`, `.keys`, `.values`, `.items`) and dict
 * literals. Argument counts are checked at parse time.
 *
 * @packageDocumentation
 */
import type { BuiltinName, MethodName } from './ast.js';
import { entriesOf, isMapping, keysOf, lookup, trusted } from './access.js';
import { BUILTINS } from './builtins.js';
import type { Evaluator } from './compile-compare.js';
import { fault, typeName } from './fault.js';

/** Reports a wrong argument count as a syntax error. */
type Fail = (message: string, offset: number) => never;

/** How many arguments each builtin and method accepts: [min, max]. */
const ARITIES: Readonly<Record<BuiltinName | MethodName, readonly [number, number]>> = {
  len: [1, 1],
  int: [0, 1],
  float: [0, 1],
  str: [0, 1],
  bool: [0, 1],
  abs: [1, 1],
  min: [1, Infinity],
  max: [1, Infinity],
  sum: [1, 2],
  get: [1, 2],
  keys: [0, 0],
  values: [0, 0],
  items: [0, 0],
};

function checkArity(name: BuiltinName | MethodName, count: number, offset: number, fail: Fail): void {
  const [min, max] = ARITIES[name];
  if (count >= min && count <= max) return;
  const expected = min === max ? String(min) : max === Infinity ? `at least ${String(min)}` : `${String(min)} or ${String(max)}`;
  fail(`${name}() takes ${expected} argument${max === 1 ? '' : 's'}, got ${String(count)}`, offset);
}

/** A builtin call `len(x)`, `max(a, b)`... */
export function compileCall(name: BuiltinName, args: readonly Evaluator[], at: { readonly offset: number }, fail: Fail): Evaluator {
  checkArity(name, args.length, at.offset, fail);
  const builtin = BUILTINS[name];
  const { offset } = at;
  const [only] = args;
  if (args.length === 1 && only !== undefined) {
    if (name === 'len') {
      return (s) => {
        const value = only(s);
        return Array.isArray(value) ? value.length : builtin([value], offset, s);
      };
    }
    return (s) => builtin([only(s)], offset, s);
  }
  return (s) =>
    builtin(
      args.map((arg) => arg(s)),
      offset,
      s,
    );
}

/** A method call on a mapping: `m.get(k, default)`, `m.keys()`, `m.values()`, `m.items()`. */
export function compileMethod(
  target: Evaluator,
  node: { readonly method: MethodName; readonly nameOffset: number },
  args: readonly Evaluator[],
  fail: Fail,
): Evaluator {
  const { method, nameOffset: offset } = node;
  checkArity(method, args.length, offset, fail);
  const receiver = (s: Parameters<Evaluator>[0]): object => {
    const value = target(s);
    return isMapping(value) ? value : fault(`'${typeName(value)}' object has no method '${method}' (only mappings do)`, offset);
  };
  switch (method) {
    case 'get': {
      const [key = (): unknown => null, fallback] = args;
      return (s) => {
        const mapping = receiver(s);
        return lookup(mapping, key(s), fallback === undefined ? null : fallback(s), offset);
      };
    }
    case 'keys':
      return (s) => keysOf(receiver(s), offset, s);
    case 'values':
      return (s) => trusted(entriesOf(receiver(s), offset, s).map(([, value]) => value));
    case 'items':
      return (s) => entriesOf(receiver(s), offset, s);
  }
}

/**
 * A dict literal `{'a': 1}`; keys must be strings (or integers, stored as their decimal text).
 * Building it costs one unit per entry.
 */
export function compileDict(entries: readonly (readonly [key: Evaluator, value: Evaluator, offset: number])[], offset: number): Evaluator {
  return (s) => {
    s.charge(entries.length, offset);
    return Object.fromEntries(
      entries.map(([key, value, at]) => {
        const k = key(s);
        if (typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k))) return [String(k), value(s)];
        return fault(`dict keys in conditions must be strings, not '${typeName(k)}'`, at);
      }),
    );
  };
}
