import { isAbsolute, relative, sep } from 'node:path';
import { EXIT, usageError } from '../cli-error.js';
import { kindOf } from '../input-files.js';
import { say, sayJson, table } from '../output.js';
import type { LintReport } from './lint-project.js';

/** The options of `theus check`. */
export interface CheckOptions {
  readonly format: string;
}

/** `theus check`: lints, prints a table or JSON, and sets exit code 1 when anything was found. */
export async function checkCommand(path: string, options: CheckOptions): Promise<void> {
  if (options.format !== 'table' && options.format !== 'json')
    throw usageError(`--format takes 'table' or 'json', not '${options.format}'.`);
  const kind = kindOf(path);
  if (kind === 'missing') throw usageError(`'${path}' does not exist: pass a file or a folder of process modules.`);
  const cwd = process.cwd();
  const target = relative(cwd, path) || '.';
  // ESLint skips what lies outside its working folder: the check would pass on nothing.
  if (target === '..' || target.startsWith(`..${sep}`) || isAbsolute(target))
    throw usageError(`'${path}' is outside the current folder: run theus check from a folder that contains it.`);
  // ESLint and typescript-eslint load only for this command: the other commands start faster without them.
  const { lintProject } = await import('./lint-project.js');
  const report = await lintProject(target, cwd);
  if (options.format === 'json') sayJson(report);
  else printTable(report);
  if (report.violations.length > 0) process.exitCode = EXIT.failure;
}

function printTable(report: LintReport): void {
  const { violations, filesChecked } = report;
  const files = `${filesChecked} file${filesChecked === 1 ? '' : 's'} checked`;
  if (violations.length === 0) {
    say(`\u2714 ${files}: no violations.`);
    return;
  }
  say(
    table(
      ['Location', 'Code', 'Message'],
      violations.map((v) => [`${v.file}:${v.line}:${v.column}`, v.code, v.message]),
    ),
  );
  const inFiles = new Set(violations.map((v) => v.file)).size;
  say(
    `\u2716 ${violations.length} violation${violations.length === 1 ? '' : 's'} in ${inFiles} file${inFiles === 1 ? '' : 's'} (${files}).`,
  );
}
