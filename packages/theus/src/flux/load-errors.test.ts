import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors/index.js';
import type { SourceIssue } from '../yaml/source-issue.js';
import { loadWorkflow } from './load-workflow.js';

/** Fixture pairs: `case.yaml` and `case.expected.json` ({ options?, issues: [{ at: 'line:column', includes }] }). */
const dir = fileURLToPath(new URL('../../test/fixtures/flux/', import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith('.expected.json'));

interface Expected {
  readonly options?: { readonly processes?: string[]; readonly scopeNames?: string[] };
  readonly issues: readonly { readonly at: string; readonly includes: string }[];
}

describe('workflow loader errors (fixtures)', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(5));

  it.each(cases)('%s', (expectedFile) => {
    const name = expectedFile.replace('.expected.json', '.yaml');
    const expected = JSON.parse(readFileSync(dir + expectedFile, 'utf8')) as Expected;
    const { processes, scopeNames } = expected.options ?? {};
    let caught: unknown;
    try {
      loadWorkflow(readFileSync(dir + name, 'utf8'), {
        file: name,
        ...(processes === undefined ? {} : { processes: new Set(processes) }),
        ...(scopeNames === undefined ? {} : { scopeNames: new Set(scopeNames) }),
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkflowError);
    const error = caught as WorkflowError;
    expect(error.code).toBe('WORKFLOW_INVALID');
    const issues = error.details['issues'] as SourceIssue[];
    expect(issues.map((i) => `${String(i.line)}:${String(i.column)}`)).toEqual(expected.issues.map((i) => i.at));
    issues.forEach((issue, index) => {
      expect(issue.file).toBe(name);
      expect(issue.message).toContain(expected.issues[index]?.includes);
      expect(error.message).toContain(`${name}:${String(issue.line)}:${String(issue.column)}: ${issue.message}`);
    });
  });
});
