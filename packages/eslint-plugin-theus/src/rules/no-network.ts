import { AST_NODE_TYPES, ASTUtils, type TSESTree } from '@typescript-eslint/utils';
import { globalNameOf } from '../analysis/globals.js';
import { loadedModuleOf, moduleRoot } from '../analysis/module-bindings.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { createRule } from '../rule-creator.js';

/** Built-in and popular modules whose purpose is network access (matched with or without `node:`). */
const NETWORK_MODULES: ReadonlySet<string> = new Set([
  'http',
  'https',
  'net',
  'tls',
  'dgram',
  'http2',
  'axios',
  'node-fetch',
  'undici',
  'got',
  'ky',
  'ws',
  'superagent',
]);

/** Global network APIs. */
const NETWORK_GLOBALS: ReadonlySet<string> = new Set(['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource']);

/** POP-E03: no network access from processes; the outbox is the transactional way out. */
export const noNetwork = createRule({
  name: 'no-network',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow network clients in files that define Theus processes, and network calls inside processes (POP-E03)' },
    schema: [],
    messages: {
      import:
        "POP-E03: this file defines processes and imports '{{module}}', a network client. Processes must not reach the network: enqueue the request with ctx.outbox.add(topic, payload) and make the call in an outbox handler (engine.outbox.on), or move this code to a file without processes.",
      load: "POP-E03: process {{process}} loads '{{module}}', a network client. Network calls are not rolled back and repeat on every retry: enqueue the request with ctx.outbox.add(topic, payload) and make the call in an outbox handler (engine.outbox.on).",
      call: 'POP-E03: process {{process}} calls {{name}}. Network calls are not rolled back and repeat on every retry: enqueue the request with ctx.outbox.add(topic, payload) and make the call in an outbox handler (engine.outbox.on).',
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const isNetwork = (module: string | undefined): module is string => module !== undefined && NETWORK_MODULES.has(moduleRoot(module));
    return {
      ImportDeclaration(node) {
        const typeOnly =
          node.importKind === 'type' ||
          (node.specifiers.length > 0 &&
            node.specifiers.every((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.importKind === 'type'));
        if (!typeOnly && isNetwork(node.source.value)) context.report({ node, messageId: 'import', data: { module: node.source.value } });
      },
      TSImportEqualsDeclaration(node) {
        const reference = node.moduleReference;
        if (node.importKind === 'type' || reference.type !== AST_NODE_TYPES.TSExternalModuleReference) return;
        const module = reference.expression.value;
        if (isNetwork(module)) context.report({ node, messageId: 'import', data: { module } });
      },
      'CallExpression, ImportExpression, NewExpression'(
        node: TSESTree.CallExpression | TSESTree.ImportExpression | TSESTree.NewExpression,
      ) {
        const info = index.enclosing(node);
        const module = loadedModuleOf(node);
        if (isNetwork(module)) {
          if (info === undefined) context.report({ node, messageId: 'import', data: { module } });
          else context.report({ node, messageId: 'load', data: { module, process: processLabel(info) } });
          return;
        }
        if (info === undefined || node.type === AST_NODE_TYPES.ImportExpression) return;
        const name = globalNameOf(invoked(node.callee), context.sourceCode);
        if (name !== undefined && NETWORK_GLOBALS.has(name)) {
          const shown = node.type === AST_NODE_TYPES.NewExpression ? `new ${name}()` : `${name}()`;
          context.report({ node, messageId: 'call', data: { name: shown, process: processLabel(info) } });
        }
      },
    };
  },
});

/** The function a call runs: `fetch` for `fetch(...)`, and for `fetch.call(...)`, `fetch.apply(...)`, `fetch.bind(...)`. */
function invoked(callee: TSESTree.Node): TSESTree.Node {
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return callee;
  const method = ASTUtils.getPropertyName(callee);
  return method === 'call' || method === 'apply' || method === 'bind' ? callee.object : callee;
}
