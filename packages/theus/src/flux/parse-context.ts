import type { SourceIssue, SourcePosition } from '../yaml/source-issue.js';
import type { YamlMap, YamlNode } from '../yaml/yaml-tree.js';

/** The state shared by the workflow parsers while they walk one file. */
export interface ParseContext {
  readonly file: string;
  readonly text: string;
  /** Problems that make the file invalid. */
  readonly issues: SourceIssue[];
  /** Problems the original accepted (empty blocks, ignored keys). */
  readonly warnings: SourceIssue[];
  /** Known process names; undefined = not checked. */
  readonly processes: ReadonlySet<string> | undefined;
  /** Names a condition may read; undefined = not checked. */
  readonly scopeNames: ReadonlySet<string> | undefined;
  /** Every process name met, for `Workflow.processes`. */
  readonly used: Set<string>;
}

/** Records an error at a position. */
export function issue(ctx: ParseContext, pos: SourcePosition, message: string): void {
  ctx.issues.push({ file: ctx.file, line: pos.line, column: pos.column, message });
}

/** Records a warning at a position. */
export function warn(ctx: ParseContext, pos: SourcePosition, message: string): void {
  ctx.warnings.push({ file: ctx.file, line: pos.line, column: pos.column, message });
}

/** Reports every key of `map` outside `allowed`, naming what `owner` accepts. */
export function checkKeys(ctx: ParseContext, map: YamlMap, allowed: readonly string[], owner: string): void {
  for (const entry of map.entries) {
    if (!allowed.includes(entry.key)) {
      issue(ctx, entry.keyPos, `unknown key '${entry.key}' in ${owner} (allowed: ${allowed.join(', ')})`);
    }
  }
}

/** A short description of a node's kind and value, for messages. */
export function describe(node: YamlNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
}
