import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlAstNode } from 'yaml';
import type { SourceIssue, SourcePosition } from './source-issue.js';

/** A YAML scalar with its position. */
export interface YamlScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly pos: SourcePosition;
}

/** One `key: value` pair of a YAML mapping; `key` is the key's text (`on`, `true` and `1` alike). */
export interface YamlEntry {
  readonly key: string;
  readonly keyPos: SourcePosition;
  readonly value: YamlNode;
}

/** A YAML mapping, its entries in source order. */
export interface YamlMap {
  readonly kind: 'map';
  readonly entries: readonly YamlEntry[];
  readonly pos: SourcePosition;
}

/** A YAML sequence. */
export interface YamlSeq {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
  readonly pos: SourcePosition;
}

/**
 * A positioned, plain view of a YAML document: scalars, maps and sequences only, each with the
 * line and column where it starts. Loaders validate this tree instead of the `toJS()` output so
 * that every problem can name its position; no tag ever constructs code or objects.
 */
export type YamlNode = YamlScalar | YamlMap | YamlSeq;

/** The result of reading YAML text: the tree (absent when the text is empty) and syntax issues. */
export interface YamlTree {
  readonly root: YamlNode | undefined;
  readonly issues: readonly SourceIssue[];
}

/** How many aliases one document may expand (stops alias-expansion bombs). */
const MAX_ALIASES = 100;

/** Reads YAML text into a positioned tree, collecting syntax errors instead of throwing. */
export function parseYamlTree(text: string, file: string): YamlTree {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: SourceIssue[] = [];
  const at = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  for (const error of doc.errors) {
    const pos = at(error.pos[0]);
    issues.push({ file, ...pos, message: `YAML syntax: ${firstLine(error.message)}` });
  }
  if (issues.length > 0) return { root: undefined, issues };
  let aliases = 0;
  const expanding = new Set<unknown>();
  const convert = (node: unknown): YamlNode => {
    if (isAlias(node)) {
      const pos = at(node.range?.[0]);
      const target = node.resolve(doc);
      if (++aliases > MAX_ALIASES || target === undefined || expanding.has(target)) {
        issues.push({
          file,
          ...pos,
          message: `alias *${node.source} cannot be expanded (unknown, recursive, or more than ${String(MAX_ALIASES)} aliases)`,
        });
        return { kind: 'scalar', value: null, pos };
      }
      expanding.add(target);
      const converted = convert(target);
      expanding.delete(target);
      return converted;
    }
    if (isMap(node)) {
      const entries: YamlEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlAstNode | null;
        const keyPos = at(keyNode?.range?.[0]);
        const keyValue: unknown = isScalar(keyNode) ? keyNode.value : keyNode;
        if (keyValue !== null && typeof keyValue === 'object') {
          issues.push({ file, ...keyPos, message: 'a mapping key must be a plain scalar' });
          continue;
        }
        const value = pair.value === null ? { kind: 'scalar' as const, value: null, pos: keyPos } : convert(pair.value);
        entries.push({ key: String(keyValue), keyPos, value });
      }
      return { kind: 'map', entries, pos: at(node.range?.[0]) };
    }
    if (isSeq(node)) return { kind: 'seq', items: node.items.map(convert), pos: at((node as YamlAstNode).range?.[0]) };
    if (isScalar(node)) {
      const value = node.value;
      const pos = at(node.range?.[0]);
      if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { kind: 'scalar', value, pos };
      }
      if (typeof value === 'bigint') return { kind: 'scalar', value: Number(value), pos };
      issues.push({ file, ...pos, message: `unsupported YAML value of type ${typeof value}` });
      return { kind: 'scalar', value: null, pos };
    }
    const pos = at((node as YamlAstNode | null)?.range?.[0]);
    issues.push({ file, ...pos, message: 'unsupported YAML node' });
    return { kind: 'scalar', value: null, pos };
  };
  const contents = doc.contents;
  const root = contents === null ? undefined : convert(resolveAlias(contents, doc));
  return { root, issues };
}

/** Resolves a top-level alias so the tree never contains alias nodes at the root. */
function resolveAlias(node: YamlAstNode, doc: ReturnType<typeof parseDocument>): YamlAstNode {
  return 'resolve' in node && typeof node.resolve === 'function'
    ? ((node.resolve as (d: typeof doc) => YamlAstNode | undefined)(doc) ?? node)
    : node;
}

/** The first line of a multi-line library message. */
function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}

/** Looks up a key in a YAML map node. */
export function entryOf(map: YamlMap, key: string): YamlEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** Converts a positioned YAML node to plain data (null-prototype-free plain objects, own keys only). */
export function toPlain(node: YamlNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries)
        Object.defineProperty(out, entry.key, { value: toPlain(entry.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
  }
}
