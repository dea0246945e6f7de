import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { walk } from './walk.js';

/** A function that can be the body of a process. */
export type ProcessFunction = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** One process definition found in a file: `process(contract, fn)` or `x.process(contract, fn)`. */
export interface ProcessInfo {
  /** The defining call. */
  readonly call: TSESTree.CallExpression;
  /** The contract, always an object literal (other calls are not recognised as processes). */
  readonly contract: TSESTree.ObjectExpression;
  /** The process function; its first parameter is `ctx`, whatever its name. */
  readonly fn: ProcessFunction;
}

/** The module whose `process` export defines processes. */
const THEUS_MODULE = 'theus';

/**
 * Finds every process definition of a file: a call of `process` imported from 'theus' (under any
 * local name) or of any `.process` member (`t.process`, `createTheus<S>().process`), whose first
 * argument is an object literal (`as const` / `satisfies` allowed) and whose second is a function,
 * or the name of a function declared in the same file.
 */
export function findProcesses(sourceCode: Readonly<TSESLint.SourceCode>): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  walk(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if (node.type !== AST_NODE_TYPES.CallExpression || !isProcessCallee(node.callee, sourceCode)) return;
    const [contractArgument, fnArgument] = node.arguments;
    const contract = contractArgument === undefined ? undefined : withoutTypeOperators(contractArgument);
    if (contract?.type !== AST_NODE_TYPES.ObjectExpression || fnArgument === undefined) return;
    const fn = processFunctionOf(fnArgument, sourceCode);
    if (fn !== undefined) found.push({ call: node, contract, fn });
  });
  return found;
}

/** `{ ... } as const` and `{ ... } satisfies ProcessContract` are still literal contracts. */
function withoutTypeOperators(node: TSESTree.Node): TSESTree.Node {
  return node.type === AST_NODE_TYPES.TSAsExpression || node.type === AST_NODE_TYPES.TSSatisfiesExpression
    ? withoutTypeOperators(node.expression)
    : node;
}

function isProcessCallee(callee: TSESTree.Expression, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (callee.type === AST_NODE_TYPES.MemberExpression) return ASTUtils.getPropertyName(callee) === 'process';
  if (callee.type !== AST_NODE_TYPES.Identifier) return false;
  const definition = ASTUtils.findVariable(sourceCode.getScope(callee), callee)?.defs[0];
  if (definition?.type !== TSESLint.Scope.DefinitionType.ImportBinding) return false;
  const specifier = definition.node;
  if (specifier.type !== AST_NODE_TYPES.ImportSpecifier) return false;
  const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
  return imported === 'process' && specifier.parent.source?.value === THEUS_MODULE;
}

function processFunctionOf(
  argument: TSESTree.CallExpressionArgument,
  sourceCode: Readonly<TSESLint.SourceCode>,
): ProcessFunction | undefined {
  if (argument.type === AST_NODE_TYPES.ArrowFunctionExpression || argument.type === AST_NODE_TYPES.FunctionExpression) return argument;
  if (argument.type !== AST_NODE_TYPES.Identifier) return undefined;
  const definition = ASTUtils.findVariable(sourceCode.getScope(argument), argument)?.defs[0];
  if (definition?.type !== TSESLint.Scope.DefinitionType.FunctionName) return undefined;
  return definition.node.type === AST_NODE_TYPES.FunctionDeclaration ? definition.node : undefined;
}
