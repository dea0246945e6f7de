import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAuditRecipe } from 'theus/audit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliProject, type CliProject } from './cli-project.js';
import { writeCounter } from './counter-project.js';

let project: CliProject;
const read = (path: string): string => readFileSync(join(project.dir, path), 'utf8');

beforeEach(() => {
  project = cliProject();
  writeCounter(project);
  project.write({
    'src/processes/transfer.ts': `import { process } from 'theus';
import { z } from 'zod';

export const transfer = process(
  {
    inputs: ['domain.accounts'],
    outputs: ['domain.accounts', 'domain.sig_fraud', 'domain.log_transfers'],
    errors: ['RangeError'],
    sideEffects: ['bank-notification'],
    args: z.object({ from: z.string(), to: z.string(), amount: z.number() }),
  },
  function transfer(ctx: any, args: { from: string; to: string; amount: number }) {
    ctx.domain.accounts[args.from] -= args.amount;
  },
);
`,
  });
});
afterEach(() => project.remove());

describe('theus audit gen-spec', () => {
  it('writes a recipe that loads, with a skeleton per process: arguments from the args schema, DATA outputs, errors and side effects', async () => {
    project.write({ 'specs/audit_recipe.yaml': '' });
    const result = await project.run('audit', 'gen-spec', '--out', 'specs/generated.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+ transfer: skeleton added');
    const text = read('specs/generated.yaml');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/theus/schemas/audit-recipe.json');
    const recipe = loadAuditRecipe(text);
    const transfer = recipe.processes.transfer!;
    expect(transfer.inputs.map((r) => r.field)).toEqual(['from', 'to', 'amount']);
    expect(transfer.outputs.map((r) => r.field)).toEqual(['domain.accounts']);
    expect(transfer.outputs.every((r) => r.level === 'I')).toBe(true);
    expect(transfer.errors).toEqual(['RangeError']);
    expect(transfer.sideEffects).toEqual(['bank-notification']);
    expect(Object.keys(recipe.processes).sort()).toEqual(['add', 'explode', 'increment', 'transfer']);
    expect(text).toContain('# No args schema: add input rules by argument name');
  });

  it('keeps hand-written rules and comments and adds only the missing processes; a second run changes nothing', async () => {
    const handWritten = `# Our audit policy: reviewed by the risk team.
process_recipes:
  add:
    # Never more than 100 at once.
    inputs:
      - { field: amount, max: 100, level: B, message: "Adds are capped at 100" }
`;
    project.write({ 'specs/audit_recipe.yaml': handWritten });
    const first = await project.run('audit', 'gen-spec');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('= add: already in the recipe, kept as written');
    const merged = read('specs/audit_recipe.yaml');
    expect(merged.startsWith(handWritten)).toBe(true);
    expect(merged).toContain('# Never more than 100 at once.');
    expect(loadAuditRecipe(merged).processes.add!.inputs[0]).toMatchObject({
      field: 'amount',
      level: 'B',
      message: 'Adds are capped at 100',
    });
    const second = await project.run('audit', 'gen-spec');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing changed');
    expect(read('specs/audit_recipe.yaml')).toBe(merged);
  });

  it('counts a process written in the rules-list form as present', async () => {
    project.write({ 'specs/audit_recipe.yaml': 'rules:\n  - process: add\n    input_rules:\n      - { field: amount, max: 5 }\n' });
    const result = await project.run('audit', 'gen-spec');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('= add: already in the recipe');
    expect(loadAuditRecipe(read('specs/audit_recipe.yaml')).processes.add!.inputs).toHaveLength(1);
  });

  it.each([
    ['not YAML', 'process_recipes: [unclosed\n', 'is not valid YAML'],
    ['a list', '- a\n- b\n', 'must hold a mapping'],
    ['an invalid recipe', 'process_recipes:\n  add:\n    inputs:\n      - { field: amount, level: Q, max: 1 }\n', 'AUDIT_RECIPE_INVALID'],
  ])('refuses to merge into %s and leaves the file exactly as it was (exit 1)', async (_, text, message) => {
    project.write({ 'specs/audit_recipe.yaml': text });
    const result = await project.run('audit', 'gen-spec');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(read('specs/audit_recipe.yaml')).toBe(text);
  });

  it('exits 2 for a missing processes folder and 1 for a module that does not import', async () => {
    expect((await project.run('audit', 'gen-spec', '--processes', 'nowhere')).code).toBe(2);
    project.write({ 'src/processes/broken.ts': 'throw new Error("cannot load me");\n' });
    const broken = await project.run('audit', 'gen-spec');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('broken.ts');
    expect(broken.stderr).toContain('cannot load me');
  });
});

describe('theus audit inspect', () => {
  const recipe = `audit:
  level: B
process_recipes:
  _money:
    outputs:
      - { field: domain.count, min: 0, level: S, max_threshold: 1 }
    errors: [RangeError]
  add:
    inherits: _money
    min_threshold: 1
    max_threshold: 3
    inputs:
      - { field: amount, max: 100, in: [1, 5, 10], message: "Adds are capped" }
    side_effects: [ledger]
`;

  it('shows the effective rules after inheritance with levels and thresholds, and the contract', async () => {
    project.write({ 'specs/audit_recipe.yaml': recipe });
    const result = await project.run('audit', 'inspect', 'add');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain("Audit of 'add' (specs/audit_recipe.yaml:8)");
    expect(out).toContain('Inherits: _money');
    expect(out).toContain('thresholds 1/3');
    expect(out).toMatch(/amount\s+max 100, in \[1,5,10\]\s+B\s+1\/3\s+yes\s+Adds are capped\s+specs\/audit_recipe\.yaml:13:/);
    expect(out).toMatch(/domain\.count\s+min 0\s+S\s+\d+\/1/);
    expect(out).toContain('Side effects (recipe): ledger');
    expect(out).toContain('Errors (recipe): RangeError');
    expect(out).toContain('Contract: inputs domain.count; outputs domain.count');
  });

  it('prints JSON with --json', async () => {
    project.write({ 'specs/audit_recipe.yaml': recipe });
    const result = await project.run('audit', 'inspect', 'add', '--json');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      recipe: { inherits: string[]; outputs: { field: string }[] };
      contract: { outputs: string[] };
    };
    expect(output.recipe.inherits).toEqual(['_money']);
    expect(output.recipe.outputs[0]!.field).toBe('domain.count');
    expect(output.contract.outputs).toEqual(['domain.count']);
  });

  it('exits 1 with the nearest name for an unknown process, and 1 with the position for an invalid recipe', async () => {
    project.write({ 'specs/audit_recipe.yaml': recipe });
    const unknown = await project.run('audit', 'inspect', 'ad');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("'ad' is not in specs/audit_recipe.yaml: did you mean 'add'?");
    const proto = await project.run('audit', 'inspect', '__proto__');
    expect(proto.code).toBe(1);
    project.write({ 'specs/audit_recipe.yaml': 'process_recipes:\n  add:\n    inherits: nobody\n' });
    const invalid = await project.run('audit', 'inspect', 'add');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/AUDIT_RECIPE_INVALID: [^]*audit_recipe\.yaml:3:\d+: .add. inherits unknown recipe .nobody./);
  });

  it('exits 2 when the recipe file is missing', async () => {
    const result = await project.run('audit', 'inspect', 'add', '--recipe', 'specs/none.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("The audit recipe 'specs/none.yaml' does not exist.");
  });
});
