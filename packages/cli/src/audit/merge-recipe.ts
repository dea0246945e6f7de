import { isMap, isSeq, parseDocument, YAMLMap, type Document } from 'yaml';
import type { AnyProcess } from 'theus';
import { CliError } from '../cli-error.js';
import { hasUnnamedArguments, processSkeleton } from './recipe-skeleton.js';

/** What merging skeletons into a recipe did. */
export interface MergeResult {
  /** The recipe text to write. */
  readonly text: string;
  /** Processes that got a skeleton. */
  readonly added: readonly string[];
  /** Processes the recipe already had (left exactly as written). */
  readonly kept: readonly string[];
}

const HEADER = [
  ' Audit recipe. Skeletons from `theus audit gen-spec` check `neq: null` at level I, which only records',
  ' failures (engine.audit.logs()): write real checks, then raise the level (C warn, B block, A abort, S stop).',
].join('\n');

/**
 * Adds a skeleton for every process the recipe does not mention (under `process_recipes` or in a
 * `rules:` group), keeping everything already written, comments included.
 *
 * @param existing - The current recipe text, or `undefined` when there is none.
 * @param file - The recipe's path, for messages.
 * @param schemaUrl - Where a new recipe's `$schema` line points (relative to the recipe).
 * @throws CliError (exit 1) when the existing text is not YAML or not a mapping.
 */
export function mergeSkeletons(
  existing: string | undefined,
  file: string,
  schemaUrl: string,
  processes: readonly AnyProcess[],
): MergeResult {
  const doc = existing === undefined ? newRecipe(schemaUrl) : parseRecipe(existing, file);
  const known = recipeProcesses(doc);
  let recipes = doc.get('process_recipes', true);
  if (!isMap(recipes)) {
    recipes = new YAMLMap();
    doc.set('process_recipes', recipes);
  }
  // Block style for the entries (`process_recipes: {}` of a new or empty recipe is a flow mapping).
  (recipes as YAMLMap).flow = false;
  const added: string[] = [];
  const kept: string[] = [];
  for (const process of processes) {
    if (known.has(process.name)) {
      kept.push(process.name);
      continue;
    }
    const node = skeletonNode(doc, process);
    if (hasUnnamedArguments(process)) node.commentBefore = ' No args schema: add input rules by argument name (field: <name>).';
    (recipes as YAMLMap).set(process.name, node);
    added.push(process.name);
  }
  return { text: doc.toString({ lineWidth: 120 }), added, kept };
}

/** A process's skeleton in block style, one rule per line in flow style (`- { field: amount, neq: null, level: I }`). */
function skeletonNode(doc: Document, process: AnyProcess): YAMLMap {
  const node = doc.createNode(processSkeleton(process)) as YAMLMap;
  for (const gate of ['inputs', 'outputs']) {
    const rules = node.get(gate, true);
    if (isSeq(rules)) for (const rule of rules.items) if (isMap(rule)) rule.flow = true;
  }
  return node;
}

function newRecipe(schemaUrl: string): Document {
  const doc = parseDocument('process_recipes: {}\n');
  doc.commentBefore = ` yaml-language-server: $schema=${schemaUrl}\n${HEADER}`;
  return doc;
}

function parseRecipe(text: string, file: string): Document {
  const doc: Document = parseDocument(text, { uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) throw new CliError(`${file} is not valid YAML (${error.message}): fix it before generating skeletons into it.`);
  if (doc.contents !== null && !isMap(doc.contents))
    throw new CliError(`${file} must hold a mapping (process_recipes: ...), not a ${isSeq(doc.contents) ? 'list' : 'scalar'}.`);
  if (doc.contents === null) doc.contents = new YAMLMap();
  return doc;
}

/** The process names a recipe already covers, in either of the two recipe forms. */
function recipeProcesses(doc: Document): Set<string> {
  const names = new Set<string>();
  const recipes = doc.get('process_recipes', true);
  if (isMap(recipes)) for (const pair of recipes.items) names.add(String((pair.key as { value?: unknown } | null)?.value ?? pair.key));
  const groups = doc.get('rules', true);
  if (isSeq(groups)) {
    for (const group of groups.items)
      if (isMap(group) && typeof group.get('process') === 'string') names.add(group.get('process') as string);
  }
  return names;
}
