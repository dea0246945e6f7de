/**
 * Reading workflow files from disk. Kept apart from the loader so that the core stays free of
 * Node-specific imports.
 */
import { readFile } from 'node:fs/promises';
import { loadWorkflow, type WorkflowLoadOptions } from './load-workflow.js';
import type { Workflow } from './workflow-ir.js';

/**
 * Reads a UTF-8 workflow file and loads it; positions in errors name `path` (or `options.file`).
 * A missing file rejects with the file system's error.
 */
export async function loadWorkflowFile(
  path: string,
  options: Omit<WorkflowLoadOptions, 'file'> & { readonly file?: string } = {},
): Promise<Workflow> {
  const text = await readFile(path, 'utf8');
  return loadWorkflow(text, { ...options, file: options.file ?? path });
}
