/**
 * Loading an audit recipe from a file. Kept apart from the core so that only Node entries pull in
 * `node:fs`.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
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
  const text = await readFile(path, 'utf8');
  return loadAuditRecipe(text, { file: path });
}
