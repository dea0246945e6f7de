import type { Command } from 'commander';
import { initCommand } from '../init/init-command.js';
import { TEMPLATES } from '../init/templates.js';

/** Registers `theus init [name] [--template t] [--force]`: a new project from a template. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Create a Theus project from a template; asks for what is missing on a terminal.')
    .argument('[name]', 'the project folder, also its package name (`.` = the current folder)')
    .option('-t, --template <template>', `the template: ${TEMPLATES.map((t) => t.name).join(', ')} (default minimal)`)
    .option('-f, --force', "write into a non-empty folder: the template's files replace files of the same name, others are kept")
    .action(initCommand);
}
