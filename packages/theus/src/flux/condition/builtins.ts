/**
 * The builtins a condition may call: `len int float str bool abs min max sum`, with Python's
 * results and Python's errors (`int('x')`, `len(5)`, `max([])` all raise).
 *
 * @packageDocumentation
 */
import type { BuiltinName } from './ast.js';
import { isMapping, keysOf, listItems, stringLength, trusted } from './access.js';
import type { Meter } from './budget.js';
import { fault, typeName } from './fault.js';
import { ARITHMETIC } from './operators.js';
import { pyStr } from './py-repr.js';
import { isNumeric, pyCompare, truthy } from './py-values.js';

/** A builtin: its evaluated arguments, where it is called (for errors) and the meter it charges. */
type Builtin = (args: readonly unknown[], offset: number, meter: Meter) => unknown;

const INT_TEXT = /^\s*[+-]?\d(?:_?\d)*\s*$/;
// Unambiguous (each digit can be matched one way only), so a failed match backtracks in linear time.
const FLOAT_TEXT = /^\s*[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf|infinity|nan)\s*$/i;

function arity(name: string, args: readonly unknown[], min: number, max: number, offset: number): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? String(min) : `${String(min)} to ${String(max)}`;
    fault(`${name}() takes ${expected} argument(s), got ${String(args.length)}`, offset);
  }
}

/**
 * The items Python would iterate: a list's items, a string's characters, a mapping's visible keys.
 * Splitting a string or listing keys is charged here; callers charge each item they visit.
 */
function iterate(name: string, value: unknown, offset: number, meter: Meter): readonly unknown[] {
  if (Array.isArray(value)) return listItems(value, offset);
  if (typeof value === 'string') {
    meter.charge(value.length, offset);
    return trusted(Array.from(value));
  }
  if (isMapping(value)) return keysOf(value, offset, meter);
  return fault(`${name}() needs an iterable, not '${typeName(value)}'`, offset);
}

function toNumber(name: 'int' | 'float', value: unknown, offset: number, meter: Meter): number {
  if (isNumeric(value)) return Number(value);
  if (typeof value !== 'string') return fault(`${name}() needs a string or a number, not '${typeName(value)}'`, offset);
  meter.charge(value.length, offset);
  if (!(name === 'int' ? INT_TEXT : FLOAT_TEXT).test(value)) fault(`invalid literal for ${name}(): ${JSON.stringify(value)}`, offset);
  const text = value.trim().replaceAll('_', '').toLowerCase();
  if (text.endsWith('nan')) return Number.NaN;
  return text.endsWith('inf') || text.endsWith('infinity') ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);
}

function extreme(name: 'min' | 'max', args: readonly unknown[], offset: number, meter: Meter): unknown {
  if (args.length === 0) fault(`${name}() expected at least 1 argument, got 0`, offset);
  const items = args.length === 1 ? iterate(name, args[0], offset, meter) : args;
  if (items.length === 0) fault(`${name}() arg is an empty sequence`, offset);
  let best = items[0];
  for (let i = 1; i < items.length; i++) {
    meter.charge(1, offset);
    const order = pyCompare(items[i], best, name === 'max' ? '>' : '<', offset, meter);
    if (name === 'max' ? order > 0 : order < 0) best = items[i];
  }
  return best;
}

/** The implementation of each builtin. */
export const BUILTINS: Readonly<Record<BuiltinName, Builtin>> = {
  len: (args, offset, meter) => {
    arity('len', args, 1, 1, offset);
    const value = args[0];
    if (typeof value === 'string') return stringLength(value);
    if (Array.isArray(value)) return value.length;
    if (isMapping(value)) return keysOf(value, offset, meter).length;
    return fault(`object of type '${typeName(value)}' has no len()`, offset);
  },
  int: (args, offset, meter) => {
    arity('int', args, 0, 1, offset);
    if (args.length === 0) return 0;
    const n = toNumber('int', args[0], offset, meter);
    if (!Number.isFinite(n)) fault(`cannot convert ${String(n)} to an integer`, offset);
    return Math.trunc(n) + 0;
  },
  float: (args, offset, meter) => {
    arity('float', args, 0, 1, offset);
    return args.length === 0 ? 0 : toNumber('float', args[0], offset, meter);
  },
  str: (args, offset, meter) => {
    arity('str', args, 0, 1, offset);
    return args.length === 0 ? '' : pyStr(args[0], offset, meter);
  },
  bool: (args, offset) => {
    arity('bool', args, 0, 1, offset);
    return args.length === 1 && truthy(args[0]);
  },
  abs: (args, offset) => {
    arity('abs', args, 1, 1, offset);
    const value = args[0];
    return isNumeric(value) ? Math.abs(Number(value)) : fault(`bad operand type for abs(): '${typeName(value)}'`, offset);
  },
  min: (args, offset, meter) => extreme('min', args, offset, meter),
  max: (args, offset, meter) => extreme('max', args, offset, meter),
  sum: (args, offset, meter) => {
    arity('sum', args, 1, 2, offset);
    if (typeof args[1] === 'string') fault("sum() can't sum strings", offset);
    let total: unknown = args.length === 2 ? args[1] : 0;
    for (const item of iterate('sum', args[0], offset, meter)) {
      meter.charge(1, offset);
      total = ARITHMETIC['+'](total, item, offset, meter);
    }
    return total;
  },
};
