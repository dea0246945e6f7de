import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from './cli-error.js';

/**
 * The absolute path of a file the user named, checked to exist and to be a file.
 *
 * @param what - What the file is for, as the message names it (`the workflow file`).
 * @throws CliError (exit 2) naming the path when it is missing or not a file.
 */
export function existingFile(path: string, what: string): string {
  const absolute = resolve(path);
  const kind = kindOf(absolute);
  if (kind === 'missing') throw usageError(`${what} '${path}' does not exist.`);
  if (kind !== 'file') throw usageError(`${what} '${path}' is not a file.`);
  return absolute;
}

/**
 * The absolute path of a directory the user named, checked to exist and to be a directory.
 *
 * @param what - What the directory is for (`the processes directory`).
 * @param hint - What to do about it, appended to the message.
 * @throws CliError (exit 2) naming the path when it is missing or not a directory.
 */
export function existingDirectory(path: string, what: string, hint = ''): string {
  const absolute = resolve(path);
  const kind = kindOf(absolute);
  if (kind === 'missing') throw usageError(`${what} '${path}' does not exist${hint === '' ? '.' : `: ${hint}`}`);
  if (kind !== 'directory') throw usageError(`${what} '${path}' is not a directory.`);
  return absolute;
}

/** Whether `path` names a file, a directory, something else, or nothing. */
export function kindOf(path: string): 'file' | 'directory' | 'other' | 'missing' {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return 'missing';
  if (stats.isFile()) return 'file';
  return stats.isDirectory() ? 'directory' : 'other';
}
