import { scanDirectory } from 'theus/node';
import type { AnyProcess } from 'theus';
import { CliError } from './cli-error.js';
import { describeError } from './describe-error.js';
import { existingDirectory } from './input-files.js';
import { registerTypeScript } from './typescript-loader.js';

/** Where a project keeps its process modules unless `--processes` says otherwise. */
export const DEFAULT_PROCESSES_DIR = 'src/processes';

/**
 * Imports every process module under `dir` (TypeScript included) and returns their processes.
 *
 * @throws CliError exit 2 when the directory is missing, exit 1 naming the module and its error
 *   when one fails to import.
 */
export async function loadProcesses(dir: string): Promise<AnyProcess[]> {
  const root = existingDirectory(dir, 'The processes directory', 'pass --processes <dir>.');
  registerTypeScript();
  try {
    return await scanDirectory(root);
  } catch (error) {
    const message = describeError(error);
    // tsx compiles .ts files of a package without "type": "module" to CommonJS, which cannot load theus's ES modules in a cycle.
    const hint = message.includes('require() ES Module')
      ? ' Add "type": "module" to your package.json (process modules are ES modules).'
      : '';
    throw new CliError(message + hint);
  }
}
