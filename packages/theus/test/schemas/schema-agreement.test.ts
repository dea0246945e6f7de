import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { loadWorkflow, serializeWorkflow } from 'theus';
import { auditDocument } from './audit-arbitrary.js';
import { loaderIssues } from './loader-issues.js';
import { machineDocument } from './machine-arbitrary.js';
import { semanticReason } from './semantic-issues.js';
import { schemaErrors, type FormatKind } from './shipped-schemas.js';
import { workflowDocument } from './workflow-arbitrary.js';

/**
 * The schema and the loader judge a document alike: the schema accepts it exactly when the loader
 * reports no structural problem (it may still refuse it for a semantic one, which the schema
 * cannot see). Documents are given to the loader as JSON text, which is YAML.
 */
function expectAgreement(kind: FormatKind, document: unknown): void {
  const issues = loaderIssues(kind, JSON.stringify(document));
  const structural = issues.filter((issue) => semanticReason(issue.message) === undefined);
  const errors = schemaErrors(kind, document);
  const schemaSays = errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  const loaderSays = issues.map((issue) => {
    const reason = semanticReason(issue.message);
    return reason === undefined ? issue.message : `${issue.message} (no schema can see it: ${reason})`;
  });
  const verdicts = `schema: ${schemaSays.join('; ') || 'valid'}\nloader: ${loaderSays.join('; ') || 'valid'}`;
  expect(errors.length === 0, verdicts).toBe(structural.length === 0);
}

describe('each schema accepts what its loader accepts, and refuses what it refuses for its structure', () => {
  test.prop([workflowDocument], { numRuns: 400 })('workflows (and serializeWorkflow output of those that load)', (document) => {
    expectAgreement('workflow', document);
    if (loaderIssues('workflow', JSON.stringify(document)).length > 0) return;
    expect(schemaErrors('workflow', JSON.parse(serializeWorkflow(loadWorkflow(JSON.stringify(document)))))).toEqual([]);
  });

  test.prop([auditDocument], { numRuns: 400 })('audit recipes', (document) => {
    expectAgreement('audit', document);
  });

  test.prop([machineDocument], { numRuns: 400 })('state machines', (document) => {
    expectAgreement('fsm', document);
  });

  test.each([
    ['fsm', { states: { A: { entry: '' } } }, false],
    ['fsm', { states: { A: { process: [{ process: ' ' }] } } }, false],
    ['fsm', { states: { A: { entry: [{ process: 'p' }, 'q'] } } }, true],
    ['audit', { process_recipes: { p: { inputs: [{ field: ' constructor .a', min: 0 }] } } }, false],
    ['audit', { process_recipes: { p: { inputs: [{ field: 'domain. total', min: 0 }] } } }, false],
    ['audit', { process_recipes: { p: { inputs: [{ field: 'domain.my field', min: 0 }] } } }, true],
  ] as const)('%s: %j (valid: %s), as the loader judges it', (kind, document, valid) => {
    expect(schemaErrors(kind, document).length === 0).toBe(valid);
    expectAgreement(kind, document);
  });

  test('the generated documents are valid often enough to test acceptance', () => {
    const share = (kind: FormatKind, documents: unknown[]) =>
      documents.filter((d) => schemaErrors(kind, d).length === 0).length / documents.length;
    const sample = { numRuns: 300, seed: 1 };
    expect(share('workflow', fc.sample(workflowDocument, sample))).toBeGreaterThan(0.15);
    expect(share('audit', fc.sample(auditDocument, sample))).toBeGreaterThan(0.15);
    expect(share('fsm', fc.sample(machineDocument, sample))).toBeGreaterThan(0.15);
  });
});
