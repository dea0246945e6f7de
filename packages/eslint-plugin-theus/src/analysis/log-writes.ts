import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { CtxPath } from './ctx-path.js';
import type { ProcessIndex } from './process-index.js';
import type { WriteSite } from './write-sites.js';

/** Why a write breaks the append-only rule of a LOG value, if it does. */
export type LogBreach = 'remove' | 'rewrite' | 'replace' | 'entry';

/**
 * Judges a write to a LOG path (`container` = the index of the segment that starts the LOG zone,
 * e.g. `log_events`). The runtime lets a LOG container grow and never changes what it holds:
 * `push` on the container, a new entry assigned into it, or a replacement that extends it
 * (`[...old, entry]`, `old.concat(entry)`) are appends; anything else is a breach.
 */
export function logBreachOf(site: WriteSite, path: CtxPath, container: number, index: ProcessIndex): LogBreach | undefined {
  // Keys below the container: 0 = the container itself, 1 = one of its entries, more = inside an entry.
  const depth = path.segments.length - 1 - container + (path.dynamic ? 1 : 0);
  switch (site.kind) {
    case 'delete':
      return 'remove';
    case 'compound':
    case 'update':
      return 'rewrite';
    case 'method':
      return site.method === 'push' && depth === 0 ? undefined : 'rewrite';
    case 'assign':
      if (depth === 0) return extendsItself(site.node, path, index) ? undefined : 'replace';
      // `log.length = n` truncates (or pads) the list: not an append.
      if (depth === 1 && !path.dynamic && path.segments.at(-1) === 'length') return 'rewrite';
      return depth === 1 ? undefined : 'entry';
  }
}

/** True for `log = [...log, entry]`, `log = log.concat(entry)` and `log = { ...log, key: entry }`. */
function extendsItself(node: TSESTree.Node, path: CtxPath, index: ProcessIndex): boolean {
  if (node.type !== AST_NODE_TYPES.AssignmentExpression) return false;
  const value = node.right;
  let source: TSESTree.Node | undefined;
  if (value.type === AST_NODE_TYPES.ArrayExpression) {
    const first = value.elements[0];
    source = first?.type === AST_NODE_TYPES.SpreadElement ? first.argument : undefined;
  } else if (value.type === AST_NODE_TYPES.ObjectExpression) {
    const first = value.properties[0];
    source = first?.type === AST_NODE_TYPES.SpreadElement ? first.argument : undefined;
  } else if (value.type === AST_NODE_TYPES.CallExpression && value.callee.type === AST_NODE_TYPES.MemberExpression) {
    source =
      value.callee.property.type === AST_NODE_TYPES.Identifier && value.callee.property.name === 'concat' ? value.callee.object : undefined;
  }
  const extended = source === undefined ? undefined : index.ctxPath(source);
  return (
    extended !== undefined &&
    !extended.dynamic &&
    extended.process === path.process &&
    extended.segments.join('.') === path.segments.join('.')
  );
}
