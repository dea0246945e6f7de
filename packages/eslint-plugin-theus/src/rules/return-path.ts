import { AST_NODE_TYPES, ASTUtils, type TSESTree } from '@typescript-eslint/utils';
import { combineListeners } from '../analysis/combine-listeners.js';
import type { ProcessInfo } from '../analysis/find-processes.js';
import { globalNameOf } from '../analysis/globals.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { reachableEndListeners } from '../analysis/reachable-end.js';
import { rebindsName, writeListeners } from '../analysis/write-sites.js';
import { createRule } from '../rule-creator.js';

/** Helpers whose call is an observable effect of a run. */
const EFFECT_HELPERS: ReadonlySet<string> = new Set(['outbox.add', 'signal', 'log']);

/** Globals whose functions only read their arguments: passing a ctx path to them cannot write it. */
const READING_GLOBALS: ReadonlySet<string> = new Set(['Object', 'Array', 'JSON', 'Math', 'Number', 'String', 'Boolean']);

/** What one process function does, gathered while its body is traversed. */
interface ProcessFacts {
  valueReturns: number;
  readonly bareReturns: TSESTree.ReturnStatement[];
  observable: boolean;
}

/** POP-E06: a process returns consistently, and does something observable. */
export const returnPath = createRule({
  name: 'return-path',
  meta: {
    type: 'problem',
    docs: { description: 'Require Theus processes to return a value on every path or on none, and to have an observable effect (POP-E06)' },
    schema: [],
    messages: {
      fallsOff:
        'POP-E06: process {{process}} returns a value on some paths but can also reach the end of its body without one. Return on every path (`return undefined` when only the shadow writes matter), so no branch forgets its result.',
      bareReturn:
        'POP-E06: this bare `return;` ends process {{process}} without a value, while other paths return one. Return on every path (`return undefined` when only the shadow writes matter), so no branch forgets its result.',
      noEffect:
        'POP-E06: process {{process}} has no observable effect: it returns no value, writes nothing through ctx, throws nothing and calls none of ctx.outbox.add, ctx.signal, ctx.log. Return its result, or write its outputs through ctx.',
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const facts = new Map<ProcessInfo, ProcessFacts>(
      index.processes.map((info) => [info, { valueReturns: 0, bareReturns: [], observable: false }]),
    );
    const observe = (info: ProcessInfo | undefined): void => {
      const found = info === undefined ? undefined : facts.get(info);
      if (found !== undefined) found.observable = true;
    };
    const onEnd = (fn: TSESTree.FunctionLike, endReachable: boolean): void => {
      const info = index.byFunction(fn);
      const found = info === undefined ? undefined : facts.get(info);
      if (info === undefined || found === undefined || info.fn.body.type !== AST_NODE_TYPES.BlockStatement) return;
      const process = processLabel(info);
      const loc = ASTUtils.getFunctionHeadLocation(info.fn, context.sourceCode);
      if (found.valueReturns > 0) {
        for (const node of found.bareReturns) context.report({ node, messageId: 'bareReturn', data: { process } });
        if (endReachable) context.report({ loc, messageId: 'fallsOff', data: { process } });
      } else if (!found.observable) {
        context.report({ loc, messageId: 'noEffect', data: { process } });
      }
    };
    return combineListeners(
      reachableEndListeners(onEnd),
      writeListeners(context.sourceCode, (site) => {
        const path = rebindsName(site) ? undefined : index.ctxPath(site.target);
        if (path !== undefined && path.segments[0] !== 'local') observe(path.process);
      }),
      {
        ReturnStatement(node) {
          const fn = ownerFunction(node);
          const info = fn === undefined ? undefined : index.byFunction(fn);
          const found = info === undefined ? undefined : facts.get(info);
          if (found === undefined) return;
          if (node.argument === null) found.bareReturns.push(node);
          else found.valueReturns++;
        },
        ThrowStatement(node) {
          observe(index.enclosing(node));
        },
        'TSAsExpression, TSTypeAssertion'(node: TSESTree.TSAsExpression | TSESTree.TSTypeAssertion) {
          // `ctx as T` leaves the analysis: what is done through it cannot be seen, so assume an effect.
          const path = index.ctxPath(node.expression);
          if (path !== undefined && path.segments.length === 0) observe(path.process);
        },
        'CallExpression, NewExpression'(node: TSESTree.CallExpression | TSESTree.NewExpression) {
          const callee = index.ctxPath(node.callee);
          if (callee !== undefined && !callee.dynamic && EFFECT_HELPERS.has(callee.segments.join('.'))) observe(callee.process);
          if (callee !== undefined || readsOnly(node.callee)) return;
          for (const argument of node.arguments) {
            // Handing ctx (or part of it) to another function: that function may write through it.
            const path = index.ctxPath(argument.type === AST_NODE_TYPES.SpreadElement ? argument.argument : argument);
            if (path !== undefined && path.segments[0] !== 'local') observe(path.process);
          }
        },
      },
    );

    function readsOnly(callee: TSESTree.Node): boolean {
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
      const owner = globalNameOf(callee.object, context.sourceCode);
      return owner !== undefined && READING_GLOBALS.has(owner);
    }
  },
});

/** The function a `return` belongs to. */
function ownerFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current != null; current = current.parent) {
    if (
      current.type === AST_NODE_TYPES.FunctionDeclaration ||
      current.type === AST_NODE_TYPES.FunctionExpression ||
      current.type === AST_NODE_TYPES.ArrowFunctionExpression
    ) {
      return current;
    }
  }
  return undefined;
}
