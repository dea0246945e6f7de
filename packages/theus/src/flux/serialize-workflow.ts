import type { Workflow, WorkflowStep } from './workflow-ir.js';

/** The workflow-file form of one step: a bare name, `{ process, args }` or a `flux:` mapping. */
export type SerializedStep = string | Readonly<Record<string, unknown>>;

/**
 * Turns a workflow's IR back into workflow-file data (`{ name?, steps }`), the inverse of
 * loading: `loadWorkflow(serializeWorkflow(wf))` has the same steps as `wf` (positions aside).
 */
export function workflowToData(workflow: Workflow): { name?: string; steps: SerializedStep[] } {
  const steps = workflow.steps.map(stepToData);
  return workflow.name === undefined ? { steps } : { name: workflow.name, steps };
}

/**
 * Serialises a workflow to JSON text, which is also valid workflow YAML.
 *
 * @example
 * ```ts
 * const text = serializeWorkflow(loadWorkflow(source));
 * const again = loadWorkflow(text); // same steps
 * ```
 */
export function serializeWorkflow(workflow: Workflow): string {
  return JSON.stringify(workflowToData(workflow), null, 2);
}

/** One step in file form. */
function stepToData(step: WorkflowStep): SerializedStep {
  switch (step.kind) {
    case 'process':
      return step.args === undefined ? step.process : { process: step.process, args: step.args };
    case 'if':
      return { flux: 'if', condition: step.condition.source, then: step.then.map(stepToData), else: step.else.map(stepToData) };
    case 'while':
      return { flux: 'while', condition: step.condition.source, do: step.do.map(stepToData) };
    case 'run':
      return { flux: 'run', steps: step.steps.map(stepToData) };
    case 'parallel':
      return { flux: 'parallel', branches: step.branches.map((branch) => branch.map(stepToData)) };
  }
}
