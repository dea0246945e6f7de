import { basename, resolve } from 'node:path';
import { packageNameProblem } from './project-name.js';

/** Where a project goes and what its package is called. */
export interface ProjectTarget {
  /** The folder, absolute. */
  readonly target: string;
  /** The package name: the folder's own name. */
  readonly packageName: string;
  /** The folder as the user wrote it, for `cd` in the next steps (undefined: the current folder). */
  readonly cdPath: string | undefined;
}

/**
 * Reads the `name` argument of `theus init`: a folder (`my-app`, `apps/my-app`, or `.` for the
 * current folder) whose last segment is the package name.
 */
export function projectTarget(name: string, cwd: string = process.cwd()): ProjectTarget {
  const target = resolve(cwd, name);
  return { target, packageName: basename(target), cdPath: target === cwd ? undefined : name };
}

/** What is wrong with `name` as a project name (see {@link packageNameProblem}), or undefined. */
export function projectNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a project name is required (for example my-theus-app)';
  const { packageName } = projectTarget(name);
  const problem = packageNameProblem(packageName);
  return problem === undefined || packageName === name ? problem : `the folder's name decides the package name, and ${problem}`;
}
