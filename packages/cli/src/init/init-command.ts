import { CliError, usageError } from '../cli-error.js';
import { dependencySpecs } from './dependency-specs.js';
import { projectNameProblem, projectTarget } from './project-target.js';
import { askName, askTemplate, canPrompt, startPrompts } from './prompts.js';
import { printInteractiveReport, printPlainReport } from './report.js';
import { inspectTarget } from './target.js';
import { DEFAULT_TEMPLATE, isTemplateName, TEMPLATES, templateDirectory, type TemplateName } from './templates.js';
import { writeProject } from './write-project.js';

/** The options commander hands to `theus init`. */
export interface InitFlags {
  readonly template?: string;
  readonly force?: boolean;
}

/**
 * `theus init [name] [--template t] [--force]`: creates a project from a template. On a terminal
 * a missing name or template is asked for; otherwise a missing name is bad usage and the template
 * defaults to `minimal`.
 */
export async function initCommand(name: string | undefined, flags: InitFlags): Promise<void> {
  const given = flags.template === undefined ? undefined : checkTemplate(flags.template);
  const problem = name === undefined ? undefined : projectNameProblem(name);
  if (problem !== undefined) throw usageError(problem);
  const interactive = canPrompt();
  if (!interactive && name === undefined) {
    throw usageError(`a project name is required: theus init <name> [--template ${templateList('|')}] (\`.\` = the current folder)`);
  }
  if (interactive) startPrompts();
  const projectName = name ?? (await askName());
  const template = given ?? (interactive ? await askTemplate() : DEFAULT_TEMPLATE);
  const { target, packageName, cdPath } = projectTarget(projectName);
  const state = await inspectTarget(target);
  if (state === 'non-empty' && flags.force !== true) {
    throw new CliError(
      `${target} is not empty: choose another name, or pass --force to write the template's files into it (files of the same name are replaced).`,
    );
  }
  const { specs, checkout } = dependencySpecs();
  const files = await writeProject({ templateDir: templateDirectory(template), target, state, values: { ...specs, name: packageName } });
  const report = { target, template, files, cdPath, checkout };
  if (interactive) printInteractiveReport(report);
  else printPlainReport(report);
}

function checkTemplate(template: string): TemplateName {
  if (isTemplateName(template)) return template;
  throw usageError(`unknown template '${template}': use one of ${templateList(', ')}.`);
}

function templateList(separator: string): string {
  return TEMPLATES.map((t) => t.name).join(separator);
}
