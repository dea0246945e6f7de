/**
 * Loading an audit recipe from a file. Kept apart from the core so that only Node entries pull in
 * `node:fs`.
 *
 * @packageDocumentation
 */
import { AuditError } from '../errors/index.js';
import { readTextFile } from '../yaml/read-text-file.js';
import { DEFAULT_INPUT_LIMITS, tooLargeMessage } from '../yaml/limits.js';
import { loadAuditRecipe } from './recipe-loader.js';
import type { AuditRecipe } from './recipe-types.js';

/**
 * Reads a YAML audit recipe file and loads it; issues name the file as given.
 *
 * @throws AuditError `AUDIT_RECIPE_INVALID` for an invalid recipe; the file system's error when
 *   the file cannot be read.
 * @example
 * ```ts
 * const recipe = await loadAuditRecipeFile('specs/audit_recipe.yaml');
 * ```
 */
export async function loadAuditRecipeFile(path: string): Promise<AuditRecipe> {
  const maxBytes = DEFAULT_INPUT_LIMITS.maxInputBytes;
  const read = await readTextFile(path, maxBytes);
  if ('tooLarge' in read) {
    throw new AuditError('AUDIT_RECIPE_INVALID', `${path}:1:1: ${tooLargeMessage(read.tooLarge, maxBytes, read.exact)}`, {
      details: { file: path },
    });
  }
  return loadAuditRecipe(read.text, { file: path });
}
