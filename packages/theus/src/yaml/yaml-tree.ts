import {
  Composer,
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  YAMLParseError,
  type Alias,
  type CST,
  type Node as YamlAstNode,
  type YAMLMap,
} from 'yaml';
import { bytesOver, formatCount, resolveInputLimits, tooLargeMessage, type InputLimits, type ResolvedInputLimits } from './limits.js';
import type { SourceIssue, SourcePosition } from './source-issue.js';
import { checkShape, scanTokens, tooDeepMessage, tooManyNodesMessage } from './yaml-shape.js';

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

/**
 * Reads YAML text into a positioned tree, collecting problems instead of throwing: syntax errors,
 * duplicate keys, and every bound of `limits` (text size, nesting depth, node count, alias
 * expansions; see {@link InputLimits}) as an issue naming the file, the position and the bound.
 * The text is measured before it is parsed and the syntax tree before it is composed, so no
 * input can block the event loop for long or overflow the stack.
 *
 * @throws TypeError when `limits` is malformed (loaders check their options before calling).
 */
export function parseYamlTree(text: string, file: string, limits?: InputLimits): YamlTree {
  const bounds = resolveInputLimits(limits);
  if (typeof bounds === 'string') throw new TypeError(bounds);
  const refuse = (message: string, pos: SourcePosition = { line: 1, column: 1 }): YamlTree => ({
    root: undefined,
    issues: [{ file, ...pos, message }],
  });
  const oversize = bytesOver(text, bounds.maxInputBytes);
  if (oversize !== undefined) return refuse(tooLargeMessage(oversize, bounds.maxInputBytes, false));
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  const early = scanTokens(text, bounds);
  if (early !== undefined) return refuse(early.message, positionAt(text, early.offset));
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const shape = checkShape(tokens, bounds);
  if (shape !== undefined) return refuse(shape.message, at(shape.offset));
  const doc = composeOne(tokens, text.length);
  const issues: SourceIssue[] = [];
  for (const error of doc.errors) {
    const pos = at(error.pos[0]);
    issues.push({ file, ...pos, message: `YAML syntax: ${firstLine(error.message)}` });
  }
  if (issues.length > 0) return { root: undefined, issues };
  const contents = doc.contents;
  if (contents === null) return { root: undefined, issues };
  const builder = new TreeBuilder(doc, file, bounds, at, issues);
  const root = builder.build(resolveAlias(contents, doc));
  // A tree cut short by a bound is not validated further: its missing parts would only add noise.
  return { root: builder.stopped ? undefined : root, issues };
}

/** The 1-based line and column of `offset` in `text` (counted only when a bound is passed). */
function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let start = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    start = at + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Composes the first document of `tokens`; a second document is an error, as `parseDocument` makes it. */
function composeOne(tokens: readonly CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (doc === undefined) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple YAML documents: keep one per file'),
      );
      break;
    }
  }
  return doc ?? (new Document(null) as Document.Parsed);
}

/**
 * Converts a composed document into the positioned tree. Aliases are expanded (each expansion
 * counts towards `maxAliases` and its nodes towards `maxNodes`); depth is checked again, since an
 * alias can nest one deep structure inside another.
 */
class TreeBuilder {
  #aliases = 0;
  #nodes = 0;
  readonly #expanding = new Set<unknown>();
  #stopped = false;

  constructor(
    readonly doc: Document.Parsed,
    readonly file: string,
    readonly limits: ResolvedInputLimits,
    readonly at: (offset: number | undefined) => SourcePosition,
    readonly issues: SourceIssue[],
  ) {}

  /** Converts the document's root node. */
  build(node: unknown): YamlNode {
    return this.#convert(node, 0);
  }

  /** Whether a bound was passed, so that the rest of the document was skipped. */
  get stopped(): boolean {
    return this.#stopped;
  }

  #issue(pos: SourcePosition, message: string): YamlScalar {
    this.issues.push({ file: this.file, ...pos, message });
    return { kind: 'scalar', value: null, pos };
  }

  /** Counts one node; false (after reporting) once the document holds too many. */
  #count(pos: SourcePosition): boolean {
    if (this.#stopped) return false;
    if (++this.#nodes <= this.limits.maxNodes) return true;
    this.#stopped = true;
    this.#issue(pos, tooManyNodesMessage(this.limits.maxNodes));
    return false;
  }

  #convert(node: unknown, depth: number): YamlNode {
    const pos = this.at((node as YamlAstNode | null)?.range?.[0]);
    if (!this.#count(pos)) return { kind: 'scalar', value: null, pos };
    if (isAlias(node)) return this.#alias(node, pos, depth);
    if (isMap(node) || isSeq(node)) {
      if (depth + 1 > this.limits.maxDepth) {
        this.#stopped = true;
        return this.#issue(pos, tooDeepMessage(this.limits.maxDepth));
      }
      return isMap(node)
        ? this.#map(node, pos, depth + 1)
        : { kind: 'seq', items: node.items.map((item) => this.#convert(item, depth + 1)), pos };
    }
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { kind: 'scalar', value, pos };
      }
      if (typeof value === 'bigint') return { kind: 'scalar', value: Number(value), pos };
      return this.#issue(pos, `unsupported YAML value of type ${typeof value}`);
    }
    return this.#issue(pos, 'unsupported YAML node');
  }

  #alias(node: Alias, pos: SourcePosition, depth: number): YamlNode {
    const target = node.resolve(this.doc);
    const max = this.limits.maxAliases;
    if (++this.#aliases > max || target === undefined || this.#expanding.has(target)) {
      if (this.#aliases > max) this.#stopped = true;
      return this.#issue(
        pos,
        `alias *${node.source} cannot be expanded (unknown, recursive, or more than ${formatCount(max)} alias expansions: maxAliases)`,
      );
    }
    this.#expanding.add(target);
    const converted = this.#convert(target, depth);
    this.#expanding.delete(target);
    return converted;
  }

  #map(node: YAMLMap, pos: SourcePosition, depth: number): YamlMap {
    const entries: YamlEntry[] = [];
    const seen = new Map<string, SourcePosition>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlAstNode | null;
      const keyPos = this.at(keyNode?.range?.[0]);
      const keyValue: unknown = isScalar(keyNode) ? keyNode.value : keyNode;
      if (keyValue !== null && typeof keyValue === 'object') {
        this.#issue(keyPos, 'a mapping key must be a plain scalar');
        continue;
      }
      const key = String(keyValue);
      const first = seen.get(key);
      if (first !== undefined) {
        this.#issue(keyPos, `duplicate key '${key}' (first at line ${String(first.line)}): keys of a mapping must be unique`);
        continue;
      }
      seen.set(key, keyPos);
      if (!this.#count(keyPos)) break;
      const value = pair.value === null ? { kind: 'scalar' as const, value: null, pos: keyPos } : this.#convert(pair.value, depth);
      entries.push({ key, keyPos, value });
    }
    return { kind: 'map', entries, pos };
  }
}

/** Resolves a top-level alias so the tree never contains alias nodes at the root. */
function resolveAlias(node: YamlAstNode, doc: Document.Parsed): YamlAstNode {
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
