import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';
import { copyTemplate } from './copy-template.js';
import { mergeInto } from './move-into-place.js';
import { reason, type TargetState } from './target.js';

/** What {@link writeProject} writes, and where. */
export interface ProjectRequest {
  /** The template folder to copy. */
  readonly templateDir: string;
  /** The project folder (absolute). */
  readonly target: string;
  /** What is at `target` now (see `inspectTarget`). */
  readonly state: TargetState;
  /** The values of the template's placeholders. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Writes a project without ever leaving half of one: the files are generated in a temporary
 * folder beside the target (same file system), which then becomes the target in one rename (or,
 * when the target folder exists, has its files moved into it). On any failure the temporary folder
 * is removed and the target is left as it was.
 *
 * @returns The files written, relative to the target, sorted.
 */
export async function writeProject(request: ProjectRequest): Promise<string[]> {
  const { target } = request;
  // mkdir, not mkdtemp: the folder becomes the project, so it gets the usual mode (umask), not 0700.
  const temp = join(dirname(target), `.${basename(target)}.theus-init-${randomBytes(6).toString('hex')}`);
  await mkdir(temp).catch((error: unknown) => {
    throw new CliError(`cannot create ${target}: ${reason(error)}`);
  });
  try {
    const files = await copyTemplate(request.templateDir, temp, request.values);
    if (request.state === 'missing') await rename(temp, target);
    else await mergeInto(temp, target);
    return files;
  } catch (error) {
    throw error instanceof CliError ? error : new CliError(`cannot create ${target}: ${reason(error)}. Nothing was written.`);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
