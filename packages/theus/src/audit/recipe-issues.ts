/**
 * Collecting recipe problems: every issue names where it is (line and column for YAML, a key
 * path for object recipes) so one failed load shows all of them.
 *
 * @packageDocumentation
 */
import { AuditError } from '../errors/index.js';
import { formatIssue, type SourceIssue, type SourcePosition } from '../yaml/source-issue.js';

/** A problem in an audit recipe. Object recipes have `line` and `column` 0 and rely on `path`. */
export interface AuditRecipeIssue extends SourceIssue {
  /** The key path of the offending node, e.g. `process_recipes.transfer.inputs[0].level`. */
  readonly path: string;
}

/** Formats one issue: `file:line:column: message`, or `file:key.path: message` when there is no line. */
export function formatRecipeIssue(issue: AuditRecipeIssue): string {
  return issue.line > 0 ? formatIssue(issue) : `${issue.file}:${issue.path === '' ? '<root>' : issue.path}: ${issue.message}`;
}

/** Formats issues one per line, in source order (a stable sort keeps object recipes in walk order). */
export function formatRecipeIssues(issues: readonly AuditRecipeIssue[]): string {
  return sortIssues(issues).map(formatRecipeIssue).join('\n');
}

function sortIssues(issues: readonly AuditRecipeIssue[]): AuditRecipeIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The `file:line:column` (or `file:key.path`) of a node, as stored in a rule's `where`. */
export function locate(file: string, pos: SourcePosition, path: string): string {
  return pos.line > 0 ? `${file}:${String(pos.line)}:${String(pos.column)}` : `${file}:${path === '' ? '<root>' : path}`;
}

/**
 * The error thrown for an invalid recipe: code `AUDIT_RECIPE_INVALID`, every issue (source order)
 * in the message and `details.issues`. `title` replaces `Invalid audit recipe`; `footer` is a
 * last line of advice.
 */
export function invalidRecipe(
  issues: readonly AuditRecipeIssue[],
  wording: { readonly title?: string; readonly footer?: string } = {},
): AuditError {
  const sorted = sortIssues(issues);
  const count = sorted.length === 1 ? '1 problem' : `${String(sorted.length)} problems`;
  const footer = wording.footer === undefined ? '' : `\n${wording.footer}`;
  return new AuditError(
    'AUDIT_RECIPE_INVALID',
    `${wording.title ?? 'Invalid audit recipe'} (${count}):\n${sorted.map(formatRecipeIssue).join('\n')}${footer}`,
    { details: { issues: sorted.map((issue) => ({ ...issue })) } },
  );
}

/** Accumulates issues for one recipe file, dropping exact duplicates. */
export class IssueList {
  readonly #issues: AuditRecipeIssue[] = [];
  readonly #seen = new Set<string>();

  /** @param file - the file name every issue is reported under. */
  constructor(readonly file: string) {}

  /** Records a problem at `pos` (key path `path`). */
  add(pos: SourcePosition, path: string, message: string): void {
    const issue: AuditRecipeIssue = { file: this.file, line: pos.line, column: pos.column, path, message };
    const id = `${formatRecipeIssue(issue)}\u0000${path}`;
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.#issues.push(issue);
  }

  /** Adds issues found elsewhere (YAML syntax), with an empty key path. */
  addSource(issues: readonly SourceIssue[]): void {
    for (const issue of issues) this.add(issue, '', issue.message);
  }

  /** The issues so far, in the order found. */
  get all(): readonly AuditRecipeIssue[] {
    return this.#issues;
  }
}

/** ` (did you mean 'x'?)` when a known word is a few edits from `word` (two, three if long), else the empty string. */
export function suggest(word: string, known: Iterable<string>): string {
  const best = closest(word, known);
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** The known word a few edits from `word` (two, three if long), if any. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = word.length >= 8 ? 4 : 3;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance, capped work for short recipe keys. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 40) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 99;
}
