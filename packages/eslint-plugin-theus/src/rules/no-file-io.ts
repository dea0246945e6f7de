import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { loadedModuleOf, moduleOfVariable, moduleRoot } from '../analysis/module-bindings.js';
import { processIndexOf, type ProcessIndex } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { createRule } from '../rule-creator.js';

/** Modules whose functions read or write files (with or without `node:`, `fs/promises` included). */
const FILE_MODULES: ReadonlySet<string> = new Set(['fs', 'fs-extra', 'graceful-fs']);

/** POP-E02: no direct file I/O inside a process: files are not part of the transaction. */
export const noFileIo = createRule({
  name: 'no-file-io',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow file-system access (fs, node:fs, fs/promises) inside Theus processes (POP-E02)' },
    schema: [],
    messages: {
      use: "POP-E02: process {{process}} uses {{name}} from '{{module}}': file I/O is not transactional (not rolled back, repeated on every retry). Read files before executing and pass the data as arguments, or write them in an outbox handler (ctx.outbox.add).",
      load: "POP-E02: process {{process}} loads '{{module}}': file I/O is not transactional (not rolled back, repeated on every retry). Read files before executing and pass the data as arguments, or write them in an outbox handler (ctx.outbox.add).",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const sourceCode = context.sourceCode;
    return {
      Program() {
        for (const scope of sourceCode.scopeManager?.scopes ?? []) {
          for (const variable of scope.variables) reportUses(variable, index, context);
        }
      },
      'CallExpression, ImportExpression'(node: TSESTree.CallExpression | TSESTree.ImportExpression) {
        const module = loadedModuleOf(node);
        const info = index.enclosing(node);
        if (module === undefined || info === undefined || !FILE_MODULES.has(moduleRoot(module))) return;
        context.report({ node, messageId: 'load', data: { module, process: processLabel(info) } });
      },
    };
  },
});

type Context = Readonly<TSESLint.RuleContext<'use' | 'load', []>>;

function reportUses(variable: TSESLint.Scope.Variable, index: ProcessIndex, context: Context): void {
  const module = moduleOfVariable(variable);
  if (module === undefined || !FILE_MODULES.has(moduleRoot(module))) return;
  for (const reference of variable.references) {
    const info = index.enclosing(reference.identifier);
    if (info === undefined || reference.init === true || !reference.isValueReference) continue;
    const identifier = reference.identifier;
    const parent = identifier.parent;
    const member =
      parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier && parent.property.type === AST_NODE_TYPES.Identifier
        ? `${identifier.name}.${parent.property.name}`
        : identifier.name;
    context.report({ node: identifier, messageId: 'use', data: { name: member, module, process: processLabel(info) } });
  }
}
