import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CtxPath } from './ctx-path.js';
import { callOf, chainRoot, isAssignmentTarget, isOutermostMember } from './member-chains.js';
import { ctxParameter } from './find-processes.js';
import type { ProcessIndex } from './process-index.js';
import { MUTATING_METHODS } from './write-sites.js';

/** One access to a `ctx` path: an outermost member chain, or a name bound by destructuring. */
export interface CtxRead {
  /** The node to report. */
  readonly node: TSESTree.Node;
  /** The path accessed. For a method call (`ctx.domain.items.map(...)`), the object the method is called on. */
  readonly path: CtxPath;
  /**
   * The path of what the access starts from (the chain's root name, or the destructured value),
   * when that is itself a `ctx` path: a rule that already judged it need not judge what lies below.
   */
  readonly base: CtxPath | undefined;
  /** True when the access writes (assignment target, `++`, `delete`, mutating method). */
  readonly write: boolean;
}

/**
 * Rule listeners that report every access to a `ctx` path, once per outermost member chain
 * (`ctx.domain.accounts[id]` is one access) and once per destructured name.
 */
export function ctxReadListeners(
  index: ProcessIndex,
  sourceCode: Readonly<TSESLint.SourceCode>,
  onRead: (read: CtxRead) => void,
): TSESLint.RuleListener {
  const reportBindings = (variables: readonly TSESLint.Scope.Variable[], base: CtxPath | undefined): void => {
    for (const variable of variables) {
      const path = index.ctxPathOfVariable(variable);
      const name = variable.defs[0]?.name;
      if (path !== undefined && name !== undefined) onRead({ node: name, path, base, write: false });
    }
  };
  return {
    MemberExpression(node) {
      if (!isOutermostMember(node)) return;
      const call = callOf(node);
      const method = call === undefined ? null : ASTUtils.getPropertyName(node);
      const accessed = call === undefined ? node : node.object;
      const path = index.ctxPath(accessed);
      if (path === undefined) return;
      const root = chainRoot(node);
      const base = root === accessed ? undefined : index.ctxPath(root);
      const write = isAssignmentTarget(node) || (method !== null && MUTATING_METHODS.has(method));
      onRead({ node: accessed, path, base, write });
    },
    VariableDeclarator(node) {
      if (node.id.type === AST_NODE_TYPES.Identifier || node.init === null) return;
      reportBindings(sourceCode.getDeclaredVariables(node), index.ctxPath(node.init));
    },
    ':function'(node: TSESTree.FunctionLike) {
      const info = index.byFunction(node);
      const first = info === undefined ? undefined : ctxParameter(info.fn);
      if (info === undefined || first === undefined || first.type === AST_NODE_TYPES.Identifier) return;
      // Only the names bound by the first parameter resolve to ctx paths; the others are skipped there.
      reportBindings(sourceCode.getDeclaredVariables(node), { process: info, segments: [], dynamic: false });
    },
  };
}
