/**
 * A problem found in a source file (a workflow, an audit recipe), with the position that names it.
 * Loaders collect every issue of a file before failing, so one run shows all of them.
 */
export interface SourceIssue {
  /** The file name, or `<inline>` for text that came from no file. */
  readonly file: string;
  /** 1-based line of the offending node. */
  readonly line: number;
  /** 1-based column of the offending node. */
  readonly column: number;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** A 1-based line and column inside a source text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Formats one issue as `file:line:column: message`, the form editors and terminals link. */
export function formatIssue(issue: SourceIssue): string {
  return `${issue.file}:${String(issue.line)}:${String(issue.column)}: ${issue.message}`;
}

/** Formats issues one per line, in file order. */
export function formatIssues(issues: readonly SourceIssue[]): string {
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map(formatIssue)
    .join('\n');
}
