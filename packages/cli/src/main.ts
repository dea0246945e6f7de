/**
 * The `theus` command line. `main(argv)` parses the arguments, runs one command and resolves to
 * the exit code (0 success, 1 a failed run or check, 2 bad usage); the bin (`bin/theus.js`) sets it.
 *
 * @packageDocumentation
 */
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import { registerAudit } from './commands/audit.js';
import { registerCheck } from './commands/check.js';
import { registerHistory } from './commands/history.js';
import { registerInit } from './commands/init.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { printable } from './output.js';
import { CLI_VERSION } from './version.js';

/** Builds the program: every command, suggestions for unknown ones, errors thrown instead of exiting. */
function createProgram(): Command {
  const program = new Command('theus')
    .description('Theus: process-oriented application state. Scaffold, run, lint and inspect Theus projects.')
    .version(CLI_VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run `theus --help` for usage)')
    .exitOverride();
  registerInit(program);
  registerRun(program);
  registerCheck(program);
  registerAudit(program);
  registerSchema(program);
  registerHistory(program);
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the bin's name) and resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['check', 'src', '--format', 'json']);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit cleanly; everything else commander rejects is bad usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`theus: ${printable(error.message)}\n`);
      return error.exitCode;
    }
    // A file or folder that cannot be read or written (EACCES, EISDIR, ENOSPC, ...): its message names the path.
    if (isSystemError(error)) {
      process.stderr.write(`theus: ${printable(error.message)}\n`);
      return EXIT.failure;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`theus: unexpected error: ${printable(text)}\n`);
    return EXIT.failure;
  }
}

/** True for an error of a Node system call (it has a `code` such as `EACCES` and the `syscall` that failed). */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  return error instanceof Error && typeof code === 'string' && typeof syscall === 'string';
}
