import { log, note, outro } from '@clack/prompts';
import type { TemplateName } from './templates.js';

/** What was created, for the closing report. */
export interface InitReport {
  readonly target: string;
  readonly template: TemplateName;
  /** The files written, relative to the target. */
  readonly files: readonly string[];
  /** The folder to `cd` into first (undefined: the project is the current folder). */
  readonly cdPath: string | undefined;
  /** The checkout the Theus packages are linked from, if any. */
  readonly checkout: string | undefined;
}

/** The commands that install, test and run the new project. */
export function nextSteps(cdPath: string | undefined): string[] {
  return [...(cdPath === undefined ? [] : [`cd ${shellWord(cdPath)}`]), 'npm install', 'npm test', 'npm start'];
}

/** Prints the report as plain lines (no terminal, or CI), to standard output. */
export function printPlainReport(report: InitReport): void {
  const lines = [
    `Created ${report.target} from the ${report.template} template:`,
    ...report.files.map((file) => `  ${file}`),
    ...(report.checkout === undefined ? [] : [`The theus packages are file: links to the checkout at ${report.checkout}.`]),
    'Next steps:',
    ...nextSteps(report.cdPath).map((step) => `  ${step}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Prints the report in the interactive session's style, and closes the session. */
export function printInteractiveReport(report: InitReport): void {
  note(report.files.join('\n'), `Created ${report.target} (${report.template})`);
  if (report.checkout !== undefined) log.info(`The theus packages are file: links to the checkout at ${report.checkout}.`);
  note(nextSteps(report.cdPath).join('\n'), 'Next steps');
  outro('Done.');
}

/** Quotes a path for a POSIX shell when it holds anything but safe characters. */
function shellWord(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
