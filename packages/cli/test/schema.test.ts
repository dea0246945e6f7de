import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliProject, type CliProject } from './cli-project.js';

let project: CliProject;

beforeEach(() => {
  project = cliProject();
  project.write({
    'src/schema.ts': `import { z } from 'zod';

export const contextSchema = z.object({
  global: z.object({ currency: z.enum(['EUR', 'USD']) }),
  domain: z.object({ accounts: z.record(z.string(), z.number().min(0)), sig_fraud: z.boolean().optional() }),
});
export const other = z.string();
`,
  });
});
afterEach(() => project.remove());

describe('theus schema gen', () => {
  it("writes the context's JSON Schema from the zod schema exported as contextSchema", async () => {
    const result = await project.run('schema', 'gen');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('specs/context_schema.json: JSON Schema of the context written (layers: global, domain)');
    const schema = JSON.parse(readFileSync(join(project.dir, 'specs/context_schema.json'), 'utf8')) as Record<string, any>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.global.properties.currency.enum).toEqual(['EUR', 'USD']);
    expect(schema.properties.domain.properties.accounts.additionalProperties).toMatchObject({ type: 'number', minimum: 0 });
    expect(schema.required).toEqual(['global', 'domain']);
  });

  it('takes another module and export, and writes to standard output with --out -', async () => {
    project.write({ 'lib/state.ts': "import { z } from 'zod';\nexport default z.object({ domain: z.object({ n: z.number() }) });\n" });
    const result = await project.run('schema', 'gen', '--from', 'lib/state.ts', '--out', '-');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { properties: object }).properties).toHaveProperty('domain');
    expect(existsSync(join(project.dir, 'specs'))).toBe(false);
    const named = await project.run('schema', 'gen', '--export', 'other', '--out', '-');
    expect(JSON.parse(named.stdout)).toMatchObject({ type: 'string' });
  });

  it.each([
    ['a module with no schema', 'export const x = 1;\n', [], 'it exports no Standard Schema validator'],
    [
      'several schemas and no choice',
      "import { z } from 'zod';\nexport const a = z.string();\nexport const b = z.number();\n",
      [],
      'it exports several: a, b',
    ],
    ['an unknown export', "import { z } from 'zod';\nexport const a = z.string();\n", ['--export', 'nope'], "under the export 'nope'"],
    [
      'a validator that cannot describe itself',
      "export const contextSchema = { '~standard': { version: 1, vendor: 'handmade', validate: (value: unknown) => ({ value }) } };\n",
      [],
      'The handmade schema of src/schema.ts cannot produce a JSON Schema',
    ],
    [
      'a schema JSON Schema cannot express',
      "import { z } from 'zod';\nexport const contextSchema = z.object({ when: z.date() });\n",
      [],
      'could not be converted to JSON Schema',
    ],
    ['a module that throws', "throw new Error('schema module exploded');\n", [], 'schema module exploded'],
  ])('exits 1 for %s and writes nothing', async (_, source, args, message) => {
    project.write({ 'src/schema.ts': source });
    const result = await project.run('schema', 'gen', ...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(project.dir, 'specs'))).toBe(false);
  });

  it('exits 2 when the module is missing', async () => {
    const result = await project.run('schema', 'gen', '--from', 'src/nothing.ts');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("The schema module 'src/nothing.ts' does not exist.");
  });
});
