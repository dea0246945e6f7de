import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';

/** The package or built-in a specifier loads, without `node:` and sub-paths: `fs` for `node:fs/promises`. */
export function moduleRoot(specifier: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? bare);
}

/** The specifier a call loads, for `require('m')`, `import('m')` and `process.getBuiltinModule('m')` with a literal string. */
export function loadedModuleOf(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.ImportExpression) return literalString(node.source);
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = node.callee;
  const loads =
    (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require') ||
    (callee.type === AST_NODE_TYPES.MemberExpression && ASTUtils.getPropertyName(callee) === 'getBuiltinModule');
  if (!loads) return undefined;
  const [first] = node.arguments;
  return first === undefined ? undefined : literalString(first);
}

/**
 * The specifier a variable was bound from: `import x from 'm'` (any import form),
 * `import x = require('m')`, `const x = require('m')`, `const { f } = await import('m')`,
 * `const x = process.getBuiltinModule('m')`.
 */
export function moduleOfVariable(variable: TSESLint.Scope.Variable): string | undefined {
  const definition = variable.defs[0];
  if (definition === undefined) return undefined;
  if (definition.type === TSESLint.Scope.DefinitionType.ImportBinding) {
    const node = definition.node;
    if (node.type !== AST_NODE_TYPES.TSImportEqualsDeclaration) return node.parent.source?.value;
    const reference = node.moduleReference;
    return reference.type === AST_NODE_TYPES.TSExternalModuleReference ? literalString(reference.expression) : undefined;
  }
  if (definition.type !== TSESLint.Scope.DefinitionType.Variable) return undefined;
  let init = definition.node.init;
  if (init?.type === AST_NODE_TYPES.AwaitExpression) init = init.argument;
  return init === null ? undefined : loadedModuleOf(init);
}

function literalString(node: TSESTree.Node): string | undefined {
  return node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' ? node.value : undefined;
}
