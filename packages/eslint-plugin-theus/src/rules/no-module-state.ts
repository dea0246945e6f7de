import { AST_NODE_TYPES, ASTUtils, TSESLint } from '@typescript-eslint/utils';
import { chainRoot } from '../analysis/member-chains.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { describeWrite, writeListeners, type WriteSite } from '../analysis/write-sites.js';
import { createRule } from '../rule-creator.js';

/** POP-E04: processes keep no state outside the context (module variables, globals). */
export const noModuleState = createRule({
  name: 'no-module-state',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow writes to module-level variables, module-level objects and globals inside Theus processes (POP-E04)' },
    schema: [],
    messages: {
      moduleState:
        "POP-E04: process {{process}} {{verb}} '{{target}}', which lives at module level. Module state is shared by every run, is not rolled back when a run fails and is not seen by worker threads: keep the value in the context (declare its path in outputs) or, for per-run scratch, in ctx.local.",
      globalState:
        "POP-E04: process {{process}} {{verb}} '{{target}}', which is global state. Global state is shared by every run, is not rolled back when a run fails and is not seen by worker threads: keep the value in the context (declare its path in outputs) or, for per-run scratch, in ctx.local.",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const sourceCode = context.sourceCode;
    return writeListeners(sourceCode, (site) => {
      const info = index.enclosing(site.node);
      if (info === undefined) return;
      const where = sharedStateOf(site, sourceCode);
      if (where === undefined) return;
      const target = sourceCode.getText(site.target);
      context.report({ node: site.node, messageId: where, data: { process: processLabel(info), verb: describeWrite(site), target } });
    });
  },
});

/** Whether a write changes module-level or global state, and which. */
function sharedStateOf(site: WriteSite, sourceCode: Readonly<TSESLint.SourceCode>): 'moduleState' | 'globalState' | undefined {
  const root = chainRoot(site.target);
  if (root.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(root), root);
  // Nothing in the file declares the name: a global (globalThis, window, process.env, or a new implicit one).
  if (variable === null || variable.defs.length === 0) return 'globalState';
  return isModuleScope(variable.scope) ? 'moduleState' : undefined;
}

function isModuleScope(scope: TSESLint.Scope.Scope): boolean {
  return scope.type === TSESLint.Scope.ScopeType.module || scope.type === TSESLint.Scope.ScopeType.global;
}
