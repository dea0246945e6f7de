import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { HAS_REFERENCE_EXAMPLES, LEGACY_FIXTURES, REFERENCE_EXAMPLES, REFERENCE_NOTE } from '../../test/reference-examples.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AuditError } from '../errors/index.js';
import { loadAuditRecipe, type AuditRecipe, type AuditRecipeIssue } from './index.js';
import { loadAuditRecipeFile } from './recipe-file.js';

const EXAMPLES = REFERENCE_EXAMPLES;
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/audit/', import.meta.url));

function loadError(source: Parameters<typeof loadAuditRecipe>[0], file?: string): AuditError {
  try {
    loadAuditRecipe(source, file === undefined ? {} : { file });
  } catch (error) {
    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
    return error as AuditError;
  }
  throw new Error('expected the recipe to be rejected');
}

const issuesOf = (error: AuditError): readonly AuditRecipeIssue[] => error.details['issues'] as AuditRecipeIssue[];

// The project's own fixtures for the legacy recipe formats: test/fixtures/legacy/audit/<case>/
// case.yaml (written for this project in the shapes of the original's files) + expected.json.
describe('legacy recipe formats: the project fixtures (test/fixtures/legacy/audit)', () => {
  const CASES = join(LEGACY_FIXTURES, 'audit');
  const cases = readdirSync(CASES).filter((name) => existsSync(join(CASES, name, 'case.yaml')));

  it('covers the shapes of the original files', () => {
    expect(cases.sort()).toEqual(['global-spec', 'process-recipes', 'rules-list']);
  });

  it.each(cases)('%s loads as expected (defaults, rules, positions, inheritance), from text and from the file', async (name) => {
    const expected = JSON.parse(readFileSync(join(CASES, name, 'expected.json'), 'utf8')) as Pick<AuditRecipe, 'defaults' | 'processes'>;
    const recipe = loadAuditRecipe(readFileSync(join(CASES, name, 'case.yaml'), 'utf8'), { file: 'case.yaml' });
    expect(recipe.defaults).toEqual(expected.defaults);
    expect(Object.keys(recipe.processes)).toEqual(Object.keys(expected.processes));
    expect(recipe.processes).toMatchObject(expected.processes);
    const fromFile = await loadAuditRecipeFile(join(CASES, name, 'case.yaml'));
    expect(Object.keys(fromFile.processes)).toEqual(Object.keys(expected.processes));
    expect(Object.isFrozen(fromFile)).toBe(true);
  });
});

// The original project's example files, when the shared reference folder sits beside the repository.
describe(`loading the original project example files ${REFERENCE_NOTE}`, () => {
  const files = HAS_REFERENCE_EXAMPLES ? readdirSync(EXAMPLES).filter((name) => name.includes('audit')) : [];

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('finds them, and each loads unchanged', async () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const name of files) {
      const recipe = await loadAuditRecipeFile(join(EXAMPLES, name));
      expect(Object.keys(recipe.processes).length, name).toBeGreaterThan(0);
      expect(Object.isFrozen(recipe), name).toBe(true);
    }
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('reads the integration spec: global threshold 100, no reset, per-rule overrides', () => {
    const recipe = loadAuditRecipe(readFileSync(join(EXAMPLES, 'tests_03_audit_resources_audit_spec.yaml'), 'utf8'));
    expect(recipe.defaults).toEqual({ level: 'B', minThreshold: 0, maxThreshold: 100, resetOnSuccess: false });
    const [amount, dest] = recipe.processes['p_transfer']?.inputs ?? [];
    expect(amount).toMatchObject({ field: 'amount', level: 'B', maxThreshold: 1, message: 'Amount must be >= 100' });
    expect(dest).toMatchObject({ field: 'dest', level: 'C', maxThreshold: 100, resetOnSuccess: false });
    expect(recipe.processes['p_critical']?.inputs[0]).toMatchObject({ level: 'S', checks: [{ kind: 'regex', pattern: '^SAFE$' }] });
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('reads the alternative format (defaults, rules, input_rules, key, level BLOCK)', () => {
    const recipe = loadAuditRecipe(readFileSync(join(EXAMPLES, 'examples_ecommerce_specs_audit_ecommerce.yaml'), 'utf8'));
    const inputs = recipe.processes['create_order']?.inputs ?? [];
    expect(inputs.map((r) => [r.field, r.level, r.checks[0]?.kind])).toEqual([
      ['domain.order_request.total', 'B', 'min'],
      ['domain.order_request.items', 'B', 'min_len'],
    ]);
  });
});

describe('invalid recipes: every problem at once, with file:line:column', () => {
  const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.yaml'));

  it.each(fixtures)('%s', (name) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, name.replace(/\.yaml$/, '.expected.json')), 'utf8')) as {
      line: number;
      column: number;
      contains: string;
    }[];
    const error = loadError(readFileSync(join(FIXTURES, name), 'utf8'), name);
    const issues = issuesOf(error);
    expect(issues.map((i) => [i.line, i.column])).toEqual(expected.map((e) => [e.line, e.column]));
    expected.forEach((e, i) => {
      expect(issues[i]?.message).toContain(e.contains);
      expect(error.message).toContain(`${name}:${String(e.line)}:${String(e.column)}: `);
    });
  });

  it('refuses spaces around a field segment (the run reads segments untrimmed), checking reserved names on the same segments', () => {
    const text = `process_recipes:
  p:
    inputs:
      - { field: " constructor .a", min: 0 }
      - { field: "domain. total", min: 0 }
      - { field: "amount ", min: 0 }
      - { field: "domain. ", min: 0 }
`;
    const issues = issuesOf(loadError(text, 'r.yaml'));
    expect(issues.map((i) => `${String(i.line)}:${String(i.column)} ${i.path}: ${i.message.split(':')[0] ?? ''}`)).toEqual([
      "4:18 process_recipes.p.inputs[0].field: field ' constructor .a' has an invalid segment ' constructor '",
      "5:18 process_recipes.p.inputs[1].field: field 'domain. total' has an invalid segment ' total'",
      "6:18 process_recipes.p.inputs[2].field: field 'amount ' has an invalid segment 'amount '",
      "7:18 process_recipes.p.inputs[3].field: field 'domain. ' has an invalid segment ' '",
    ]);
    expect(issues[0]?.message).toContain('has no spaces around it and is not __proto__, prototype or constructor');
    const inner = loadAuditRecipe({ process_recipes: { p: { inputs: [{ field: 'domain.my field', min: 0 }] } } });
    expect(inner.processes['p']?.inputs[0]?.field).toBe('domain.my field');
  });

  it('names the key path for object recipes', () => {
    const error = loadError({ process_recipes: { transfer: { inputs: [{ field: 'amount', min: 0, level: 'Z' }] } } });
    expect(error.message).toContain('<object>:process_recipes.transfer.inputs[0].level: unknown level');
    expect(issuesOf(error)[0]).toMatchObject({ line: 0, column: 0, path: 'process_recipes.transfer.inputs[0].level' });
  });

  it('rejects non-data values in object recipes', () => {
    const error = loadError({ process_recipes: { p: { inputs: [{ field: 'a', eq: new Date(0) }] } } });
    expect(error.message).toContain('<object>:process_recipes.p.inputs[0].eq: unsupported value');
    const cyclic: Record<string, unknown> = {};
    cyclic['process_recipes'] = { p: { inputs: [cyclic] } };
    expect(loadError(cyclic as never).message).toContain('cycle');
    expect(loadError(42 as never).message).toContain('must be a mapping');
  });
});

describe('object input and defaults precedence', () => {
  const recipe: AuditRecipe = loadAuditRecipe({
    audit: { level: 'C', threshold_max: 9, threshold_min: 2, reset_on_success: false },
    process_recipes: {
      _base: { level: 'A', max_threshold: 5, inputs: [{ field: 'base_field', min: 0 }] },
      child: {
        inherits: '_base',
        max_threshold: 4,
        inputs: [
          { field: 'own', min: 0 },
          { field: 'rule_level', min: 0, level: 'S', max_threshold: 2, min_threshold: 1, reset_on_success: true },
        ],
      },
      plain: { inputs: [{ field: 'x', eq: 'READY' }] },
      bare: null,
    },
  });

  it('applies rule > process > base > audit: > built-in', () => {
    const child = recipe.processes['child'];
    expect(child?.inherits).toEqual(['_base']);
    expect(child?.inputs.map((r) => [r.field, r.index, r.level, r.minThreshold, r.maxThreshold, r.resetOnSuccess])).toEqual([
      ['base_field', 0, 'A', 2, 4, false],
      ['own', 1, 'A', 2, 4, false],
      ['rule_level', 2, 'S', 1, 2, true],
    ]);
    expect(recipe.processes['plain']?.inputs[0]).toMatchObject({ level: 'C', minThreshold: 2, maxThreshold: 9, resetOnSuccess: false });
    expect(recipe.processes['bare']).toMatchObject({ inputs: [], outputs: [] });
  });

  it('uses built-ins when nothing is set: level B, max 1, min 0, reset on success', () => {
    const bare = loadAuditRecipe('process_recipes: { p: { inputs: [{ field: a, min: 1 }] } }');
    expect(bare.defaults).toEqual({ level: 'B', minThreshold: 0, maxThreshold: 1, resetOnSuccess: true });
    expect(bare.processes['p']?.inputs[0]).toMatchObject({
      level: 'B',
      minThreshold: 0,
      maxThreshold: 1,
      resetOnSuccess: true,
      where: '<inline>:1:34',
    });
  });

  it('does not list bases as processes, and follows chains of bases', () => {
    expect(Object.keys(recipe.processes).sort()).toEqual(['bare', 'child', 'plain']);
    const chained = loadAuditRecipe(`
process_recipes:
  _a: { level: S, inputs: [{ field: a, min: 0 }] }
  _b: { inherits: _a, outputs: [{ field: domain.b, max: 1 }] }
  p: { inherits: _b, inputs: [{ field: p, min: 0 }] }
`);
    const p = chained.processes['p'];
    expect(p?.inherits).toEqual(['_b', '_a']);
    expect(p?.inputs.map((r) => [r.field, r.level])).toEqual([
      ['a', 'S'],
      ['p', 'S'],
    ]);
    expect(p?.outputs.map((r) => r.field)).toEqual(['domain.b']);
  });

  it('accepts long level names and the legacy spellings', () => {
    const legacy = loadAuditRecipe('audit: { level: Stop, max_retries: 7 }\nprocess_recipes: {}');
    expect(legacy.defaults).toMatchObject({ level: 'S', maxThreshold: 7 });
    const root = loadAuditRecipe('level: count\nthreshold_max: 3\nprocess_recipes: {}');
    expect(root.defaults).toMatchObject({ level: 'C', maxThreshold: 3 });
    expect(loadAuditRecipe('').processes).toEqual({});
  });
});

describe('the loaded recipe', () => {
  it('is deeply frozen, regexes included, and its regexes still test repeatedly', () => {
    const recipe = loadAuditRecipe('process_recipes: { p: { inputs: [{ field: a, regex: "^x", eq: { k: [1] } }] } }');
    const rule = recipe.processes['p']?.inputs[0];
    const check = rule?.checks.find((c) => c.kind === 'regex');
    expect(rule?.checks.map((c) => c.kind)).toEqual(['eq', 'regex']);
    expect(Object.isFrozen(rule?.checks)).toBe(true);
    expect(Object.isFrozen(rule?.checks[0])).toBe(true);
    if (check?.kind !== 'regex') throw new Error('expected a regex check');
    expect(Object.isFrozen(check.regex)).toBe(true);
    expect([check.regex.test('xa'), check.regex.test('xa'), check.regex.test('a')]).toEqual([true, true, false]);
  });

  it('keeps __proto__ keys as data, never as prototypes', () => {
    const recipe = loadAuditRecipe(
      'process_recipes:\n  __proto__: { inputs: [{ field: a, min: 1 }] }\n  p: { inputs: [{ field: a, eq: { __proto__: { polluted: 1 } } }] }\n',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const eq = recipe.processes['p']?.inputs[0]?.checks[0];
    expect(eq?.kind === 'eq' && Object.getPrototypeOf(eq.value)).toBe(Object.prototype);
    expect(eq?.kind === 'eq' && Object.hasOwn(eq.value as object, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(recipe.processes)).toBeNull();
    const fromJson = loadAuditRecipe(JSON.parse('{"process_recipes":{"__proto__":{"inputs":[{"field":"a","min":1}]}}}') as never);
    expect(Object.keys(fromJson.processes)).toEqual([]);
  });
});
