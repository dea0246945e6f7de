import { describe, expect, it } from 'vitest';
import { createRecord } from '../context/persistent-record.js';
import { evaluateRule, loadAuditRecipe, previewValue, type AuditRule, type AuditRuleInput } from './index.js';

function rule(input: AuditRuleInput): AuditRule {
  const recipe = loadAuditRecipe({ process_recipes: { p: { inputs: [{ field: 'v', ...input }] } } });
  const found = recipe.processes['p']?.inputs[0];
  if (found === undefined) throw new Error('rule not loaded');
  return found;
}

const passes = (input: AuditRuleInput, value: unknown): boolean => evaluateRule(rule(input), value).length === 0;

describe('min / max', () => {
  it('compares numbers inclusively', () => {
    expect(passes({ min: 0.01, max: 10 }, 0.01)).toBe(true);
    expect(passes({ min: 0.01, max: 10 }, 10)).toBe(true);
    expect(passes({ min: 0.01 }, 0)).toBe(false);
    expect(passes({ max: 10 }, 10.5)).toBe(false);
    expect(passes({ min: 0 }, 5n)).toBe(true);
  });

  it('fails non-numbers with a clear message instead of coercing', () => {
    for (const value of ['5', true, null, NaN, [1], { n: 1 }]) expect(passes({ min: 0 }, value)).toBe(false);
    expect(evaluateRule(rule({ min: 0 }), 'abc')[0]?.text).toBe('expected a number >= 0, got "abc"');
  });

  it('says what was found and expected', () => {
    expect(evaluateRule(rule({ min: 100 }), 50)).toEqual([{ check: 'min', expected: '>= 100', text: '50 is below min 100' }]);
    expect(evaluateRule(rule({ max: 5000 }), 6000)[0]?.text).toBe('6000 is above max 5000');
  });
});

describe('eq / neq / in: deep equality for any value', () => {
  it('compares strings (the original ignored eq on strings)', () => {
    expect(passes({ eq: 'READY' }, 'READY')).toBe(true);
    expect(passes({ eq: 'READY' }, 'DRAFT')).toBe(false);
    expect(passes({ neq: 'LOCKED' }, 'OPEN')).toBe(true);
    expect(passes({ neq: 'LOCKED' }, 'LOCKED')).toBe(false);
  });

  it('compares booleans, null, lists and mappings without coercion', () => {
    expect(passes({ eq: true }, true)).toBe(true);
    expect(passes({ eq: true }, 1)).toBe(false);
    expect(passes({ eq: 1 }, '1')).toBe(false);
    expect(passes({ eq: null }, null)).toBe(true);
    expect(passes({ eq: [1, { a: 'x' }] }, [1, { a: 'x' }])).toBe(true);
    expect(passes({ eq: [1, 2] }, [2, 1])).toBe(false);
    expect(passes({ eq: { a: 1, b: [2] } }, { b: [2], a: 1 })).toBe(true);
    expect(passes({ eq: { a: 1 } }, { a: 1, b: 2 })).toBe(false);
    expect(passes({ neq: { a: 1 } }, { a: 2 })).toBe(true);
    expect(passes({ eq: { a: 1 } }, new Map([['a', 1]]))).toBe(false);
  });

  it('checks membership with in', () => {
    expect(passes({ in: ['EUR', 'USD'] }, 'EUR')).toBe(true);
    expect(passes({ in: ['EUR', 'USD'] }, 'GBP')).toBe(false);
    expect(passes({ in: [1, [2], { k: null }] }, { k: null })).toBe(true);
    expect(passes({ in: [1, 2] }, '1')).toBe(false);
    expect(evaluateRule(rule({ in: ['a', 'b'] }), 'c')[0]?.text).toBe('"c" is not one of ["a","b"]');
  });
});

describe('min_len / max_len', () => {
  it('measures strings in code points, arrays, mappings, Maps and Sets', () => {
    expect(passes({ min_len: 3, max_len: 3 }, 'abc')).toBe(true);
    expect(passes({ max_len: 2 }, '😀😀')).toBe(true);
    expect(passes({ min_len: 1 }, [])).toBe(false);
    expect(passes({ max_len: 3 }, [1, 2, 3, 4])).toBe(false);
    expect(passes({ max_len: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(passes({ min_len: 2 }, new Set([1, 2]))).toBe(true);
    const big = createRecord(
      Array.from({ length: 600 }, (_, i) => [`k${String(i)}`, i] as const),
      600,
    );
    expect(passes({ max_len: 599 }, big)).toBe(false);
  });

  it('fails values without a length', () => {
    expect(passes({ min_len: 0 }, 5)).toBe(false);
    expect(evaluateRule(rule({ max_len: 3 }), null)[0]?.text).toBe('null has no length (expected a string, list or mapping)');
  });
});

describe('regex', () => {
  it('tests strings (unanchored unless the pattern anchors), repeatedly', () => {
    const r = rule({ regex: '^PROD' });
    expect([evaluateRule(r, 'PROD-1'), evaluateRule(r, 'PROD-1'), evaluateRule(r, 'DEV')].map((v) => v.length)).toEqual([0, 0, 1]);
    expect(passes({ regex: 'ab' }, 'xxabxx')).toBe(true);
  });

  it('fails non-strings', () => {
    expect(passes({ regex: '^1' }, 1)).toBe(false);
    expect(evaluateRule(rule({ regex: '^U' }), 'x')[0]).toEqual({
      check: 'regex',
      expected: 'matches /^U/',
      text: '"x" does not match /^U/',
    });
  });
});

describe('several checks in one rule', () => {
  it('reports every failing check', () => {
    expect(evaluateRule(rule({ eq: 'x', max_len: 1, regex: '^y' }), 'zz').map((v) => v.check)).toEqual(['eq', 'max_len', 'regex']);
  });
});

describe('previews', () => {
  it('are bounded and never throw', () => {
    expect(previewValue('x'.repeat(1000)).length).toBeLessThanOrEqual(80);
    expect(previewValue(Array.from({ length: 100000 }, (_, i) => i)).length).toBeLessThanOrEqual(80);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(previewValue(cyclic)).toBe('{"a":1,"self":[cycle]}');
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
      },
    );
    expect(previewValue(hostile)).toContain('…');
    expect(previewValue(undefined)).toBe('undefined');
  });
});
