import type { Command } from 'commander';
import { historyCommand } from '../history/history-command.js';
import { positiveInteger } from '../positive-integer.js';

/** Registers `theus history`: the commits kept in a SQLite store. */
export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('List the commits of a SQLite store, newest first: version, time, process, paths written.')
    .option('-s, --store <file.db>', 'the SQLite store (as written by `theus run --store` or sqliteStore())', 'theus.db')
    .option('-n, --limit <n>', 'show at most this many commits', positiveInteger('--limit'), 20)
    .option('--process <name>', 'only the commits of this process')
    .option('--json', 'print the commits as JSON (arguments included)')
    .action(historyCommand);
}
