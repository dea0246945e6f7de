import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { usageError } from './cli-error.js';
import { existingFile } from './input-files.js';

/** The largest context file read (the state is loaded into memory whole). */
const MAX_CONTEXT_BYTES = 64 * 1024 * 1024;

/**
 * Reads an initial context from a JSON or YAML file (JSON is YAML): a mapping of layers.
 *
 * @throws CliError (exit 2) naming the file and the line of a syntax error, or saying what the
 *   file holds when it is not a mapping.
 */
export function loadContextFile(path: string): Record<string, unknown> {
  const file = existingFile(path, 'The context file');
  // Measured before reading: a huge file is refused without being loaded.
  if (statSync(file).size > MAX_CONTEXT_BYTES) throw usageError(`The context file '${path}' is larger than 64 MiB.`);
  const text = readFileSync(file);
  let value: unknown;
  try {
    value = parse(text.toString('utf8'), { maxAliasCount: 100, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw usageError(`The context file '${path}' is not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError(`The context file '${path}' must hold a mapping of layers (global, domain, ...), not ${describe(value)}.`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
