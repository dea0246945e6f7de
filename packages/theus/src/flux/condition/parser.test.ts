import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, MAX_NESTING, parseCondition } from './index.js';

function syntaxError(source: string): ConditionSyntaxError {
  try {
    parseCondition(source);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${source}`);
}

describe('parseCondition: syntax', () => {
  it('lists the free names once, in order, without builtins or constants', () => {
    const condition = parseCondition("len(domain.items) > 0 and signal.get('x') is None or domain.y and cmd and True");
    expect(condition.names).toEqual(['domain', 'signal', 'cmd']);
    expect(condition.source).toBe("len(domain.items) > 0 and signal.get('x') is None or domain.y and cmd and True");
  });

  it('is pure: the same text gives an equivalent condition', () => {
    const a = parseCondition('x + 1');
    const b = parseCondition('x + 1');
    expect(a.names).toEqual(b.names);
    expect(a.evaluate({ x: 1 })).toBe(b.evaluate({ x: 1 }));
  });

  it.each([
    ['', 0, 1, 1, 'empty'],
    ['   ', 0, 1, 1, 'empty'],
    ['x >', 3, 1, 4, 'unexpected end'],
    ['(a', 2, 1, 3, "expected ')'"],
    ['a)', 1, 1, 2, "unexpected ')'"],
    ['a b', 2, 1, 3, "unexpected 'b'"],
    ['a[1', 3, 1, 4, "expected ']'"],
    ['a[1:2]', 3, 1, 4, 'slices'],
    ['a not b', 2, 1, 3, "unexpected 'not'"],
    ['len', 0, 1, 1, 'builtin function'],
    ['len(1, 2)', 0, 1, 1, 'takes 1 argument'],
    ['sum()', 0, 1, 1, 'takes 1 or 2 arguments'],
    ['d.get()', 2, 1, 3, 'takes 1 or 2'],
    ['d.keys(1)', 2, 1, 3, 'takes 0'],
    ['d.pop(1)', 2, 1, 3, 'cannot be called'],
    ['open("f")', 4, 1, 5, 'only the builtins'],
    ['x.y()', 2, 1, 3, 'cannot be called'],
    ['{1 2}', 3, 1, 4, "expected ':'"],
    ['[1, 2', 5, 1, 6, "expected ',' or ']'"],
    ['a.1', 1, 1, 2, 'unexpected number .1'],
    ['a.(b)', 2, 1, 3, "expected a key name after '.'"],
    ['x ==\n  == y', 7, 2, 3, "found '=='"],
  ])('reports %j at offset %i (line %i, column %i)', (source, offset, line, column, message) => {
    const error = syntaxError(source);
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect({ offset: error.offset, line: error.line, column: error.column }).toEqual({ offset, line, column });
    expect(error.message).toContain(message);
    expect(error.source).toBe(source);
  });

  it.each([
    ['(('.repeat(5000) + 'x' + '))'.repeat(5000)],
    ['not '.repeat(10_000) + 'x'],
    ['! '.repeat(10_000) + 'x'],
    ['-'.repeat(10_000) + '1'],
    ['['.repeat(10_000) + ']'.repeat(10_000)],
    ['{"a": '.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['x' + '[0]'.repeat(10_000)],
    ['x' + '.a'.repeat(10_000)],
    ['1' + ' + 1'.repeat(10_000)],
    ['2' + ' ** 2'.repeat(10_000)],
    ['len('.repeat(10_000) + 'x' + ')'.repeat(10_000)],
  ])('refuses pathological nesting with a syntax error (%#)', (source) => {
    const error = syntaxError(source);
    expect(error.message).toContain(`more than ${MAX_NESTING} levels`);
  });

  it('accepts long flat chains of and/or and comparisons', () => {
    const source = Array.from({ length: 1000 }, (_, i) => `x != ${i + 1}`).join(' and ');
    expect(parseCondition(source).test({ x: 0 })).toBe(true);
    const chain = Array.from({ length: 500 }, (_, i) => String(i)).join(' < ');
    expect(parseCondition(chain).test({})).toBe(true);
  });

  it('accepts nesting up to the limit', () => {
    const depth = 60;
    expect(parseCondition('('.repeat(depth) + '1' + ')'.repeat(depth)).evaluate({})).toBe(1);
  });
});
