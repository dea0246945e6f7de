import type { YamlNode } from '../yaml/yaml-tree.js';
import type { SourceIssue } from '../yaml/source-issue.js';

/** Objects have no positions: every node of a converted object sits at 1:1 and messages name paths. */
const NOWHERE = { line: 1, column: 1 } as const;

/**
 * Converts a plain object definition to the positioned tree the loaders validate, so that text
 * and object input share one validator. Non-plain values (functions, symbols, class instances)
 * are reported.
 */
export function objectToTree(value: unknown, file: string, issues: SourceIssue[], path = '(root)'): YamlNode {
  if (value === null || value === undefined) return { kind: 'scalar', value: null, pos: NOWHERE };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value, pos: NOWHERE };
  if (Array.isArray(value)) {
    return { kind: 'seq', items: value.map((item: unknown, i) => objectToTree(item, file, issues, `${path}[${String(i)}]`)), pos: NOWHERE };
  }
  const proto: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (typeof value !== 'object' || (proto !== Object.prototype && proto !== null)) {
    issues.push({ file, ...NOWHERE, message: `${path}: a definition holds only plain data, not ${typeof value}` });
    return { kind: 'scalar', value: null, pos: NOWHERE };
  }
  const entries = Object.keys(value).map((key) => ({
    key,
    keyPos: NOWHERE,
    value: objectToTree((value as Record<string, unknown>)[key], file, issues, `${path}.${key}`),
  }));
  return { kind: 'map', entries, pos: NOWHERE };
}
