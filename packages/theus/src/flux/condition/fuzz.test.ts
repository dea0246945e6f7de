import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { WorkflowError } from '../../errors/index.js';
import { ConditionSyntaxError, parseCondition } from './index.js';

const PIECES = [
  ...'abcdxyz0123456789 ()[]{},.:+-*/%<>=!&|\'"\\#\n_'.split(''),
  ' and ',
  ' or ',
  'not ',
  ' in ',
  ' is ',
  '**',
  '//',
  'None',
  'True',
  'false',
  'null',
  'len(',
  'max(',
  'sum(',
  'str(',
  'int(',
  '.get(',
  '.keys()',
  'domain',
  'signal',
  '__proto__',
  'constructor',
];

const conditionText = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join('')),
);

const scopeValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, undefined, true, false, 0, -1, 2.5, Number.NaN, '', 'a', 'True'),
    fc.integer(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'x', 'y', 'get', 'constructor', '__proto__'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const scope = fc.record({ a: scopeValue, b: scopeValue, x: scopeValue, domain: scopeValue, signal: scopeValue });

describe('conditions: fuzzing', () => {
  test.prop([conditionText], { numRuns: 3000 })('any text parses or throws ConditionSyntaxError', (source) => {
    try {
      parseCondition(source);
    } catch (error) {
      expect(error).toBeInstanceOf(ConditionSyntaxError);
      const e = error as ConditionSyntaxError;
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(source.length);
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
    }
  });

  test.prop([conditionText, scope], { numRuns: 3000 })('a parsed condition returns or throws WorkflowError', (source, values) => {
    let condition;
    try {
      condition = parseCondition(source);
    } catch {
      return;
    }
    for (const run of [() => condition.test(values), () => condition.evaluate(values)]) {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(WorkflowError);
        expect((error as WorkflowError).code).toBe('WORKFLOW_CONDITION');
      }
    }
  });

  test.prop([fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }).filter((n) => n !== 0)])(
    '% and // follow Python: a == (a // b) * b + a % b, and a % b has the sign of b',
    (a, b) => {
      const scopeAB = { a, b };
      const mod = parseCondition('a % b').evaluate(scopeAB) as number;
      expect(parseCondition('(a // b) * b + a % b == a').test(scopeAB)).toBe(true);
      expect(mod === 0 || Math.sign(mod) === Math.sign(b)).toBe(true);
    },
  );

  test.prop([fc.jsonValue(), fc.jsonValue()])('== on JSON data is structural and symmetric', (x, y) => {
    const eq = parseCondition('x == y');
    expect(eq.test({ x, y })).toBe(eq.test({ x: y, y: x }));
    expect(eq.test({ x, y: structuredClone(x) })).toBe(true);
  });
});
