/**
 * Measures a YAML document before the `yaml` library does the costly work: its tokens (the fast
 * lexer) before parsing, then its concrete syntax tree (built without recursion) before composing.
 * The composer recurses once per nesting level and overflows (or worse) on thousands of levels,
 * and the parser spends seconds on a megabyte of tiny nodes, so depth and size are checked here,
 * iteratively, first.
 *
 * @packageDocumentation
 */
import { CST, Lexer } from 'yaml';
import { formatCount, type ResolvedInputLimits } from './limits.js';

/** A bound the document passes, and the offset of the node that passed it. */
export interface ShapeProblem {
  readonly message: string;
  readonly offset: number;
}

/** The nested tokens of a CST node: collection items' keys and values, a document's value. */
function children(token: CST.Token): (CST.Token | null | undefined)[] {
  switch (token.type) {
    case 'document':
      return [token.value];
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      return token.items.flatMap((item) => [item.key, item.value]);
    default:
      return [];
  }
}

/** Whether a CST node is a list or a mapping (one nesting level). */
function isCollection(token: CST.Token): boolean {
  return token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
}

/** The message for a document nested deeper than `maxDepth`. */
export function tooDeepMessage(maxDepth: number): string {
  return (
    `lists and mappings are nested more than ${formatCount(maxDepth)} levels deep (maxDepth): ` +
    'flatten the definition, or raise the maxDepth limit'
  );
}

/** The message for a document with more than `maxNodes` nodes. */
export function tooManyNodesMessage(maxNodes: number): string {
  return (
    `the definition holds more than ${formatCount(maxNodes)} nodes (maxNodes; aliases count once per use): ` +
    'split it, or raise the maxNodes limit'
  );
}

/**
 * The first bound the lexer's tokens of `text` pass: more flow collections open at once (`[`,
 * `{`) than `maxDepth`, or more nodes (at least one per scalar, alias and flow collection) than
 * `maxNodes`; or `undefined`. About five times faster than parsing the same text.
 */
export function scanTokens(text: string, limits: ResolvedInputLimits): ShapeProblem | undefined {
  let nodes = 0;
  let depth = 0;
  let offset = 0;
  let scalarSource = false;
  for (const token of new Lexer().lex(text)) {
    if (token === CST.DOCUMENT || token === CST.FLOW_END) continue;
    if (token === CST.SCALAR) {
      scalarSource = true;
      if (++nodes > limits.maxNodes) return { message: tooManyNodesMessage(limits.maxNodes), offset };
      continue;
    }
    if (scalarSource) scalarSource = false;
    else {
      switch (CST.tokenType(token)) {
        case 'flow-seq-start':
        case 'flow-map-start':
          if (++depth > limits.maxDepth) return { message: tooDeepMessage(limits.maxDepth), offset };
          if (++nodes > limits.maxNodes) return { message: tooManyNodesMessage(limits.maxNodes), offset };
          break;
        case 'flow-seq-end':
        case 'flow-map-end':
          depth = Math.max(0, depth - 1);
          break;
        case 'alias':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar-header':
          if (++nodes > limits.maxNodes) return { message: tooManyNodesMessage(limits.maxNodes), offset };
          break;
        default:
          break;
      }
    }
    offset += token.length;
  }
  return undefined;
}

/**
 * The first bound `tokens` pass (nesting deeper than `maxDepth`, more than `maxNodes` nodes
 * before alias expansion), or `undefined`. Walks with an explicit stack: any depth is safe here.
 */
export function checkShape(tokens: readonly CST.Token[], limits: ResolvedInputLimits): ShapeProblem | undefined {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  let nodes = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { token, depth } = next;
    if (token.type !== 'document') nodes++;
    if (nodes > limits.maxNodes) return { message: tooManyNodesMessage(limits.maxNodes), offset: token.offset };
    const level = isCollection(token) ? depth + 1 : depth;
    if (level > limits.maxDepth) return { message: tooDeepMessage(limits.maxDepth), offset: token.offset };
    for (const child of children(token)) if (child) stack.push({ token: child, depth: level });
  }
  return undefined;
}
