/**
 * Reading workflow files from disk. Kept apart from the loader so that the core stays free of
 * Node-specific imports.
 */
import { readTextFile } from '../yaml/read-text-file.js';
import { tooLargeMessage } from '../yaml/limits.js';
import { checkedLimits, invalidWorkflow, loadWorkflow, type WorkflowLoadOptions } from './load-workflow.js';
import type { Workflow } from './workflow-ir.js';

/**
 * Reads a UTF-8 workflow file and loads it; positions in errors name `path` (or `options.file`).
 * A file larger than `limits.maxInputBytes` (default 1 MiB) is refused with `WORKFLOW_INVALID`
 * before it is read, and never more than that many bytes are read. A missing file rejects with the
 * file system's error.
 */
export async function loadWorkflowFile(
  path: string,
  options: Omit<WorkflowLoadOptions, 'file'> & { readonly file?: string } = {},
): Promise<Workflow> {
  const file = options.file ?? path;
  const limits = checkedLimits(options.limits, file);
  const read = await readTextFile(path, limits.maxInputBytes);
  if ('tooLarge' in read) {
    throw invalidWorkflow(file, [{ file, line: 1, column: 1, message: tooLargeMessage(read.tooLarge, limits.maxInputBytes, read.exact) }]);
  }
  return loadWorkflow(read.text, { ...options, file, limits });
}
