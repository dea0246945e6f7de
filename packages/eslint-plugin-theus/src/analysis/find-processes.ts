import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { walk } from './walk.js';

/** A function that can be the body of a process. */
export type ProcessFunction = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** One process definition found in a file: `process(contract, fn)` or `x.process(contract, fn)`. */
export interface ProcessInfo {
  /** The defining call. */
  readonly call: TSESTree.CallExpression;
  /**
   * The contract, an object literal; `undefined` for a contract of another form passed to the
   * `process` imported from 'theus' (the call is a process all the same: its code is checked, its
   * contract is not).
   */
  readonly contract: TSESTree.ObjectExpression | undefined;
  /** The process function; its first parameter (see {@link ctxParameter}) is `ctx`, whatever its name. */
  readonly fn: ProcessFunction;
}

/** The parameter of a process function that receives `ctx`: the first, after a TypeScript `this` parameter (`this: void`). */
export function ctxParameter(fn: ProcessFunction): TSESTree.Parameter | undefined {
  const [first, second] = fn.params;
  return first?.type === AST_NODE_TYPES.Identifier && first.name === 'this' ? second : first;
}

/** The module whose `process` export defines processes. */
const THEUS_MODULE = 'theus';

/**
 * Finds every process definition of a file: a call of `process` imported from 'theus' (under any
 * local name), whatever its first argument, or of any `.process` member (`t.process`,
 * `createTheus<S>().process`) whose first argument is an object literal (`as const` / `satisfies`
 * allowed); in both, the second argument is a function, or the name of a function declared in the
 * same file (a function declaration, or a `const` bound to a function expression or arrow).
 */
export function findProcesses(sourceCode: Readonly<TSESLint.SourceCode>): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  walk(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return;
    const callee = processCallee(node.callee, sourceCode);
    const [contractArgument, fnArgument] = node.arguments;
    if (callee === undefined || contractArgument === undefined || contractArgument.type === AST_NODE_TYPES.SpreadElement) return;
    const literal = withoutTypeOperators(contractArgument);
    const contract = literal.type === AST_NODE_TYPES.ObjectExpression ? literal : undefined;
    // Any `.process(x, fn)` could be another library's (a job queue's handler): only a literal contract marks it as Theus's.
    if ((contract === undefined && callee === 'member') || fnArgument === undefined) return;
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

/** `imported` for the `process` imported from 'theus', `member` for any `.process`, `undefined` for other callees. */
function processCallee(callee: TSESTree.Expression, sourceCode: Readonly<TSESLint.SourceCode>): 'imported' | 'member' | undefined {
  if (callee.type === AST_NODE_TYPES.MemberExpression) return ASTUtils.getPropertyName(callee) === 'process' ? 'member' : undefined;
  if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const definition = ASTUtils.findVariable(sourceCode.getScope(callee), callee)?.defs[0];
  if (definition?.type !== TSESLint.Scope.DefinitionType.ImportBinding) return undefined;
  const specifier = definition.node;
  if (specifier.type !== AST_NODE_TYPES.ImportSpecifier) return undefined;
  const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
  return imported === 'process' && specifier.parent.source?.value === THEUS_MODULE ? 'imported' : undefined;
}

function processFunctionOf(
  argument: TSESTree.CallExpressionArgument,
  sourceCode: Readonly<TSESLint.SourceCode>,
): ProcessFunction | undefined {
  if (argument.type === AST_NODE_TYPES.ArrowFunctionExpression || argument.type === AST_NODE_TYPES.FunctionExpression) return argument;
  if (argument.type !== AST_NODE_TYPES.Identifier) return undefined;
  const definition = ASTUtils.findVariable(sourceCode.getScope(argument), argument)?.defs[0];
  if (definition?.type === TSESLint.Scope.DefinitionType.FunctionName) {
    return definition.node.type === AST_NODE_TYPES.FunctionDeclaration ? definition.node : undefined;
  }
  // `const body = (ctx) => { ... }`: a const always holds that function.
  if (definition?.type !== TSESLint.Scope.DefinitionType.Variable || definition.parent.kind !== 'const') return undefined;
  const init = definition.node.init === null ? undefined : withoutTypeOperators(definition.node.init);
  return init?.type === AST_NODE_TYPES.ArrowFunctionExpression || init?.type === AST_NODE_TYPES.FunctionExpression ? init : undefined;
}
