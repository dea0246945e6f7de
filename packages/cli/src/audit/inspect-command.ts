import { relative } from 'node:path';
import type { AnyProcess } from 'theus';
import type { AuditProcessRecipe } from 'theus/audit';
import { loadAuditRecipeFile } from 'theus/node';
import { CliError } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { existingFile, kindOf } from '../input-files.js';
import { loadProcesses } from '../load-processes.js';
import { say, sayJson, table } from '../output.js';
import { suggestion } from '../suggestion.js';
import { RULE_HEADER, ruleRow } from './describe-rule.js';

/** The options of `theus audit inspect`. */
export interface InspectOptions {
  readonly recipe: string;
  readonly processes: string;
  readonly json?: boolean;
}

/**
 * `theus audit inspect <process>`: the rules that apply to one process after inheritance, with
 * their levels and thresholds, and the errors and side effects declared in the recipe and, when
 * the processes folder exists, in the process's contract.
 */
export async function inspectCommand(name: string, options: InspectOptions): Promise<void> {
  const file = existingFile(options.recipe, 'The audit recipe');
  let recipe: Awaited<ReturnType<typeof loadAuditRecipeFile>>;
  try {
    recipe = await loadAuditRecipeFile(relative(process.cwd(), file) || file);
  } catch (error) {
    throw new CliError(describeError(error));
  }
  const entry = Object.hasOwn(recipe.processes, name) ? recipe.processes[name] : undefined;
  if (entry === undefined) {
    const known = Object.keys(recipe.processes);
    throw new CliError(
      `'${name}' is not in ${options.recipe}${suggestion(name, known)} (it has: ${known.length === 0 ? 'none' : known.join(', ')}). Run \`theus audit gen-spec\` to add skeletons.`,
    );
  }
  const definition =
    kindOf(options.processes) === 'directory' ? (await loadProcesses(options.processes)).find((p) => p.name === name) : undefined;
  if (options.json === true) sayJson({ process: name, recipe: entry, contract: definition === undefined ? null : contractOf(definition) });
  else printRecipe(entry, options.recipe, definition);
}

function contractOf(definition: AnyProcess): {
  inputs: readonly string[];
  outputs: readonly string[];
  errors: readonly string[] | null;
  sideEffects: readonly string[];
} {
  const { inputs, outputs, errors, sideEffects } = definition.contract;
  return { inputs, outputs, errors: errors ?? null, sideEffects };
}

function printRecipe(entry: AuditProcessRecipe, file: string, definition: AnyProcess | undefined): void {
  const at = entry.at === undefined ? file : `${file}:${entry.at.line}`;
  say(`Audit of '${entry.name}' (${at})`);
  if (entry.inherits.length > 0) say(`Inherits: ${entry.inherits.join(' -> ')}`);
  const s = entry.settings;
  say(
    `Process settings: level ${s.level}, thresholds ${s.minThreshold}/${s.maxThreshold}, reset on success ${s.resetOnSuccess ? 'yes' : 'no'}`,
  );
  say('');
  say('Inputs (arguments, checked before the run):');
  say(entry.inputs.length === 0 ? '  (no rules)' : table(RULE_HEADER, entry.inputs.map(ruleRow)));
  say('');
  say('Outputs (the state it would commit, checked before the commit):');
  say(entry.outputs.length === 0 ? '  (no rules)' : table(RULE_HEADER, entry.outputs.map(ruleRow)));
  say('');
  say(`Side effects (recipe): ${listed(entry.sideEffects)}`);
  say(`Errors (recipe): ${listed(entry.errors)}`);
  if (definition !== undefined) {
    const c = definition.contract;
    say(`Contract: inputs ${listed(c.inputs)}; outputs ${listed(c.outputs)}`);
    say(`Side effects (contract): ${listed(c.sideEffects)}`);
    say(`Errors (contract): ${c.errors === undefined ? '(any: none declared)' : listed(c.errors)}`);
  }
}

function listed(values: readonly string[]): string {
  return values.length === 0 ? '(none declared)' : values.join(', ');
}
