import { describe, expect, it } from 'vitest';
import { checkCost, typedProgram } from '../bench/type-cost.js';

/**
 * A type-cost budget for the typed front door, counted in checker instantiations (deterministic,
 * unlike time): a 10-layer state, 30 fields per object, 3 levels deep, and 50 or 100 processes.
 */
describe('type-checking cost of createTheus<State>()', () => {
  it('stays linear and within budget on a large state', { timeout: 120_000 }, () => {
    const shape = { layers: 10, fields: 30, depth: 3 };
    const fifty = checkCost(typedProgram({ ...shape, processes: 50 }));
    const hundred = checkCost(typedProgram({ ...shape, processes: 100 }));
    expect(fifty.diagnostics).toEqual([]);
    expect(hundred.diagnostics).toEqual([]);
    const perProcess = (hundred.instantiations - fifty.instantiations) / 50;
    expect(perProcess).toBeLessThan(1_500);
    expect(hundred.instantiations).toBeLessThan(250_000);
  });

  it('reports a misspelled path in a generated program', { timeout: 60_000 }, () => {
    const source = typedProgram({ layers: 2, fields: 5, depth: 1, processes: 1 }).replace("inputs: ['domain.n0.f", "inputs: ['domain.n0.g");
    const cost = checkCost(source);
    expect(cost.diagnostics.join('\n')).toMatch(/domain\.n0\.f1/);
  });
});
