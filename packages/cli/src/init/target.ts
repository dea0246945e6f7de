import { readdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from '../cli-error.js';

/** What is at the target path: nothing yet, an empty folder, or a folder with entries. */
export type TargetState = 'missing' | 'empty' | 'non-empty';

/**
 * Looks at the folder a project will be created in. Refuses (exit 1) a target that exists but is
 * not a folder, and a target whose parent folder does not exist: init creates one folder, never a
 * chain of them, so a failure can always remove everything it made.
 */
export async function inspectTarget(target: string): Promise<TargetState> {
  const found = await stat(target).catch((error: unknown) => {
    if (isCode(error, 'ENOENT')) return undefined;
    throw new CliError(`cannot read ${target}: ${reason(error)}`);
  });
  if (found === undefined) {
    const parent = dirname(target);
    const parentStat = await stat(parent).catch(() => undefined);
    if (parentStat?.isDirectory() !== true)
      throw new CliError(`cannot create ${target}: its parent ${parent} is not an existing folder; create it first.`);
    return 'missing';
  }
  if (!found.isDirectory()) throw new CliError(`${target} exists and is not a folder: choose another project name or path.`);
  const entries = await readdir(target).catch((error: unknown) => {
    throw new CliError(`cannot read the folder ${target}: ${reason(error)}`);
  });
  return entries.length === 0 ? 'empty' : 'non-empty';
}

/** True if `error` is a Node system error with this `code`. */
export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** The message of a caught error, for a one-line report. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
