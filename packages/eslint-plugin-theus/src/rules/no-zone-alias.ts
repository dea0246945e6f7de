import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { CtxPath } from '../analysis/ctx-path.js';
import { formatCtxPath, isHelperPath } from '../analysis/path-coverage.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { ZONE_MARKERS, zoneOfSegment, type Zone } from '../analysis/zones.js';
import { createRule } from '../rule-creator.js';

/** What a reader must remember about a value of each zone. */
const ZONE_RULES: Readonly<Record<Zone, string>> = {
  CONST: 'read-only',
  PRIVATE: 'hidden from processes',
  SIGNAL: 'a transient signal',
  META: 'meta data',
  HEAVY: 'shared memory whose in-place writes are not transactional',
  LOG: 'append-only',
};

/** POP-E08: a zoned value keeps its zone prefix when it gets a local name. */
export const noZoneAlias = createRule({
  name: 'no-zone-alias',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow binding a zoned ctx value to a local name that drops the zone prefix (POP-E08)' },
    schema: [],
    messages: {
      alias:
        "POP-E08: '{{name}}' in process {{process}} holds '{{path}}', which is {{rule}} ({{zone}} zone), under a name that hides it: later edits will not see the zone. Name it {{suggestion}}, or use {{path}} directly.",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const sourceCode = context.sourceCode;
    const check = (name: TSESTree.Identifier, path: CtxPath | undefined, node: TSESTree.Node): void => {
      if (path === undefined || path.dynamic || isHelperPath(path.segments)) return;
      const field = path.segments.at(-1);
      const zone = field === undefined ? undefined : zoneOfSegment(field);
      if (field === undefined || zone === undefined || carriesMarker(name.name, zone)) return;
      const camel = field.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
      const suggestion = camel === field ? `'${field}'` : `'${field}' or '${camel}'`;
      const data = {
        name: name.name,
        process: processLabel(path.process),
        path: formatCtxPath(path.segments, false),
        rule: ZONE_RULES[zone],
        zone,
        suggestion,
      };
      context.report({ node, messageId: 'alias', data });
    };
    const checkVariables = (variables: readonly TSESLint.Scope.Variable[]): void => {
      for (const variable of variables) {
        const name = variable.defs[0]?.name;
        if (name?.type === AST_NODE_TYPES.Identifier) check(name, index.ctxPathOfVariable(variable), name);
      }
    };
    return {
      VariableDeclarator(node) {
        checkVariables(sourceCode.getDeclaredVariables(node));
      },
      ':function'(node: TSESTree.FunctionLike) {
        if (index.byFunction(node) !== undefined) checkVariables(sourceCode.getDeclaredVariables(node));
      },
      AssignmentExpression(node) {
        if (node.operator === '=' && node.left.type === AST_NODE_TYPES.Identifier) check(node.left, index.ctxPath(node.right), node);
      },
    };
  },
});

/** True when a local name starts with a marker of the zone (`logEvents`, `LOG_EVENTS`, `sigFraud`). */
function carriesMarker(name: string, zone: Zone): boolean {
  const bare = name.replace(/^[_$]+/, '').toLowerCase();
  return ZONE_MARKERS[zone].some((marker) => bare.startsWith(marker));
}
