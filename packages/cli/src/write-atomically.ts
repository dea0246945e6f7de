import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './cli-error.js';
import { describeError } from './describe-error.js';

/**
 * Writes `text` to `path` through a temporary file beside it and one rename, creating the folder:
 * readers and an interrupted run see the old file or the new one, never half of one.
 *
 * @param shown - The path as the user wrote it, for the message.
 * @throws CliError (exit 1) naming the path when it cannot be written.
 */
export function writeAtomically(path: string, text: string, shown: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(`Could not write ${shown}: ${describeError(error)}`);
  }
}
