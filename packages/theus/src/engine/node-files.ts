/**
 * Node-only helpers that read Theus files from disk (`theus/node`). Kept out of the core entry so
 * that `theus` itself runs in browsers and edge runtimes.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { loadMachine, type MachineDefinition, type MachineLoadOptions } from '../fsm/index.js';

export { loadWorkflowFile } from '../flux/load-workflow-file.js';
export { loadAuditRecipeFile } from '../audit/recipe-file.js';
export { scanDirectory } from './scan-directory.js';

/** Reads and validates a state-machine YAML file; positions in errors name the file. */
export async function loadMachineFile(path: string, options: Omit<MachineLoadOptions, 'file'> = {}): Promise<MachineDefinition> {
  return loadMachine(await readFile(path, 'utf8'), { ...options, file: path });
}
