import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from './load-workflow.js';
import { serializeWorkflow, workflowToData } from './serialize-workflow.js';
import type { Workflow, WorkflowStep } from './workflow-ir.js';

/** The IR without positions (positions depend on the text layout, not on meaning). */
function shape(workflow: Workflow): unknown {
  return JSON.parse(JSON.stringify(workflow.steps, (key, value: unknown) => (key === 'pos' ? undefined : value)));
}

const name = fc.constantFrom('a', 'b', 'charge', 'ship_order', 'True', '42', 'with space');
const condition = fc.constantFrom(
  'True',
  'x > 1',
  "domain['k'] == 'v'",
  'not flag and n % 2 == 0',
  "signal.get('stop') != 'True'",
  'len(items) >= 0',
);
const args = fc.dictionary(
  fc.constantFrom('currency', 'n', 'tags', 'on'),
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
  { maxKeys: 3 },
);

/** Random steps in file form (what a user would write). */
const { steps } = fc.letrec<{ steps: unknown[]; step: unknown }>((tie) => ({
  steps: fc.array(tie('step'), { maxLength: 4 }),
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name,
    fc.record({ process: name, args }),
    fc.record({ flux: fc.constant('if'), condition, then: tie('steps'), else: tie('steps') }),
    fc.record({ flux: fc.constant('while'), condition, do: tie('steps') }),
    fc.record({ flux: fc.constant('run'), steps: tie('steps') }),
    fc.record({ flux: fc.constant('parallel'), branches: fc.array(tie('steps'), { maxLength: 3 }) }),
  ),
}));

describe('serializeWorkflow', () => {
  it('load → serialise → load is stable', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const first = loadWorkflow(JSON.stringify({ name: 'p', steps: list }));
        const text = serializeWorkflow(first);
        const second = loadWorkflow(text);
        expect(shape(second)).toEqual(shape(first));
        expect(second.processes).toEqual(first.processes);
        expect(serializeWorkflow(second)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('writes shorthand for plain process steps', () => {
    const wf = loadWorkflow('steps:\n  - a\n  - process: b\n  - process: c\n    args: { n: 1 }\n');
    expect(workflowToData(wf).steps).toEqual(['a', 'b', { process: 'c', args: { n: 1 } }]);
    const step: WorkflowStep | undefined = wf.steps[0];
    expect(step?.kind).toBe('process');
  });
});
