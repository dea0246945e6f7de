/**
 * Compiles a syntax tree into nested closures once, at parse time: evaluating a condition runs
 * straight-line closures, with no tree walk and no switch on node kinds.
 *
 * @packageDocumentation
 */
import type { ConditionNode } from './ast.js';
import { compileCall, compileMethod, compileDict } from './compile-calls.js';
import { compileComparison, type CompiledLink, type Evaluator, type Tester } from './compile-compare.js';
import { freshData, isMapping, isPrivateKey, MISSING, ownVisibleData, privateHint, readAttribute, readItem, trusted } from './access.js';
import { WorkMeter } from './budget.js';
import { fault } from './fault.js';
import { ARITHMETIC, negate } from './operators.js';
import { truthy } from './py-values.js';

/** Reports a problem found while compiling (a wrong number of arguments) as a syntax error. */
export type CompileFail = (message: string, offset: number) => never;

/** A primitive literal's value, or `undefined` when the node is not one (lists stay fresh per call). */
function literal(node: ConditionNode): { value: unknown } | undefined {
  return node.kind === 'constant' ? { value: node.value } : undefined;
}

/**
 * How much work folding one constant operation may do at parse time; bigger results (`'a' * 10**6`)
 * are computed at run time, where the evaluation's budget applies.
 */
const FOLD_BUDGET = 1_000;

/** Folds an operator over literal operands now; a fault (like `1/0`) is left for run time. */
function fold(compute: (meter: WorkMeter) => unknown): Evaluator | undefined {
  try {
    const value = compute(new WorkMeter(FOLD_BUDGET));
    return () => value;
  } catch {
    return undefined;
  }
}

/** One constant key of a path: `.key` (attribute) or `['key']` (item). */
interface PathStep {
  readonly key: string;
  readonly offset: number;
  readonly item: boolean;
  /** Whether the key is PRIVATE (`internal_...`), so that it always reads as absent. */
  readonly hidden: boolean;
}

/** The steps of `name.key['key']...`: a name, then constant keys (empty when the node is not such a path). */
function pathOf(node: ConditionNode): { name: string; offset: number; keys: PathStep[] } | undefined {
  if (node.kind === 'name') return { name: node.name, offset: node.offset, keys: [] };
  if (node.kind === 'attribute') {
    const path = pathOf(node.target);
    path?.keys.push({ key: node.name, offset: node.nameOffset, item: false, hidden: isPrivateKey(node.name) });
    return path;
  }
  if (node.kind === 'subscript' && node.index.kind === 'constant' && typeof node.index.value === 'string') {
    const path = pathOf(node.target);
    path?.keys.push({ key: node.index.value, offset: node.index.offset, item: true, hidden: isPrivateKey(node.index.value) });
    return path;
  }
  return undefined;
}

/**
 * Reads `name.a.b` in one closure: one call per path instead of one per step. The keys are
 * constants, so whether each is PRIVATE is decided here, once: a PRIVATE key is never read.
 */
function compilePath(name: string, offset: number, keys: readonly PathStep[]): Evaluator {
  const hidden = isPrivateKey(name);
  const readName = (evaluation: { readonly scope: object; readonly freshScope: boolean }): unknown => {
    const { scope } = evaluation;
    const value = hidden
      ? MISSING
      : evaluation.freshScope
        ? freshData(scope, name, MISSING, offset)
        : ownVisibleData(scope, name, MISSING, offset);
    return value === MISSING ? fault(`unknown name '${name}'${privateHint(name)}`, offset) : value;
  };
  if (keys.length === 0) return readName;
  const readKey = (object: unknown, step: PathStep): unknown => {
    if (!step.hidden && isMapping(object) && !(object instanceof Map)) {
      const value = ownVisibleData(object, step.key, MISSING, step.offset);
      if (value !== MISSING) return value;
    }
    return step.item ? readItem(object, step.key, step.offset) : readAttribute(object, step.key, step.offset);
  };
  const [first] = keys;
  if (keys.length === 1 && first !== undefined) return (scope) => readKey(readName(scope), first);
  return (scope) => {
    let value = readName(scope);
    for (const step of keys) value = readKey(value, step);
    return value;
  };
}

function compileBoolean(op: 'and' | 'or', operands: readonly Evaluator[]): Evaluator {
  const [first, second] = operands;
  if (operands.length === 2 && first !== undefined && second !== undefined) {
    return op === 'and'
      ? (s) => {
          const value = first(s);
          return truthy(value) ? second(s) : value;
        }
      : (s) => {
          const value = first(s);
          return truthy(value) ? value : second(s);
        };
  }
  const stopOn = op === 'or';
  return (s) => {
    let value: unknown;
    for (const operand of operands) {
      value = operand(s);
      if (truthy(value) === stopOn) return value;
    }
    return value;
  };
}

/** Compiles a node into a closure that returns its Python value. */
export function compileValue(node: ConditionNode, fail: CompileFail): Evaluator {
  switch (node.kind) {
    case 'constant': {
      const { value } = node;
      return () => value;
    }
    case 'name':
      return compilePath(node.name, node.offset, []);
    case 'boolean':
      return compileBoolean(
        node.op,
        node.operands.map((operand) => compileValue(operand, fail)),
      );
    case 'not':
    case 'compare':
      return compileTest(node, fail);
    case 'negate': {
      const { op, offset } = node;
      const operand = compileValue(node.operand, fail);
      const constant = literal(node.operand);
      return (constant && fold(() => negate(op, constant.value, offset))) ?? ((s) => negate(op, operand(s), offset));
    }
    case 'arithmetic': {
      const { op, opOffset } = node;
      const apply = ARITHMETIC[op];
      const [left, right] = [compileValue(node.left, fail), compileValue(node.right, fail)];
      const [a, b] = [literal(node.left), literal(node.right)];
      const folded = a && b ? fold((meter) => apply(a.value, b.value, opOffset, meter)) : undefined;
      if (folded !== undefined) return folded;
      if (op === '%' && b !== undefined && typeof b.value === 'number' && b.value > 0) {
        const divisor = b.value;
        return (s) => {
          const x = left(s);
          return typeof x === 'number' && x >= 0 ? x % divisor : apply(x, divisor, opOffset, s);
        };
      }
      return (s) => apply(left(s), right(s), opOffset, s);
    }
    case 'attribute': {
      const path = pathOf(node);
      if (path !== undefined) return compilePath(path.name, path.offset, path.keys);
      const target = compileValue(node.target, fail);
      const { name, nameOffset } = node;
      return (s) => readAttribute(target(s), name, nameOffset);
    }
    case 'subscript': {
      const path = pathOf(node);
      if (path !== undefined) return compilePath(path.name, path.offset, path.keys);
      const [target, index] = [compileValue(node.target, fail), compileValue(node.index, fail)];
      const { offset } = node.index;
      return (s) => readItem(target(s), index(s), offset);
    }
    case 'call':
      return compileCall(
        node.builtin,
        node.args.map((arg) => compileValue(arg, fail)),
        node,
        fail,
      );
    case 'method':
      return compileMethod(
        compileValue(node.target, fail),
        node,
        node.args.map((arg) => compileValue(arg, fail)),
        fail,
      );
    case 'list': {
      if (node.items.every((item) => item.kind === 'constant')) {
        // A literal list of constants (`x in ['a', 'b']`) is built once; frozen, it cannot leak changes.
        const constant = Object.freeze(node.items.map((item) => (item.kind === 'constant' ? item.value : null)));
        return () => constant;
      }
      const items = node.items.map((item) => compileValue(item, fail));
      const { offset } = node;
      return (s) => {
        s.charge(items.length, offset);
        return trusted(items.map((item) => item(s)));
      };
    }
    case 'dict':
      return compileDict(
        node.entries.map(([key, value]) => [compileValue(key, fail), compileValue(value, fail), key.offset] as const),
        node.offset,
      );
  }
}

/** Compiles a node into a closure that returns its truthiness, skipping intermediate values. */
export function compileTest(node: ConditionNode, fail: CompileFail): Tester {
  switch (node.kind) {
    case 'not': {
      const operand = compileTest(node.operand, fail);
      return (s) => !operand(s);
    }
    case 'boolean': {
      const operands = node.operands.map((operand) => compileTest(operand, fail));
      const [first, second] = operands;
      if (operands.length === 2 && first !== undefined && second !== undefined) {
        return node.op === 'and' ? (s) => first(s) && second(s) : (s) => first(s) || second(s);
      }
      return node.op === 'and' ? (s) => operands.every((t) => t(s)) : (s) => operands.some((t) => t(s));
    }
    case 'compare': {
      const links: CompiledLink[] = node.links.map(({ op, offset, right }) => {
        const constant = literal(right);
        const link = { op, offset, right: compileValue(right, fail) };
        return constant === undefined ? link : { ...link, constant };
      });
      return compileComparison(compileValue(node.first, fail), links);
    }
    default: {
      const value = compileValue(node, fail);
      return (s) => truthy(value(s));
    }
  }
}
