import type { Command } from 'commander';
import { DEFAULT_PROCESSES_DIR } from '../load-processes.js';
import { positiveInteger } from '../positive-integer.js';
import { runWorkflowCommand } from '../run/run-workflow-command.js';

/** Registers `theus run <workflow.yaml>`: runs a Flux workflow on an engine made from the project's files. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run a workflow: load the processes, build an engine, run every step, print a summary.')
    .argument('<workflow>', 'the workflow YAML file')
    .option('-p, --processes <dir>', 'the folder of process modules (.ts or .js), scanned recursively', DEFAULT_PROCESSES_DIR)
    .option('-c, --context <file>', 'the initial context, a JSON or YAML mapping of layers (ignored when --store holds state)')
    .option('-a, --audit <file>', 'an audit recipe YAML file')
    .option('-s, --store <file.db>', 'a SQLite file: state survives the run, and the run continues from it')
    .option('--max-ops <n>', 'the safety trip: fail after this many operations', positiveInteger('--max-ops'))
    .option('--json', 'print the result as JSON')
    .action(runWorkflowCommand);
}
