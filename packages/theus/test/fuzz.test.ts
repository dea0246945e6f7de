import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { stringify } from 'yaml';
import { Engine, loadMachine, loadWorkflow, process, TheusError, WorkflowError } from 'theus';

/** Steps, flux blocks and junk mixed, so generated documents are often almost valid. */
const stepLike: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  step: fc.oneof(
    fc.constantFrom('inc', 'nope', '', 'flux', '__proto__'),
    fc.record({
      process: fc.constantFrom('inc', 'missing', 42),
      args: fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }),
    }),
    fc.record({
      flux: fc.constantFrom('if', 'while', 'run', 'parallel', 'iff'),
      condition: fc.oneof(fc.constantFrom('domain.n < 3', 'True', '(((', 'domain.__proto__', 'x.y(', "len(domain['n'])"), fc.string()),
      then: fc.array(tie('step'), { maxLength: 2 }),
      do: fc.array(tie('step'), { maxLength: 2 }),
      steps: fc.array(tie('step'), { maxLength: 2 }),
      branches: fc.array(fc.array(tie('step'), { maxLength: 2 }), { maxLength: 2 }),
    }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
})).step;

const inc = process({ name: 'inc', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);

describe('fuzzed inputs produce typed errors and leave state untouched', () => {
  test.prop([fc.string({ maxLength: 200 })])('any text either loads as a workflow or raises WorkflowError', (text) => {
    try {
      loadWorkflow(text, { processes: new Set(['inc']) });
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowError);
    }
  });

  test.prop([fc.record({ steps: fc.array(stepLike, { maxLength: 4 }) })], { numRuns: 200 })(
    'generated workflow documents either load or raise WORKFLOW_INVALID with positions',
    (document) => {
      try {
        loadWorkflow(stringify(document), { processes: new Set(['inc']), scopeNames: new Set(['domain', 'signal', 'cmd']) });
      } catch (error) {
        expect(error).toBeInstanceOf(WorkflowError);
        expect((error as WorkflowError).code).toBe('WORKFLOW_INVALID');
        expect((error as WorkflowError).message).toMatch(/<inline>:\d+:\d+: /);
      }
    },
  );

  test.prop([fc.oneof(fc.string({ maxLength: 120 }), fc.jsonValue({ maxDepth: 3 }))])(
    'any machine definition loads or raises a typed error',
    (source) => {
      try {
        loadMachine(typeof source === 'string' ? source : (source as object), { processes: new Set(['inc']) });
      } catch (error) {
        expect(error).toBeInstanceOf(TheusError);
      }
    },
  );

  test.prop([fc.anything()], { numRuns: 200 })('any arguments give a typed error or a run, never a corrupted state', async (args) => {
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [inc] });
    try {
      await engine.execute('inc', args);
      expect(engine.state).toEqual({ domain: { n: 1 } });
    } catch (error) {
      expect(error).toBeInstanceOf(TheusError);
      expect(engine.version).toBe(0);
      expect(engine.state).toEqual({ domain: { n: 0 } });
    }
  });

  test.prop([fc.string({ maxLength: 60 })], { numRuns: 200 })(
    'any path string in a contract is accepted or rejected with CONTRACT_INVALID',
    (path) => {
      try {
        process({ name: 'p', inputs: [path] }, () => undefined);
      } catch (error) {
        expect(error).toBeInstanceOf(TheusError);
        expect((error as TheusError).code).toMatch(/^CONTRACT_/);
      }
    },
  );

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 100 })(
    'executeWorkflow on fuzzed text never changes state unless it ran',
    async (text) => {
      const engine = new Engine({ context: { domain: { n: 0 } }, processes: [inc] });
      try {
        const run = await engine.executeWorkflow(text.includes('\n') ? text : `${text}\n`, { maxOps: 50 });
        expect(engine.version).toBe(run.executed.length);
      } catch (error) {
        expect(error).toBeInstanceOf(TheusError);
        expect(engine.version).toBe(
          (error as TheusError).details['executed'] === undefined ? 0 : ((error as TheusError).details['executed'] as unknown[]).length,
        );
      }
    },
  );
});
