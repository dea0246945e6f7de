import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project templates of `theus init`, in the order the prompt lists them. */
export const TEMPLATES = [
  { name: 'minimal', hint: 'one state type, two processes, a test' },
  { name: 'bank', hint: 'transfers, declared errors, an audit recipe, a fraud signal, a workflow' },
  { name: 'ecommerce', hint: 'orders, inventory, payment, an outbox, a workflow with if, an order state machine, a zod schema' },
  { name: 'agent', hint: 'a think/act/observe loop: a while workflow, a state machine, tools as processes, a step budget' },
] as const;

/** The name of one of {@link TEMPLATES}. */
export type TemplateName = (typeof TEMPLATES)[number]['name'];

/** The template used when none is given and none can be asked for. */
export const DEFAULT_TEMPLATE: TemplateName = 'minimal';

/** True if `name` names one of {@link TEMPLATES}. */
export function isTemplateName(name: string): name is TemplateName {
  return TEMPLATES.some((template) => template.name === name);
}

/**
 * The folder holding the template `name`: `templates/<name>` of the CLI package, found by walking
 * up from this module to the package's root (the same from `src/` and from the bundled `dist/`).
 */
export function templateDirectory(name: TemplateName): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`theus-cli: cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, 'templates', name);
}
