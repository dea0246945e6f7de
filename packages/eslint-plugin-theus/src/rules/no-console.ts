import { ASTUtils } from '@typescript-eslint/utils';
import { globalNameOf } from '../analysis/globals.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { createRule } from '../rule-creator.js';

const STREAMS: ReadonlySet<string> = new Set(['stdout', 'stderr']);

/** POP-E01: no console output inside a process; `ctx.log` is the committed, per-run log. */
export const noConsole = createRule({
  name: 'no-console',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow console output (console.*, process.stdout/stderr) inside Theus processes (POP-E01)' },
    schema: [],
    messages: {
      console:
        "POP-E01: console.{{method}} in process {{process}} prints outside the transaction (on every retry, even when the run rolls back). Use ctx.log(message): it is committed with the run's changes.",
      stream:
        "POP-E01: process.{{stream}} in process {{process}} prints outside the transaction (on every retry, even when the run rolls back). Use ctx.log(message): it is committed with the run's changes.",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    return {
      MemberExpression(node) {
        const info = index.enclosing(node);
        if (info === undefined) return;
        const owner = globalNameOf(node.object, context.sourceCode);
        const member = ASTUtils.getPropertyName(node);
        if (owner === 'console') {
          context.report({ node, messageId: 'console', data: { method: member ?? '[…]', process: processLabel(info) } });
        } else if (owner === 'process' && member !== null && STREAMS.has(member)) {
          context.report({ node, messageId: 'stream', data: { stream: member, process: processLabel(info) } });
        }
      },
    };
  },
});
