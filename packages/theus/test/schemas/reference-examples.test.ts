import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_REFERENCE_EXAMPLES, REFERENCE_EXAMPLES, REFERENCE_NOTE } from '../reference-examples.js';
import { loaderIssues } from './loader-issues.js';
import { schemaErrors, type FormatKind } from './shipped-schemas.js';
import { readYaml } from './yaml-source.js';

/** The format of one of the original's example files, by its name; a reason when it is none of ours. */
function referenceFormat(name: string): FormatKind | { readonly skipped: string } {
  if (name.includes('audit')) return 'audit';
  if (name.includes('workflow')) return 'workflow';
  if (name.includes('context_schema'))
    return { skipped: 'a context schema of the original (its data contract), a format none of these schemas describes' };
  return { skipped: 'its name tells neither a workflow nor an audit recipe' };
}

describe(`the original project's example files against the schemas ${REFERENCE_NOTE}`, () => {
  const names = HAS_REFERENCE_EXAMPLES ? readdirSync(REFERENCE_EXAMPLES).filter((n) => /\.ya?ml$/.test(n)) : [];
  const formats = names.map((name) => ({ name, format: referenceFormat(name) }));

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('validates every workflow and audit recipe, which the loaders accept too', () => {
    const checked = formats.filter((f): f is { name: string; format: FormatKind } => typeof f.format === 'string');
    expect(checked.filter((f) => f.format === 'workflow').length).toBeGreaterThan(0);
    expect(checked.filter((f) => f.format === 'audit').length).toBeGreaterThan(0);
    const failures = checked.flatMap(({ name, format }) => {
      const text = readFileSync(REFERENCE_EXAMPLES + name, 'utf8');
      const errors = schemaErrors(format, readYaml(text).data).map((e) => `${name}: ${e.instancePath} ${e.message ?? e.keyword}`);
      return [...errors, ...loaderIssues(format, text).map((i) => `${name}: the loader refuses it: ${i.message}`)];
    });
    expect(failures).toEqual([]);
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('skips only the context schemas, each for a stated reason', () => {
    const skipped = formats.filter((f) => typeof f.format !== 'string');
    expect(skipped.map((f) => f.name).filter((name) => !name.includes('context_schema'))).toEqual([]);
  });
});
