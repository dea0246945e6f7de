/**
 * Node-only helpers that read Theus files from disk (`theus/node`). Kept out of the core entry so
 * that `theus` itself runs in browsers and edge runtimes.
 *
 * @packageDocumentation
 */
import { loadMachine, type MachineDefinition, type MachineLoadOptions } from '../fsm/index.js';
import { WorkflowError } from '../errors/index.js';
import { readTextFile } from '../yaml/read-text-file.js';
import { DEFAULT_INPUT_LIMITS, tooLargeMessage } from '../yaml/limits.js';

export { loadWorkflowFile } from '../flux/load-workflow-file.js';
export { loadAuditRecipeFile } from '../audit/recipe-file.js';
export { scanDirectory } from './scan-directory.js';

/**
 * Reads and validates a state-machine YAML file; positions in errors name the file. A file larger
 * than `limits.maxInputBytes` (default 1 MiB) is refused with `FSM_INVALID` without reading more.
 */
export async function loadMachineFile(path: string, options: Omit<MachineLoadOptions, 'file'> = {}): Promise<MachineDefinition> {
  const maxBytes = options.limits?.maxInputBytes ?? DEFAULT_INPUT_LIMITS.maxInputBytes;
  const read = await readTextFile(path, maxBytes);
  if ('tooLarge' in read) {
    const message = `${path}:1:1: ${tooLargeMessage(read.tooLarge, maxBytes, read.exact)}`;
    throw new WorkflowError('FSM_INVALID', `Invalid state machine: ${message}`, { details: { file: path, issues: [message] } });
  }
  return loadMachine(read.text, { ...options, file: path });
}
