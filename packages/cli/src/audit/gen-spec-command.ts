import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { DEFAULT_INPUT_LIMITS } from 'theus';
import { loadAuditRecipe } from 'theus/audit';
import { CliError } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { kindOf } from '../input-files.js';
import { loadProcesses } from '../load-processes.js';
import { say } from '../output.js';
import { writeAtomically } from '../write-atomically.js';
import { mergeSkeletons } from './merge-recipe.js';

/** The options of `theus audit gen-spec`. */
export interface GenSpecOptions {
  readonly processes: string;
  readonly out: string;
}

/**
 * `theus audit gen-spec`: adds a rule skeleton for every process the recipe does not mention yet,
 * keeping what is written. The result must load as a recipe before it replaces the file, and it
 * replaces it in one rename: an interrupted run leaves the old file.
 */
export async function genSpecCommand(options: GenSpecOptions): Promise<void> {
  const processes = await loadProcesses(options.processes);
  if (processes.length === 0) {
    say(`No processes found in ${options.processes}: nothing to add.`);
    return;
  }
  const out = resolve(options.out);
  const kind = kindOf(out);
  if (kind !== 'missing' && kind !== 'file') throw new CliError(`${options.out} is not a file.`);
  // Measured before reading: a recipe past the loader's limit could never load (nor a huge file be read whole).
  const limit = DEFAULT_INPUT_LIMITS.maxInputBytes;
  if (kind === 'file' && statSync(out).size > limit)
    throw new CliError(`${options.out} is larger than ${limit} bytes, the most a recipe may hold.`);
  const existing = kind === 'file' ? readFileSync(out, 'utf8') : undefined;
  const schemaUrl = relative(dirname(out), resolve('node_modules/theus/schemas/audit-recipe.json'));
  const merged = mergeSkeletons(existing, options.out, schemaUrl, processes);
  try {
    loadAuditRecipe(merged.text, { file: options.out });
  } catch (error) {
    throw new CliError(`${describeError(error)}\nThe recipe was left unchanged: fix these lines, then run gen-spec again.`);
  }
  for (const name of merged.kept) say(`= ${name}: already in the recipe, kept as written`);
  for (const name of merged.added) say(`+ ${name}: skeleton added`);
  if (merged.added.length === 0) {
    say(`${options.out}: every process already has a recipe; nothing changed.`);
    return;
  }
  writeAtomically(out, merged.text, options.out);
  say(`${options.out}: ${merged.added.length} added, ${merged.kept.length} kept.`);
}
