/**
 * Loading an audit recipe from YAML text or a plain object: parse, validate every key with its
 * position, resolve inheritance and defaults, then freeze. Free of `node:` imports.
 *
 * @packageDocumentation
 */
import { parseYamlTree, type YamlNode } from '../yaml/yaml-tree.js';
import { objectToTree } from './object-tree.js';
import { invalidRecipe, IssueList } from './recipe-issues.js';
import { resolveRecipe } from './recipe-resolve.js';
import { readRoot } from './recipe-root.js';
import type { AuditRecipe, AuditRecipeInput } from './recipe-types.js';

/** Options of {@link loadAuditRecipe}. */
export interface LoadAuditRecipeOptions {
  /** The name issues are reported under (default `<inline>` for text, `<object>` for objects). */
  readonly file?: string;
}

/**
 * Loads and validates an audit recipe. Every problem (YAML syntax, unknown keys and levels, wrong
 * types, rules without checks, regexes that do not compile, thresholds out of order, unknown or
 * cyclic `inherits`) is collected and reported at once; the result is deeply frozen.
 *
 * @param source - YAML text, or a plain object of the same shape.
 * @throws AuditError with code `AUDIT_RECIPE_INVALID`, every issue as `file:line:column: message`
 *   (`file:key.path: message` for objects) in the message and in `details.issues`.
 * @example
 * ```ts
 * const recipe = loadAuditRecipe(`
 * process_recipes:
 *   transfer:
 *     inputs:
 *       - { field: amount, min: 0.01, max: 10000, level: B, message: "Transfer limit" }
 * `);
 * ```
 */
export function loadAuditRecipe(source: string | AuditRecipeInput, options: LoadAuditRecipeOptions = {}): AuditRecipe {
  const text = typeof source === 'string';
  const issues = new IssueList(options.file ?? (text ? '<inline>' : '<object>'));
  let recipe: AuditRecipe;
  try {
    let root: YamlNode | undefined;
    if (text) {
      const tree = parseYamlTree(source, issues.file);
      issues.addSource(tree.issues);
      root = tree.root;
    } else {
      root = objectToTree(source, issues);
    }
    recipe = resolveRecipe(readRoot(root, issues), issues);
  } catch (error) {
    // A safety net: readers bound the depth they walk, but a converter that recursed too deep must
    // still surface as a recipe error, never as a bare RangeError.
    if (!(error instanceof RangeError)) throw error;
    issues.add({ line: 0, column: 0 }, '', `the recipe is nested too deeply to be read (${error.message}): flatten it`);
    throw invalidRecipe(issues.all);
  }
  if (issues.all.length > 0) throw invalidRecipe(issues.all);
  return deepFreeze(recipe);
}

/** Freezes a freshly built tree (a compiled regex keeps its matcher in a private field, left alone). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<string | symbol, unknown>)[key]);
  }
  return value;
}
