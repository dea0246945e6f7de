/**
 * Python's arithmetic and membership operators over condition values. Every type mismatch raises
 * (`'a' + 1`, `None * 2`), as in Python, instead of coercing as JS would.
 *
 * @packageDocumentation
 */
import type { ArithmeticOp } from './ast.js';
import { hasKey, isMapping, listItems, trusted } from './access.js';
import type { Meter } from './budget.js';
import { fault, typeName } from './fault.js';
import { isNumeric, pyEquals } from './py-values.js';

/** The longest string or list `*` may build, whatever the budget, so a condition cannot exhaust memory. */
const MAX_REPEAT_LENGTH = 10_000_000;

function unsupported(op: string, a: unknown, b: unknown, offset: number): never {
  return fault(`unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`, offset);
}

function numbers(op: string, a: unknown, b: unknown, offset: number): [number, number] {
  if (!isNumeric(a) || !isNumeric(b)) unsupported(op, a, b, offset);
  return [Number(a), Number(b)];
}

function divisor(op: string, b: number, offset: number): number {
  return b === 0 ? fault(`division by zero (${op})`, offset) : b;
}

/** `sequence * times`: charges the length of the result before building it. */
function repeat(sequence: string | readonly unknown[], times: number | boolean, offset: number, meter: Meter): string | unknown[] {
  const count = Number(times);
  if (!Number.isInteger(count)) return fault(`can't multiply sequence by non-int of type 'float'`, offset);
  const n = Math.max(count, 0);
  const length = n * sequence.length;
  meter.charge(length, offset);
  if (length > MAX_REPEAT_LENGTH) fault(`sequence * ${String(count)} would be longer than ${String(MAX_REPEAT_LENGTH)}`, offset);
  if (typeof sequence === 'string') return sequence.repeat(n);
  const items = listItems(sequence, offset);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) for (const item of items) out.push(item);
  return trusted(out);
}

/** `+`: numbers add; strings and lists concatenate, charging the length of the result. */
function add(a: unknown, b: unknown, offset: number, meter: Meter): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') {
    meter.charge(a.length + b.length, offset);
    return a + b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    meter.charge(a.length + b.length, offset);
    return trusted([...listItems(a, offset), ...listItems(b, offset)]);
  }
  const [x, y] = numbers('+', a, b, offset);
  return x + y;
}

function multiply(a: unknown, b: unknown, offset: number, meter: Meter): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if ((typeof a === 'string' || Array.isArray(a)) && isNumeric(b)) return repeat(a, b, offset, meter);
  if ((typeof b === 'string' || Array.isArray(b)) && isNumeric(a)) return repeat(b, a, offset, meter);
  const [x, y] = numbers('*', a, b, offset);
  return x * y;
}

function modulo(a: unknown, b: unknown, offset: number): number {
  const [x, y] = numbers('%', a, b, offset);
  const r = x % divisor('%', y, offset);
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

function power(a: unknown, b: unknown, offset: number): number {
  const [x, y] = numbers('**', a, b, offset);
  if (x === 0 && y < 0) fault('0 cannot be raised to a negative power', offset);
  if (x < 0 && !Number.isInteger(y))
    fault('a negative number raised to a fractional power is complex, which conditions do not support', offset);
  return x ** y;
}

/** A binary operator: its operands, where it is (for errors) and the meter its work is charged to. */
export type BinaryOperator = (a: unknown, b: unknown, offset: number, meter: Meter) => unknown;

/** The implementation of each binary arithmetic operator. */
export const ARITHMETIC: Readonly<Record<ArithmeticOp, BinaryOperator>> = {
  '+': add,
  '-': (a, b, offset) => {
    const [x, y] = numbers('-', a, b, offset);
    return x - y;
  },
  '*': multiply,
  '/': (a, b, offset) => {
    const [x, y] = numbers('/', a, b, offset);
    return x / divisor('/', y, offset);
  },
  '//': (a, b, offset) => {
    const [x, y] = numbers('//', a, b, offset);
    return Math.floor(x / divisor('//', y, offset));
  },
  '%': modulo,
  '**': power,
};

/** Unary `-x` / `+x` (a bool becomes an int, as in Python). */
export function negate(op: '-' | '+', value: unknown, offset: number): number {
  if (!isNumeric(value)) return fault(`bad operand type for unary ${op}: '${typeName(value)}'`, offset);
  return op === '-' ? -Number(value) : Number(value);
}

/**
 * Python `item in container` for lists, strings (substring) and mappings (keys). A list costs one
 * unit per item compared, a string one unit per character it holds.
 */
export function contains(container: unknown, item: unknown, offset: number, meter: Meter): boolean {
  if (Array.isArray(container)) {
    const items = listItems(container, offset);
    for (let i = 0; i < items.length; i++) {
      meter.charge(1, offset);
      if (pyEquals(items[i], item, offset, meter)) return true;
    }
    return false;
  }
  if (typeof container === 'string') {
    if (typeof item !== 'string') return fault(`'in <string>' requires a string as left operand, not ${typeName(item)}`, offset);
    meter.charge(1 + container.length, offset);
    return container.includes(item);
  }
  if (isMapping(container)) return hasKey(container, item, offset);
  return fault(`argument of type '${typeName(container)}' is not iterable`, offset);
}
