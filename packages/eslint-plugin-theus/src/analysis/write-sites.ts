import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { globalNameOf } from './globals.js';

/** Methods that change the array, Map or Set they are called on. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
]);

/** How a write changes its target. */
export type WriteKind = 'assign' | 'compound' | 'update' | 'delete' | 'method';

/** One place where code changes a value: the changed expression and how it is changed. */
export interface WriteSite {
  /** The node to report: the assignment, `++`, `delete` or call. */
  readonly node: TSESTree.Node;
  /** What is changed: an identifier or a member chain (for a method, the object it is called on). */
  readonly target: TSESTree.Node;
  readonly kind: WriteKind;
  /** For `method` writes: the method (`push`, `Object.assign`). */
  readonly method?: string;
}

/** How messages describe a write: `assigns`, `deletes`, `calls .push() on`. */
export function describeWrite(site: WriteSite): string {
  switch (site.kind) {
    case 'assign':
      return 'assigns';
    case 'compound':
    case 'update':
      return 'updates';
    case 'delete':
      return 'deletes';
    case 'method':
      return site.method === 'Object.assign' ? 'calls Object.assign() on' : `calls .${site.method ?? ''}() on`;
  }
}

/**
 * Rule listeners that report every write in the file to `onWrite`: assignments (destructuring
 * ones too), compound assignments, `++`/`--`, `delete`, mutating method calls and `Object.assign`.
 */
export function writeListeners(sourceCode: Readonly<TSESLint.SourceCode>, onWrite: (site: WriteSite) => void): TSESLint.RuleListener {
  return {
    AssignmentExpression(node) {
      const kind = node.operator === '=' ? 'assign' : 'compound';
      for (const target of patternTargets(node.left)) onWrite({ node, target, kind });
    },
    UpdateExpression(node) {
      onWrite({ node, target: unwrap(node.argument), kind: 'update' });
    },
    'UnaryExpression[operator="delete"]'(node: TSESTree.UnaryExpression) {
      onWrite({ node, target: unwrap(node.argument), kind: 'delete' });
    },
    CallExpression(node) {
      const callee = unwrap(node.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
      const method = ASTUtils.getPropertyName(callee);
      if (method !== null && MUTATING_METHODS.has(method)) {
        onWrite({ node, target: unwrap(callee.object), kind: 'method', method });
        return;
      }
      const [first] = node.arguments;
      if (method === 'assign' && first !== undefined && first.type !== AST_NODE_TYPES.SpreadElement) {
        if (globalNameOf(callee.object, sourceCode) === 'Object')
          onWrite({ node, target: unwrap(first), kind: 'method', method: 'Object.assign' });
      }
    },
  };
}

/** The identifiers and member chains a (destructuring) assignment target writes to. */
function patternTargets(pattern: TSESTree.Node): TSESTree.Node[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.flatMap((property) =>
        patternTargets(property.type === AST_NODE_TYPES.Property ? property.value : property),
      );
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.flatMap((element) => (element === null ? [] : patternTargets(element)));
    case AST_NODE_TYPES.AssignmentPattern:
      return patternTargets(pattern.left);
    case AST_NODE_TYPES.RestElement:
      return patternTargets(pattern.argument);
    default:
      return [unwrap(pattern)];
  }
}

/** Strips what does not change the target: `a?.b` chains and `a!` assertions. */
function unwrap(node: TSESTree.Node): TSESTree.Node {
  if (node.type === AST_NODE_TYPES.ChainExpression || node.type === AST_NODE_TYPES.TSNonNullExpression) return unwrap(node.expression);
  return node;
}

/** True when the write only rebinds a local name (`x = 1`, `x++`): nothing the name pointed to changes. */
export function rebindsName(site: WriteSite): boolean {
  return site.target.type === AST_NODE_TYPES.Identifier && site.kind !== 'method';
}
