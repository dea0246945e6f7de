import { cancel, intro, isCancel, isCI, isTTY, select, text } from '@clack/prompts';
import { CliError } from '../cli-error.js';
import { projectNameProblem } from './project-target.js';
import { TEMPLATES, type TemplateName } from './templates.js';

/** True when init may ask questions: both ends are a terminal and this is not a CI run. */
export function canPrompt(): boolean {
  return process.stdin.isTTY && isTTY(process.stdout) && !isCI();
}

/** Opens the interactive session (the title line). */
export function startPrompts(): void {
  intro('theus init: create a Theus project');
}

/** Asks for the project's folder name, validated as an npm package name. */
export async function askName(): Promise<string> {
  const answer = await text({
    message: 'Project name (the folder to create, also the package name)',
    placeholder: 'my-theus-app',
    validate: (value) => projectNameProblem(value ?? ''),
  });
  if (isCancel(answer)) cancelled();
  return answer;
}

/** Asks which template to start from. */
export async function askTemplate(): Promise<TemplateName> {
  const answer = await select<TemplateName>({
    message: 'Template',
    options: TEMPLATES.map((template) => ({ value: template.name, label: template.name, hint: template.hint })),
    initialValue: 'minimal',
  });
  if (isCancel(answer)) cancelled();
  return answer;
}

/** Ends the session after Ctrl+C or Escape (exit 1). */
function cancelled(): never {
  cancel('Cancelled: nothing was written.');
  throw new CliError('init cancelled');
}
