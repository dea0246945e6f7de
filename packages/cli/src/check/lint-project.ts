import { ESLint, type Linter } from 'eslint';
import theus, { ruleCodes } from 'eslint-plugin-theus';
import tseslint from 'typescript-eslint';

/** One problem `theus check` reports: a rule's violation, or a file that does not parse. */
export interface Violation {
  /** The file, relative to the working directory. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The rule's code (`POP-E01` ... `POP-C01`), or `SYNTAX` for a file that does not parse. */
  readonly code: string;
  /** The ESLint rule id (`theus/no-console`), or `null` for a syntax error. */
  readonly rule: string | null;
  readonly message: string;
}

/** What linting found. */
export interface LintReport {
  readonly filesChecked: number;
  readonly violations: readonly Violation[];
}

const SOURCES = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const TYPESCRIPT = '**/*.{ts,tsx,mts,cts}';
/** Tests, declarations and build output are not process files (engine.scan skips them too). */
const IGNORED = ['**/dist/**', '**/coverage/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.test.*', '**/*.spec.*'];

/** The configuration `theus check` lints with: the plugin's recommended rules only, whatever the project's own ESLint config says. */
function checkConfig(): Linter.Config[] {
  return [
    { files: [TYPESCRIPT], languageOptions: { parser: tseslint.parser } },
    { files: ['**/*.jsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    { ...theus.configs.recommended, files: [SOURCES] },
  ];
}

/**
 * Lints `target` (a file or a directory, recursively) with the recommended rules of
 * eslint-plugin-theus, ignoring the project's own ESLint configuration.
 */
export async function lintProject(target: string, cwd: string): Promise<LintReport> {
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: checkConfig(),
    ignorePatterns: IGNORED,
    errorOnUnmatchedPattern: false,
    // A file named on the command line that is ignored (a test, a .txt) is skipped, not reported.
    warnIgnored: false,
    // `eslint-disable` and `/* eslint ... */` comments are the project's ESLint setup: they neither silence
    // the Theus rules here nor name rules this run does not load.
    allowInlineConfig: false,
  });
  const results = await eslint.lintFiles([target]);
  const violations: Violation[] = [];
  for (const result of results) {
    const file = result.filePath.startsWith(`${cwd}/`) ? result.filePath.slice(cwd.length + 1) : result.filePath;
    for (const message of result.messages) violations.push(violationOf(file, message));
  }
  return { filesChecked: results.length, violations };
}

function violationOf(file: string, message: Linter.LintMessage): Violation {
  const rule = message.ruleId;
  const code = rule === null ? 'SYNTAX' : (ruleCodes[rule.replace(/^theus\//, '')] ?? rule);
  const text = message.message.replace(/^POP-[EC]\d\d: /, '');
  // A parser that fails without a position (too deeply nested code: the stack ran out) leaves line and column unset: 0 says so.
  const [line, column] = [message.line as number | undefined, message.column as number | undefined];
  return { file, line: line ?? 0, column: column ?? 0, code, rule, message: rule === null ? `does not parse: ${text}` : text };
}
