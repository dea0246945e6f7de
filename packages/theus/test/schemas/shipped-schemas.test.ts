import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatOf } from './repository-yaml.js';
import { FORMAT_KINDS, readSchema, SCHEMA_FILES, schemaPath, strictAjv } from './shipped-schemas.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

describe.each(FORMAT_KINDS)('the %s schema', (kind) => {
  const schema = readSchema(kind);

  it('resolves through the package exports to the file under schemas/', () => {
    expect(schemaPath(kind)).toBe(`${PACKAGE_DIR}schemas/${SCHEMA_FILES[kind]}`);
  });

  it('is draft 2020-12 with its $id, a title and a description', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(`https://theus.dev/schemas/${SCHEMA_FILES[kind]}`);
    expect(schema['title']).toMatch(/^Theus /);
    expect(schema['description']).toEqual(expect.any(String));
  });

  it('is valid against the meta-schema and compiles in strict mode', () => {
    const ajv = strictAjv();
    expect(ajv.validateSchema(schema), ajv.errorsText()).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('uses every definition it declares', () => {
    const text = JSON.stringify(schema);
    const unused = Object.keys(schema['$defs'] as object).filter((name) => !text.includes(`"#/$defs/${name}"`));
    expect(unused).toEqual([]);
  });
});

describe('choosing the schema of a YAML file', () => {
  it('reads the yaml-language-server modeline by schema file name, wherever the schema is', () => {
    expect(formatOf('a.yaml', '# yaml-language-server: $schema=./node_modules/theus/schemas/workflow.json\nsteps: []\n')).toBe('workflow');
    expect(formatOf('x/b.yml', '#yaml-language-server: $schema=https://theus.dev/schemas/audit-recipe.json\n')).toBe('audit');
    expect(formatOf('c.yaml', '# machine\n# yaml-language-server: $schema=../../schemas/state-machine.json?v=1\n')).toBe('fsm');
  });

  it('falls back on the fixture folders, and says why when nothing tells', () => {
    expect(formatOf('packages/theus/test/fixtures/legacy/audit/x/case.yaml', '')).toBe('audit');
    expect(formatOf('packages/theus/test/fixtures/fsm/m.yaml', 'states: {}')).toBe('fsm');
    expect(formatOf('templates/flow.yaml', 'steps: []')).toEqual({ problem: expect.stringContaining('no known fixture folder') });
    expect(formatOf('x.yaml', '# yaml-language-server: $schema=./other.json\n')).toEqual({
      problem: expect.stringContaining("'./other.json'"),
    });
  });
});

describe('the package manifest', () => {
  it('ships schemas/ (files) and exports each schema by its path', () => {
    const manifest = JSON.parse(readFileSync(`${PACKAGE_DIR}package.json`, 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.files).toContain('schemas');
    for (const file of Object.values(SCHEMA_FILES)) expect(manifest.exports[`./schemas/${file}`]).toBe(`./schemas/${file}`);
  });
});
