import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContractViolationError } from '../errors/index.js';
import { isProcess, type AnyProcess } from '../contract/process.js';

const MODULE = /\.(?:m?js|m?ts)$/;
const SKIP = /\.(?:test|spec)\.|\.d\.m?ts$/;

/**
 * Imports every module under `dir` (recursively) and returns the processes they export.
 * Node only (`theus/node`): engine.scan loads that entry at run time, so the core stays free of
 * Node imports.
 *
 * @throws ContractViolationError (`CONTRACT_SCAN_FAILED`) naming the module that failed to import.
 */
export async function scanDirectory(dir: string): Promise<AnyProcess[]> {
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive: true })).filter((f) => MODULE.test(f) && !SKIP.test(f)).sort();
  } catch (error) {
    throw new ContractViolationError(
      'CONTRACT_SCAN_FAILED',
      `engine.scan() cannot read the directory '${root}': pass an existing directory of process modules.`,
      { details: { dir: root }, cause: error },
    );
  }
  const found: AnyProcess[] = [];
  for (const file of entries) {
    const path = join(root, file);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ContractViolationError(
        'CONTRACT_SCAN_FAILED',
        `engine.scan() could not import '${path}': ${error instanceof Error ? error.message : String(error)}.`,
        { details: { file: path }, cause: error },
      );
    }
    for (const value of Object.values(module)) if (isProcess(value) && !found.includes(value)) found.push(value);
  }
  return found;
}
