import type { Command } from 'commander';
import { checkCommand } from '../check/check-command.js';

/** Registers `theus check [path]`: the Theus linter (eslint-plugin-theus) on the project's process files. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Lint process files with the Theus rules (POP-E01..E08, POP-C01); exit 1 on violations.')
    .argument('[path]', 'a file or a folder (searched recursively; tests, declarations and dist skipped)', '.')
    .option('-f, --format <format>', 'table or json', 'table')
    .action(checkCommand);
}
