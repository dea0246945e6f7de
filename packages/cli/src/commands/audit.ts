import type { Command } from 'commander';
import { genSpecCommand } from '../audit/gen-spec-command.js';
import { inspectCommand } from '../audit/inspect-command.js';
import { DEFAULT_PROCESSES_DIR } from '../load-processes.js';

/** Where a project keeps its audit recipe unless told otherwise. */
const DEFAULT_RECIPE = 'specs/audit_recipe.yaml';

/** Registers `theus audit gen-spec` and `theus audit inspect <process>`. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('Generate and inspect audit recipes.');
  audit
    .command('gen-spec')
    .description('Add a rule skeleton for every process the recipe does not mention yet (hand-written rules are kept).')
    .option('-p, --processes <dir>', 'the folder of process modules', DEFAULT_PROCESSES_DIR)
    .option('-o, --out <file>', 'the recipe to create or extend', DEFAULT_RECIPE)
    .action(genSpecCommand);
  audit
    .command('inspect')
    .description('Show the rules that apply to a process after inheritance, with levels, thresholds, errors and side effects.')
    .argument('<process>', 'the process name')
    .option('-r, --recipe <file>', 'the audit recipe', DEFAULT_RECIPE)
    .option(
      '-p, --processes <dir>',
      "the folder of process modules (to show the process's contract too, when it exists)",
      DEFAULT_PROCESSES_DIR,
    )
    .option('--json', 'print the result as JSON')
    .action(inspectCommand);
}
