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

/** Functions of the global `Object` and `Reflect` that change the object passed first. */
const WRITING_STATICS: ReadonlySet<string> = new Set([
  'Object.assign',
  'Object.defineProperty',
  'Object.defineProperties',
  'Object.setPrototypeOf',
  'Reflect.set',
  'Reflect.defineProperty',
  'Reflect.deleteProperty',
  'Reflect.setPrototypeOf',
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
  /** For `method` writes: the method (`push`, `Object.assign`, `Reflect.set`). */
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
      return site.method?.includes('.') === true ? `calls ${site.method}() on` : `calls .${site.method ?? ''}() on`;
  }
}

/**
 * Rule listeners that report every write in the file to `onWrite`: assignments (destructuring
 * ones too), `for (target of ...)` / `for (target in ...)`, compound assignments, `++`/`--`,
 * `delete`, mutating method calls and the writing functions of `Object` and `Reflect`.
 */
export function writeListeners(sourceCode: Readonly<TSESLint.SourceCode>, onWrite: (site: WriteSite) => void): TSESLint.RuleListener {
  return {
    AssignmentExpression(node) {
      const kind = node.operator === '=' ? 'assign' : 'compound';
      for (const target of patternTargets(node.left)) onWrite({ node, target, kind });
    },
    'ForInStatement, ForOfStatement'(node: TSESTree.ForInStatement | TSESTree.ForOfStatement) {
      if (node.left.type === AST_NODE_TYPES.VariableDeclaration) return;
      for (const target of patternTargets(node.left)) onWrite({ node: node.left, target, kind: 'assign' });
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
      const owner = globalNameOf(callee.object, sourceCode);
      if (owner === 'Object' || owner === 'Reflect') {
        // `Reflect.set(target, ...)` writes into `target`, not into `Reflect` (it is no Map).
        const [first] = node.arguments;
        const qualified = `${owner}.${method ?? ''}`;
        if (WRITING_STATICS.has(qualified) && first !== undefined && first.type !== AST_NODE_TYPES.SpreadElement)
          onWrite({ node, target: unwrap(first), kind: 'method', method: qualified });
      } else if (method !== null && MUTATING_METHODS.has(method)) {
        onWrite({ node, target: unwrap(callee.object), kind: 'method', method });
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
