import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { stringify } from 'yaml';
import { AuditError } from '../errors/index.js';
import { AuditTracker, loadAuditRecipe } from './index.js';

const KEYS = [
  'field',
  'key',
  'min',
  'max',
  'eq',
  'neq',
  'min_len',
  'max_len',
  'regex',
  'in',
  'level',
  'message',
  'max_threshold',
  'min_threshold',
];
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -3, max: 9 }), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.oneof(
  scalar,
  fc.constantFrom('B', 'S', 'I', 'block', '(', '^a', 'domain.x', '__proto__'),
  fc.array(scalar, { maxLength: 3 }),
);
const ruleArb = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 })), value, { maxKeys: 5 });
const processArb = fc.record(
  {
    inherits: fc.constantFrom('_base', 'p', 'q', 'nope'),
    level: value,
    max_threshold: value,
    inputs: fc.oneof(fc.array(ruleArb, { maxLength: 3 }), value),
    outputs: fc.array(ruleArb, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const recipeArb = fc.oneof(
  fc.record(
    {
      audit: fc.oneof(fc.record({ level: value, threshold_max: value, threshold_min: value }, { requiredKeys: [] }), value),
      process_recipes: fc.oneof(fc.dictionary(fc.constantFrom('_base', 'p', 'q', '__proto__', 'constructor'), processArb), value),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }),
);

function onlyAuditErrors(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
    expect((error as AuditError).message).toMatch(/^Invalid audit recipe/);
  }
}

describe('loader robustness', () => {
  test.prop([recipeArb], { numRuns: 400 })('objects either load or fail with AuditError', (input) => {
    onlyAuditErrors(() => loadAuditRecipe(input as never));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test.prop([recipeArb], { numRuns: 300 })('the same recipes as YAML text either load or fail with AuditError', (input) => {
    let text: string;
    try {
      text = stringify(input);
    } catch {
      return;
    }
    onlyAuditErrors(() => loadAuditRecipe(text));
  });

  test.prop([fc.string({ maxLength: 80 })], { numRuns: 300 })('arbitrary text either loads or fails with AuditError', (text) => {
    onlyAuditErrors(() => loadAuditRecipe(text));
  });
});

describe('counters', () => {
  const settings = fc.record({
    max: fc.integer({ min: 1, max: 6 }),
    min: fc.integer({ min: 0, max: 6 }),
    reset: fc.boolean(),
    level: fc.constantFrom('S', 'A', 'B', 'C', 'I'),
  });

  test.prop([settings, fc.array(fc.boolean(), { maxLength: 40 })], { numRuns: 300 })(
    'never reach max_threshold after a check, and follow the dual-threshold model',
    ({ max, min, reset, level }, passes) => {
      const minThreshold = Math.min(min, max);
      const recipe = loadAuditRecipe({
        process_recipes: {
          p: { inputs: [{ field: 'x', min: 0, level, max_threshold: max, min_threshold: minThreshold, reset_on_success: reset }] },
        },
      });
      const tracker = new AuditTracker(recipe, { logSize: 5 });
      let model = 0;
      for (const pass of passes) {
        const outcome = tracker.check({ process: 'p', gate: 'input', read: () => (pass ? 1 : -1) });
        if (pass) {
          if (reset) model = 0;
          expect(outcome.action).toBe('pass');
        } else {
          model++;
          const fired = model >= max;
          const warned = !fired && minThreshold > 0 && model >= minThreshold;
          const expected = fired
            ? { S: 'stop', A: 'abort', B: 'block', C: 'warn', I: 'info' }[level]
            : warned
              ? level === 'I'
                ? 'info'
                : 'warn'
              : 'count';
          expect(outcome.action).toBe(expected);
          expect(outcome.failures[0]?.counter).toBe(model);
          if (fired) model = 0;
        }
        const counter = tracker.counter('p', 'input', 'x');
        expect(counter).toBe(model);
        expect(counter).toBeLessThan(max);
      }
      expect(tracker.logs().length).toBe(Math.min(5, passes.length));
    },
  );
});
