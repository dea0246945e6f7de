import type { CliProject } from './cli-project.js';

/** A small project with processes, a workflow, a context and an audit recipe, as `theus run` expects. */
export const COUNTER_FILES: Readonly<Record<string, string>> = {
  'src/processes/counter.ts': `import { process } from 'theus';

export const increment = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, function increment(ctx: any) {
  ctx.domain.count += 1;
});

export const add = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, function add(ctx: any, args: { amount: number }) {
  ctx.domain.count += args.amount;
});

export const explode = process({ outputs: ['domain.count'] }, function explode() {
  throw new Error('the explode step always fails');
});
`,
  'workflows/count.yaml': `steps:
  - flux: while
    condition: "domain.count < 3"
    do: [increment]
`,
  'workflows/fails.yaml': `steps:
  - increment
  - explode
`,
  'workflows/big-add.yaml': `steps:
  - process: add
    args: { amount: 1000 }
`,
  'specs/initial_context.yaml': `domain:
  count: 0
`,
  'specs/audit_recipe.yaml': `process_recipes:
  add:
    inputs:
      - { field: amount, max: 100, level: B, message: "Adds are capped at 100" }
`,
};

/** Writes {@link COUNTER_FILES} into the project. */
export function writeCounter(project: CliProject): void {
  project.write(COUNTER_FILES);
}
