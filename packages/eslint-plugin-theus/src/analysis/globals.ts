import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

/** Names under which code reaches the global object. */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'window', 'global', 'self']);

/** True when `identifier` refers to a global: nothing in the file declares it. */
function isGlobalReference(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const variable = ASTUtils.findVariable(sourceCode.getScope(identifier), identifier);
  return variable === null || variable.defs.length === 0;
}

/**
 * The name of the global an expression reads: `fetch` for a global `fetch` and for
 * `globalThis.fetch` (or `window.fetch`, ...); `undefined` for anything declared in the file.
 */
export function globalNameOf(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  if (node.type === AST_NODE_TYPES.ChainExpression) return globalNameOf(node.expression, sourceCode);
  if (node.type === AST_NODE_TYPES.Identifier) return isGlobalReference(node, sourceCode) ? node.name : undefined;
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.object.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (!GLOBAL_OBJECTS.has(node.object.name) || !isGlobalReference(node.object, sourceCode)) return undefined;
  return ASTUtils.getPropertyName(node) ?? undefined;
}
