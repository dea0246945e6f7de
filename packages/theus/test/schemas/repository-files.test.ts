import { describe, expect, it } from 'vitest';
import { readExpected } from './expected-issues.js';
import { loaderIssues } from './loader-issues.js';
import { repositoryYamlFiles, type RepositoryYamlFile } from './repository-yaml.js';
import { semanticReason } from './semantic-issues.js';
import { FORMAT_KINDS, schemaErrors, type FormatKind } from './shipped-schemas.js';
import { errorLines, readYaml } from './yaml-source.js';

/**
 * Invalid fixtures whose every problem is one a schema cannot see (see semantic-issues.ts), with
 * the reason: the schema accepts them (or cannot read them at all), and the loader still refuses them.
 */
const SCHEMA_BLIND: Readonly<Record<string, string>> = {
  'packages/theus/test/fixtures/flux/invalid-yaml.yaml':
    'not YAML (a key indented out of its mapping): the YAML parser refuses it before any schema applies',
  'packages/theus/test/fixtures/flux/unknown-processes.yaml':
    'well-formed steps naming processes the engine does not register: only the engine knows its processes',
  'packages/theus/test/fixtures/audit/bad-syntax.yaml':
    'not YAML (an unclosed flow mapping): the YAML parser refuses it before any schema applies',
  'packages/theus/test/fixtures/audit/bad-inheritance.yaml':
    'an inheritance cycle, a base that does not exist and min_threshold above max_threshold: relations between entries or values, not shapes',
  'packages/theus/test/fixtures/fsm/bad-references.yaml':
    'targets and `initial` naming no state, and an unregistered entry process: names defined elsewhere in the file or by the engine',
};

const files = repositoryYamlFiles();
/** Files of one of the three formats, with it. */
const formatted = files.flatMap((file) => (typeof file.format === 'string' ? [[file.path, file, file.format] as const] : []));
/** Files holding none of the formats (see OTHER_FORMATS in repository-yaml.ts), with the reason. */
const others = files.flatMap((file) =>
  typeof file.format !== 'string' && 'other' in file.format ? [[file.path, file.format.other] as const] : [],
);
/** Files of which nothing tells the format. */
const unknown = files.flatMap((file) =>
  typeof file.format !== 'string' && 'problem' in file.format ? [`${file.path}: ${file.format.problem}`] : [],
);

/** Ajv errors, one line each, for readable failures. */
const described = (kind: FormatKind, data: unknown): string[] =>
  schemaErrors(kind, data).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);

function checkFile(file: RepositoryYamlFile, kind: FormatKind): void {
  const source = readYaml(file.text);
  if (file.expected === undefined) {
    expect(source.syntaxErrors, 'YAML syntax').toEqual([]);
    expect(described(kind, source.data), `${kind} schema errors`).toEqual([]);
    expect(loaderIssues(kind, file.text), 'the loader accepts it too').toEqual([]);
    return;
  }
  const expected = readExpected(file.expected);
  expect(loaderIssues(kind, file.text, expected.options).length, 'the loader refuses it').toBeGreaterThan(0);
  const structural = expected.issues.filter((issue) => semanticReason(issue.text) === undefined);
  if (structural.length === 0) {
    expect(SCHEMA_BLIND[file.path], 'a fixture the schema cannot catch is listed in SCHEMA_BLIND with its reason').toBeDefined();
    if (source.syntaxErrors.length === 0) expect(described(kind, source.data), 'the schema accepts its shapes').toEqual([]);
    return;
  }
  expect(SCHEMA_BLIND[file.path], 'it has structural problems, so it is not schema-blind').toBeUndefined();
  expect(source.syntaxErrors).toEqual([]);
  const errors = schemaErrors(kind, source.data);
  expect(errors.length, 'the schema refuses it').toBeGreaterThan(0);
  const flagged = errorLines(source, errors);
  const missed = structural.filter((issue) => !flagged.has(issue.line)).map((i) => `${String(i.line)}:${String(i.column)} ${i.text}`);
  expect(missed, 'every structural problem the loader reports is on a line the schema flags').toEqual([]);
}

describe('every YAML file of the repository against its schema', () => {
  it('finds the fixtures of every format, valid and invalid', () => {
    for (const kind of FORMAT_KINDS) {
      const ofKind = files.filter((f) => f.format === kind);
      expect(ofKind.filter((f) => f.expected === undefined).length, `valid ${kind} files`).toBeGreaterThanOrEqual(3);
      expect(ofKind.filter((f) => f.expected !== undefined).length, `invalid ${kind} files`).toBeGreaterThanOrEqual(3);
    }
  });

  it('knows the format of every file', () => {
    const hint =
      "give each a first line '# yaml-language-server: $schema=<path to node_modules/theus/schemas>/workflow.json' (or audit-recipe.json, state-machine.json)";
    expect(unknown, hint).toEqual([]);
  });

  it('lists in SCHEMA_BLIND only invalid fixtures that exist', () => {
    const invalid = new Set(files.filter((f) => f.expected !== undefined).map((f) => f.path));
    expect(Object.keys(SCHEMA_BLIND).filter((path) => !invalid.has(path))).toEqual([]);
  });

  it.each(formatted)('%s', (_path, file, kind) => {
    checkFile(file, kind);
  });

  it.skip.each(others)('%s: %s', () => {});
});
