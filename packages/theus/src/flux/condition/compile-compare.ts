/**
 * Closures for comparisons, with fast paths for the common number and string cases. A chain
 * `a < b < c` evaluates each operand once and stops at the first false link, as Python does.
 *
 * @packageDocumentation
 */
import type { CompareOp } from './ast.js';
import type { Evaluation, Meter } from './budget.js';
import { contains } from './operators.js';
import { pyCompare, pyEquals, pyIs } from './py-values.js';

/** A compiled sub-expression; it reads names from the evaluation and charges its work there. */
export type Evaluator = (evaluation: Evaluation) => unknown;
/** A compiled sub-expression whose truthiness is all that matters. */
export type Tester = (evaluation: Evaluation) => boolean;

type Comparison = (a: unknown, b: unknown, offset: number, meter: Meter) => boolean;

/** The implementation of each comparison operator. */
export const COMPARISONS: Readonly<Record<CompareOp, Comparison>> = {
  '==': (a, b, offset, meter) => (a === b && typeof a !== 'string') || pyEquals(a, b, offset, meter),
  '!=': (a, b, offset, meter) => !COMPARISONS['=='](a, b, offset, meter),
  '<': (a, b, offset, meter) => (typeof a === 'number' && typeof b === 'number' ? a < b : pyCompare(a, b, '<', offset, meter) < 0),
  '<=': (a, b, offset, meter) => (typeof a === 'number' && typeof b === 'number' ? a <= b : pyCompare(a, b, '<=', offset, meter) <= 0),
  '>': (a, b, offset, meter) => (typeof a === 'number' && typeof b === 'number' ? a > b : pyCompare(a, b, '>', offset, meter) > 0),
  '>=': (a, b, offset, meter) => (typeof a === 'number' && typeof b === 'number' ? a >= b : pyCompare(a, b, '>=', offset, meter) >= 0),
  in: (a, b, offset, meter) => contains(b, a, offset, meter),
  'not in': (a, b, offset, meter) => !contains(b, a, offset, meter),
  is: (a, b) => pyIs(a, b),
  'is not': (a, b) => !pyIs(a, b),
};

/** A closure for `left <op> constant`, specialised on the constant's type. */
function compareWithConstant(left: Evaluator, op: CompareOp, constant: unknown, offset: number): Tester {
  const generic = COMPARISONS[op];
  if (typeof constant === 'string' && (op === '==' || op === '!=')) {
    // Only a string equals a string, so identity of primitives decides.
    return op === '==' ? (s) => left(s) === constant : (s) => left(s) !== constant;
  }
  if (typeof constant !== 'number') return (s) => generic(left(s), constant, offset, s);
  switch (op) {
    case '<':
      return (s) => {
        const v = left(s);
        return typeof v === 'number' ? v < constant : generic(v, constant, offset, s);
      };
    case '>':
      return (s) => {
        const v = left(s);
        return typeof v === 'number' ? v > constant : generic(v, constant, offset, s);
      };
    case '==':
      return (s) => {
        const v = left(s);
        return typeof v === 'number' ? v === constant : generic(v, constant, offset, s);
      };
    default:
      return (s) => generic(left(s), constant, offset, s);
  }
}

/** One link of a chain: its operator, where it is, and its right operand. */
export interface CompiledLink {
  readonly op: CompareOp;
  readonly offset: number;
  readonly right: Evaluator;
  /** Set when the right operand is a literal, so a specialised closure can be built. */
  readonly constant?: { readonly value: unknown };
}

/** The closure of a comparison or a chain of them. */
export function compileComparison(first: Evaluator, links: readonly CompiledLink[]): Tester {
  const [only] = links;
  if (links.length === 1 && only !== undefined) {
    const { op, offset, right, constant } = only;
    if (constant !== undefined) return compareWithConstant(first, op, constant.value, offset);
    const compare = COMPARISONS[op];
    return (s) => compare(first(s), right(s), offset, s);
  }
  const steps = links.map((link) => ({ ...link, compare: COMPARISONS[link.op] }));
  return (s) => {
    let left = first(s);
    for (const step of steps) {
      const right = step.right(s);
      if (!step.compare(left, right, step.offset, s)) return false;
      left = right;
    }
    return true;
  };
}
