import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, serializeWorkflow } from 'theus';
import { HAS_REFERENCE_EXAMPLES, REFERENCE_EXAMPLES } from '../reference-examples.js';
import { repositoryYamlFiles } from './repository-yaml.js';
import { schemaErrors } from './shipped-schemas.js';

/** Every valid workflow file: the repository's (fixtures, templates) and, when present, the original's examples. */
const workflows: (readonly [string, string])[] = [
  ...repositoryYamlFiles()
    .filter((file) => file.format === 'workflow' && file.expected === undefined)
    .map((file) => [file.path, file.text] as const),
  ...(HAS_REFERENCE_EXAMPLES ? readdirSync(REFERENCE_EXAMPLES).filter((name) => /workflow.*\.ya?ml$/.test(name)) : []).map(
    (name) => [`reference: ${name}`, readFileSync(REFERENCE_EXAMPLES + name, 'utf8')] as const,
  ),
];

describe('serializeWorkflow output is a valid workflow file', () => {
  it('has workflows to check', () => expect(workflows.length).toBeGreaterThanOrEqual(5));

  it.each(workflows)('%s: load → serialize validates, and loads to the same steps', (file, text) => {
    const workflow = loadWorkflow(text, { file });
    const serialized = serializeWorkflow(workflow);
    expect(schemaErrors('workflow', JSON.parse(serialized))).toEqual([]);
    expect(serializeWorkflow(loadWorkflow(serialized))).toBe(serialized);
  });
});
