import { AST_NODE_TYPES, ASTUtils, type TSESTree } from '@typescript-eslint/utils';
import { parseDeclaredPath } from './path-coverage.js';

/** A path string written in a contract, with the node that holds it. */
export interface DeclaredPath {
  readonly text: string;
  readonly segments: readonly string[];
  readonly node: TSESTree.Node;
}

/** A contract whose `inputs` and `outputs` are fully known: literal arrays of literal strings. */
export interface LiteralContract {
  readonly inputs: readonly DeclaredPath[];
  readonly outputs: readonly DeclaredPath[];
  /** True when `semantic: 'pure'` is written literally. */
  readonly pure: boolean;
}

type ListKey = 'inputs' | 'outputs';

/**
 * Reads a contract literal; `undefined` when the paths cannot be known statically (a spread, a
 * computed key, a list that is not an array literal, an element that is not a literal string).
 */
export function readLiteralContract(contract: TSESTree.ObjectExpression): LiteralContract | undefined {
  const lists: Record<ListKey, DeclaredPath[]> = { inputs: [], outputs: [] };
  let pure = false;
  for (const property of contract.properties) {
    if (property.type !== AST_NODE_TYPES.Property) return undefined;
    const key = ASTUtils.getPropertyName(property);
    if (key === null) return undefined;
    if (key === 'semantic') pure = stringOf(property.value) === 'pure';
    if (key !== 'inputs' && key !== 'outputs') continue;
    const elements = arrayElements(property.value);
    if (elements === undefined) return undefined;
    // A key written twice holds its last list, as in JavaScript.
    lists[key] = [];
    for (const element of elements) {
      const path = declaredPathOf(element);
      if (path === undefined) return undefined;
      lists[key].push(path);
    }
  }
  return { ...lists, pure };
}

/**
 * The literal strings of one contract list (`inputs` or `outputs`), skipping anything else:
 * enough to judge each path on its own, as the zone checks do, even in a partly dynamic contract.
 */
export function literalPathsOf(contract: TSESTree.ObjectExpression, key: ListKey): DeclaredPath[] {
  const paths: DeclaredPath[] = [];
  for (const property of contract.properties) {
    if (property.type !== AST_NODE_TYPES.Property || ASTUtils.getPropertyName(property) !== key) continue;
    for (const element of arrayElements(property.value) ?? []) {
      const path = declaredPathOf(element);
      if (path !== undefined) paths.push(path);
    }
  }
  return paths;
}

function arrayElements(value: TSESTree.Node): readonly (TSESTree.Node | null)[] | undefined {
  const array =
    value.type === AST_NODE_TYPES.TSAsExpression || value.type === AST_NODE_TYPES.TSSatisfiesExpression ? value.expression : value;
  return array.type === AST_NODE_TYPES.ArrayExpression ? array.elements : undefined;
}

function declaredPathOf(element: TSESTree.Node | null): DeclaredPath | undefined {
  const text = element === null ? undefined : stringOf(element);
  return text === undefined || element === null ? undefined : { text, segments: parseDeclaredPath(text), node: element };
}

function stringOf(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Literal) return typeof node.value === 'string' ? node.value : undefined;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}
