import { describe, expect, it } from 'vitest';
import { zoneOfSegment } from '../../context/zones.js';
import { WorkflowError } from '../../errors/index.js';
import { isPrivateKey } from './access.js';
import { BudgetFault, checkBudget, DEFAULT_CONDITION_BUDGET, WorkMeter } from './budget.js';
import { parseCondition } from './index.js';

/** The units an evaluation of `source` spends: the smallest budget it succeeds with. */
function cost(source: string, scope: Record<string, unknown> = {}): number {
  const condition = parseCondition(source);
  let low = 1;
  let high = 1;
  const fits = (budget: number): boolean => {
    try {
      condition.evaluate(scope, { budget });
      return true;
    } catch (error) {
      if (error instanceof WorkflowError && /budget/.test(error.message)) return false;
      throw error;
    }
  };
  while (!fits(high)) high *= 2;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}

describe('WorkMeter', () => {
  it('spends exactly its budget, then faults at the offset of the operation', () => {
    const meter = new WorkMeter(10);
    meter.charge(10, 0);
    expect(meter.spent).toBe(10);
    expect(() => meter.charge(1, 7)).toThrow(BudgetFault);
    try {
      new WorkMeter(3).charge(4, 5);
    } catch (error) {
      expect(error).toMatchObject({ offset: 5, budget: 3 });
    }
    expect(() => new WorkMeter(Infinity).charge(1e300, 0)).not.toThrow();
  });

  it('checkBudget accepts positive integers and Infinity, with a typed error otherwise', () => {
    expect(checkBudget(undefined)).toBe(DEFAULT_CONDITION_BUDGET);
    expect(checkBudget(5)).toBe(5);
    expect(checkBudget(Infinity)).toBe(Infinity);
    for (const bad of [0, -1, 0.5, Number.NaN, '5', null]) expect(() => checkBudget(bad)).toThrow(WorkflowError);
  });
});

describe('what conditions cost', () => {
  it.each([
    ['x > 1', { x: 2 }, 1],
    ["domain.get('a', 1) == 1", { domain: {} }, 1],
    ['len(items) > 0', { items: new Array(1000).fill(0) }, 1],
    ['[1, 2, 3] == [1, 2, 3]', {}, 3],
    ['[0] * n == []', { n: 100 }, 100],
    ["'ab' * n == ''", { n: 50 }, 100],
    ['items == other', { items: new Array(1000).fill(0), other: new Array(1000).fill(0) }, 1000],
    ['0 in items', { items: new Array(1000).fill(1) }, 1000],
    ['max(items) > 0', { items: new Array(1000).fill(1) }, 999],
    ['s == t', { s: 'x'.repeat(500), t: 'x'.repeat(500) }, 500],
    ["'y' in s", { s: 'x'.repeat(500) }, 500],
    ['len(d) == 3', { d: { a: 1, b: 2, c: 3 } }, 3],
  ])('%s costs about %s', (source, scope, units) => {
    const spent = cost(source, scope);
    expect(spent).toBeGreaterThanOrEqual(units);
    expect(spent).toBeLessThanOrEqual(units * 1.1 + 5);
  });
});

describe('PRIVATE keys in the evaluator', () => {
  const scope = { d: { internal_a: 1, b: 2 }, m: new Map([['internal_a', 1]]), internal_layer: { x: 1 } };

  it('are absent to every read', () => {
    expect(parseCondition("d.get('internal_a') is None").test(scope)).toBe(true);
    expect(parseCondition("'internal_a' in d or 'internal_a' in m").test(scope)).toBe(false);
    expect(parseCondition("d == {'b': 2} and len(d) == 1 and str(d) == \"{'b': 2}\"").test(scope)).toBe(true);
    expect(parseCondition('bool(m)').test(scope)).toBe(false);
    expect(() => parseCondition('internal_layer.x').test(scope)).toThrow(/unknown name 'internal_layer': .*PRIVATE/);
    expect(() => parseCondition('d.internal_a').test(scope)).toThrow(/no key 'internal_a': .*PRIVATE/);
  });
});

describe('isPrivateKey', () => {
  it('agrees with the zone rules', () => {
    for (const key of ['internal_', 'internal_x', 'internalx', 'Internal_x', 'x_internal_', 'const_internal_', 'i', '', 'sig_x', 'in']) {
      expect(isPrivateKey(key), key).toBe(zoneOfSegment(key) === 'PRIVATE');
    }
    expect(isPrivateKey(1)).toBe(false);
  });
});
