import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

/** The node a member chain is seen as by its parent: the chain itself, or the `?.` / `!` wrapper around it. */
function outerWrapper(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    const wraps =
      (parent?.type === AST_NODE_TYPES.ChainExpression || parent?.type === AST_NODE_TYPES.TSNonNullExpression) &&
      parent.expression === current;
    if (!wraps) return current;
    current = parent;
  }
}

/** True for the outermost member of a chain: `ctx.domain.accounts[id]` as a whole, not `ctx.domain` inside it. */
export function isOutermostMember(node: TSESTree.MemberExpression): boolean {
  const outer = outerWrapper(node);
  const parent = outer.parent;
  return !(parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer);
}

/** The call a member expression is the callee of (`a.b` in `a.b()`), if any. */
export function callOf(node: TSESTree.MemberExpression): TSESTree.CallExpression | undefined {
  const outer = outerWrapper(node);
  const parent = outer.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer ? parent : undefined;
}

/** The innermost object of a member chain: `ctx` in `ctx.domain?.accounts[id]`. */
export function chainRoot(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) current = current.object;
    else if (current.type === AST_NODE_TYPES.ChainExpression || current.type === AST_NODE_TYPES.TSNonNullExpression) {
      current = current.expression;
    } else return current;
  }
}

/** True when the member chain is the target of an assignment, a `for...in` / `for...of` loop, `++`/`--` or `delete`. */
export function isAssignmentTarget(node: TSESTree.MemberExpression): boolean {
  const outer = outerWrapper(node);
  const parent = outer.parent;
  switch (parent?.type) {
    case AST_NODE_TYPES.AssignmentExpression:
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
      return parent.left === outer;
    case AST_NODE_TYPES.UpdateExpression:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === 'delete';
    case AST_NODE_TYPES.AssignmentPattern:
      return parent.left === outer && isInAssignmentPattern(parent);
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.ArrayPattern:
    case AST_NODE_TYPES.RestElement:
      return isInAssignmentPattern(parent);
    default:
      return false;
  }
}

function isInAssignmentPattern(node: TSESTree.Node): boolean {
  for (let current: TSESTree.Node | undefined = node; current != null; current = current.parent) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (
      parent?.type === AST_NODE_TYPES.AssignmentExpression ||
      parent?.type === AST_NODE_TYPES.ForInStatement ||
      parent?.type === AST_NODE_TYPES.ForOfStatement
    )
      return parent.left === current;
    if (parent == null || !PATTERN_PARTS.has(parent.type)) return false;
  }
  return false;
}

const PATTERN_PARTS: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.Property,
  AST_NODE_TYPES.ObjectPattern,
  AST_NODE_TYPES.ArrayPattern,
  AST_NODE_TYPES.AssignmentPattern,
  AST_NODE_TYPES.RestElement,
]);
