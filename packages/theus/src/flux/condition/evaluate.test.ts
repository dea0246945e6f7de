import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../errors/index.js';
import { parseCondition, type ConditionScope } from './index.js';

const evaluate = (source: string, scope: ConditionScope = {}): unknown => parseCondition(source).evaluate(scope);
const test = (source: string, scope: ConditionScope = {}): boolean => parseCondition(source).test(scope);

function failure(source: string, scope: ConditionScope = {}): WorkflowError {
  try {
    parseCondition(source).evaluate(scope);
  } catch (error) {
    if (error instanceof WorkflowError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('conditions: the documented examples', () => {
  it('reads layers, signals and mappings', () => {
    const condition = parseCondition("domain.retries < 3 and not signal.get('cmd_stop')");
    expect(condition.test({ domain: { retries: 1 }, signal: {} })).toBe(true);
    expect(condition.test({ domain: { retries: 1 }, signal: { cmd_stop: 'True' } })).toBe(false);
    expect(condition.test({ domain: { retries: 3 }, signal: {} })).toBe(false);
    const paid = parseCondition("domain['paid'] == True and len(domain.items) > 0");
    expect(paid.test({ domain: { paid: true, items: [1] } })).toBe(true);
    expect(paid.test({ domain: { paid: true, items: [] } })).toBe(false);
    expect(test("signal.get('cmd_stop') == 'True'", { signal: { cmd_stop: 'True' } })).toBe(true);
    expect(test("signal.get('cmd_stop') == 'True'", { signal: new Map([['cmd_stop', 'False']]) })).toBe(false);
    expect(test("cfg['db']['host'] == 'h'", { cfg: { db: { host: 'h' } } })).toBe(true);
    expect(test('counter % 5 != 0 or counter == 0', { counter: 0 })).toBe(true);
    expect(test('max(scores) > 90', { scores: [10, 95] })).toBe(true);
    expect(test('val is None', { val: null })).toBe(true);
    expect(test('val is None', { val: undefined })).toBe(true);
    expect(test('val', { val: 'x' })).toBe(true);
  });
});

describe('conditions: Python semantics', () => {
  it.each([
    ['1 and 2', 2],
    ['0 and 2', 0],
    ["0 or ''", ''],
    ["'' or 'b'", 'b'],
    ['None or 0 or [] or 5', 5],
    ['not 0', true],
    ['!1', false],
    ['1 && 0 || 3', 3],
    ['0 < 5 <= 5', true],
    ['1 < 2 > 3', false],
    ['1 == 1.0', true],
    ['True == 1', true],
    ['[1, [2, {"a": 3}]] == [1, [2, {"a": 3}]]', true],
    ['{"a": 1, "b": 2} == {"b": 2, "a": 1}', true],
    ['{"a": 1} != {"a": 2}', true],
    ['[1, 2] < [1, 3]', true],
    ['[1] < [1, 0]', true],
    ["'abc' < 'abd'", true],
    ['2 in [1, 2]', true],
    ['2 not in (1, 2)', false],
    ["'ell' in 'hello'", true],
    ["'k' in {'k': 1}", true],
    ['None is null', true],
    ['1 is not None', true],
    ['true is True', true],
    ['1 + 2 * 3 - 4 / 2', 5],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['-7 % 3', 2],
    ['7 % -3', -2],
    ['7.5 % 2', 1.5],
    ['2 ** 3 ** 2', 512],
    ['-2 ** 2', -4],
    ['2 ** -1', 0.5],
    ['True + True', 2],
    ["'a' + 'b'", 'ab'],
    ["'ab' * 2", 'abab'],
    ['3 * [0]', [0, 0, 0]],
    ['[1] + [2]', [1, 2]],
    ['(1, 2)', [1, 2]],
    ['(1,)', [1]],
    ['()', []],
    ['[1, 2,]', [1, 2]],
    ['{"a": [1]}', { a: [1] }],
    ['{}', {}],
    ['len("héllo😀")', 6],
    ['len([1, 2])', 2],
    ['len({"a": 1})', 1],
    ['int("  -12 ")', -12],
    ['int(3.9)', 3],
    ['int(-3.9)', -3],
    ['int(True)', 1],
    ['float("1.5e2")', 150],
    ['float("-inf") < 0', true],
    ['str(1.5)', '1.5'],
    ['str(1e20)', '1e+20'],
    ['str(0.00001)', '1e-05'],
    ['str(True) + str(None)', 'TrueNone'],
    ["str([1, 'a', None, {'k': False}])", "[1, 'a', None, {'k': False}]"],
    ['bool([])', false],
    ['bool("x")', true],
    ['abs(-2.5)', 2.5],
    ['min(3, 1, 2)', 1],
    ['max("b", "a")', 'b'],
    ['sum([1, 2, 3])', 6],
    ['sum([[1], [2]], [])', [1, 2]],
    ["'abc'[-1]", 'c'],
    ['[1, 2, 3][-3]', 1],
    ["'x\\n'", 'x\n'],
    ['0x10 + 0b1 + 0o7 + 1_000', 1024],
  ])('%s', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('applies Python truthiness in test()', () => {
    for (const falsy of [0, '', [], {}, null, undefined, false, new Map()]) expect(test('v', { v: falsy })).toBe(false);
    for (const truthy of [1, -1, 'x', [0], { a: 0 }, true, Number.NaN, new Map([[1, 1]])]) expect(test('v', { v: truthy })).toBe(true);
  });

  it('short-circuits: the right side of and/or is not evaluated when not needed', () => {
    expect(test('False and missing.x')).toBe(false);
    expect(test('True or 1/0')).toBe(true);
    expect(test('1 > 2 < missing')).toBe(false);
  });

  it('reads .get, .keys, .values and .items on mappings', () => {
    const scope = { d: { a: 1, b: 2 } };
    expect(evaluate("d.get('a')", scope)).toBe(1);
    expect(evaluate("d.get('z')", scope)).toBeNull();
    expect(evaluate("d.get('z', 5)", scope)).toBe(5);
    expect(evaluate('d.keys()', scope)).toEqual(['a', 'b']);
    expect(evaluate('d.values()', scope)).toEqual([1, 2]);
    expect(evaluate('d.items()', scope)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(evaluate("d.get('k') == 'v'", { d: new Map([['k', 'v']]) })).toBe(true);
    expect(evaluate('d[1]', { d: { 1: 'one' } })).toBe('one');
  });
});

describe('conditions: runtime errors are WORKFLOW_CONDITION naming the condition', () => {
  it.each([
    ['missing > 1', {}, 0, "unknown name 'missing'"],
    ['domain.x', { domain: {} }, 7, "no key 'x'"],
    ["domain['x']", { domain: {} }, 7, "no key 'x'"],
    ['d[0]', { d: {} }, 2, 'no key 0'],
    ["'a' < 1", {}, 4, "'<' is not supported between instances of 'str' and 'int'"],
    ['None < 1', {}, 5, "'NoneType' and 'int'"],
    ['1 / 0', {}, 2, 'division by zero'],
    ['1 // 0', {}, 2, 'division by zero'],
    ['1 % 0', {}, 2, 'division by zero'],
    ['0 ** -1', {}, 2, 'negative power'],
    ["'a' + 1", {}, 4, "unsupported operand types for +: 'str' and 'int'"],
    ['-"a"', {}, 0, 'bad operand type for unary -'],
    ['len(5)', {}, 0, "object of type 'int' has no len()"],
    ['int("x")', {}, 0, 'invalid literal for int()'],
    ['float(None)', {}, 0, "not 'NoneType'"],
    ['max([])', {}, 0, 'empty sequence'],
    ['[1][5]', {}, 4, 'index 5 is out of range'],
    ['[1][1.5]', {}, 4, "not 'float'"],
    ["[1]['a']", {}, 4, "not 'str'"],
    ['5[0]', {}, 2, 'not subscriptable'],
    ['x.y', { x: 5 }, 2, "'int' object has no attribute 'y'"],
    ['x.get(1)', { x: [1] }, 2, "'list' object has no method 'get'"],
    ['1 in 5', {}, 2, "argument of type 'int' is not iterable"],
    ['1 in "abc"', {}, 2, 'requires a string as left operand'],
    ['[] in {}', {}, 3, 'unhashable'],
    ['{None: 1}', {}, 1, 'dict keys in conditions must be strings'],
    ["'x' * 100000000", {}, 4, 'budget of 1,000,000 units'],
    ['a == b', { a: [] as unknown[], b: [] as unknown[] }, 0, ''],
  ])('%s', (source, scope, offset, problem) => {
    if (problem === '') {
      const a: unknown[] = [];
      a.push(a);
      const b: unknown[] = [];
      b.push(b);
      const error = failure(source, { a, b });
      expect(error.code).toBe('WORKFLOW_CONDITION');
      expect(error.message).toContain('nested more than');
      return;
    }
    const error = failure(source, scope);
    expect(error.code).toBe('WORKFLOW_CONDITION');
    expect(error.message).toContain(JSON.stringify(source));
    expect(error.message).toContain(problem);
    expect(error.details).toMatchObject({ condition: source, offset });
  });

  it('reports multi-line positions and refuses a non-object scope', () => {
    const error = failure('x and\n  y.z', { x: 1, y: {} });
    expect(error.details).toMatchObject({ line: 2, column: 5 });
    expect(error.message).toContain('line 2, column 5');
    expect(() => parseCondition('1').test(null as unknown as ConditionScope)).toThrow(WorkflowError);
  });

  it('raises from test() as from evaluate()', () => {
    expect(() => test("'a' < 1")).toThrow(/WORKFLOW_CONDITION|not supported/);
  });
});
