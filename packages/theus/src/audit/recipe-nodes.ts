/**
 * Typed reads from the positioned YAML tree: each helper either returns a value of the expected
 * type or records an issue at the node's position and returns `undefined`.
 *
 * @packageDocumentation
 */
import type { SourcePosition } from '../yaml/source-issue.js';
import type { YamlMap, YamlNode, YamlSeq } from '../yaml/yaml-tree.js';
import { suggest, type IssueList } from './recipe-issues.js';
import { itemPath, keyPath } from '../yaml/object-tree.js';

export { itemPath, keyPath };

/** A value read from the recipe, with where it was written (for later cross-checks). */
export interface Sourced<T> {
  readonly value: T;
  readonly pos: SourcePosition;
  readonly path: string;
}

/** A short description of a node for messages: `a mapping`, `the string "abc"`, `the number 3`. */
export function describeNode(node: YamlNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const value = node.value;
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** The node as a mapping, or an issue. */
export function asMap(node: YamlNode, path: string, what: string, issues: IssueList): YamlMap | undefined {
  if (node.kind === 'map') return node;
  issues.add(node.pos, path, `${what} must be a mapping, got ${describeNode(node)}`);
  return undefined;
}

/** The node as a list (null means an empty list), or an issue. */
export function asSeq(node: YamlNode, path: string, what: string, issues: IssueList): YamlSeq | undefined {
  if (node.kind === 'seq') return node;
  if (node.kind === 'scalar' && node.value === null) return { kind: 'seq', items: [], pos: node.pos };
  issues.add(node.pos, path, `${what} must be a list, got ${describeNode(node)}`);
  return undefined;
}

/** Reports every key of `map` that is not in `allowed`, suggesting a close known key. */
export function checkKeys(map: YamlMap, path: string, allowed: ReadonlySet<string>, what: string, issues: IssueList): void {
  for (const entry of map.entries) {
    if (allowed.has(entry.key)) continue;
    const known = [...allowed].sort().join(', ');
    issues.add(
      entry.keyPos,
      keyPath(path, entry.key),
      `unknown ${what} key '${entry.key}'${suggest(entry.key, allowed)}; known keys: ${known}`,
    );
  }
}

/** Reports when more than one of `aliases` is present; returns the first present entry's value. */
export function oneOf(
  map: YamlMap,
  path: string,
  aliases: readonly string[],
  issues: IssueList,
): { key: string; node: YamlNode } | undefined {
  const present = map.entries.filter((e) => aliases.includes(e.key));
  const [first, second] = present;
  if (second !== undefined) {
    const names = present.map((e) => `'${e.key}'`).join(' and ');
    issues.add(second.keyPos, keyPath(path, second.key), `${names} are aliases: keep only one`);
  }
  return first === undefined ? undefined : { key: first.key, node: first.value };
}

/** A non-empty string, or an issue. */
export function readString(node: YamlNode, path: string, what: string, issues: IssueList): string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
  issues.add(node.pos, path, `${what} must be a non-empty string, got ${describeNode(node)}`);
  return undefined;
}

/** A finite number (an integer >= `min` when `integer`), or an issue. */
export function readNumber(node: YamlNode, path: string, what: string, issues: IssueList, integer?: { min: number }): number | undefined {
  const value = node.kind === 'scalar' ? node.value : undefined;
  if (typeof value === 'number' && Number.isFinite(value) && (integer === undefined || (Number.isInteger(value) && value >= integer.min))) {
    return value;
  }
  const expected = integer === undefined ? 'a finite number' : `an integer >= ${String(integer.min)}`;
  issues.add(node.pos, path, `${what} must be ${expected}, got ${describeNode(node)}`);
  return undefined;
}

/** A boolean, or an issue. */
export function readBoolean(node: YamlNode, path: string, what: string, issues: IssueList): boolean | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  issues.add(node.pos, path, `${what} must be true or false, got ${describeNode(node)}`);
  return undefined;
}

/** A list of non-empty strings (documentation keys such as `side_effects`), or an issue. */
export function readStrings(node: YamlNode, path: string, what: string, issues: IssueList): string[] {
  const seq = asSeq(node, path, what, issues);
  if (seq === undefined) return [];
  const out: string[] = [];
  seq.items.forEach((item, i) => {
    const text = readString(item, itemPath(path, i), `each entry of ${what}`, issues);
    if (text !== undefined) out.push(text);
  });
  return out;
}
