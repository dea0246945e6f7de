/**
 * The syntax tree the parser builds and the compiler turns into closures. Every node keeps its
 * span (for error positions) and its depth (so pathological nesting is refused before compiling).
 *
 * @packageDocumentation
 */

/** Comparison operators, after `not in` / `is not` are folded into one operator. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

/** Binary arithmetic operators. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

/** The builtins a condition may call. */
export const BUILTIN_NAMES = ['len', 'int', 'float', 'str', 'bool', 'abs', 'min', 'max', 'sum'] as const;
/** One builtin's name. */
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** The mapping methods a condition may call. */
export const METHOD_NAMES = ['get', 'keys', 'values', 'items'] as const;
/** One mapping method's name. */
export type MethodName = (typeof METHOD_NAMES)[number];

/** Fields every node has: its span in the source and its nesting depth (a leaf is 1). */
interface Span {
  readonly offset: number;
  readonly end: number;
  readonly depth: number;
}

/** A node of the condition syntax tree. */
export type ConditionNode =
  | (Span & { readonly kind: 'constant'; readonly value: string | number | boolean | null })
  | (Span & { readonly kind: 'name'; readonly name: string })
  | (Span & { readonly kind: 'boolean'; readonly op: 'and' | 'or'; readonly operands: readonly ConditionNode[] })
  | (Span & { readonly kind: 'not'; readonly operand: ConditionNode })
  | (Span & { readonly kind: 'negate'; readonly op: '-' | '+'; readonly operand: ConditionNode })
  | (Span & {
      readonly kind: 'compare';
      readonly first: ConditionNode;
      /** `links[i]` compares the previous operand with `links[i].right`. */
      readonly links: readonly { readonly op: CompareOp; readonly offset: number; readonly right: ConditionNode }[];
    })
  | (Span & {
      readonly kind: 'arithmetic';
      readonly op: ArithmeticOp;
      readonly opOffset: number;
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    })
  | (Span & { readonly kind: 'attribute'; readonly target: ConditionNode; readonly name: string; readonly nameOffset: number })
  | (Span & { readonly kind: 'subscript'; readonly target: ConditionNode; readonly index: ConditionNode })
  | (Span & { readonly kind: 'call'; readonly builtin: BuiltinName; readonly args: readonly ConditionNode[] })
  | (Span & {
      readonly kind: 'method';
      readonly target: ConditionNode;
      readonly method: MethodName;
      readonly nameOffset: number;
      readonly args: readonly ConditionNode[];
    })
  | (Span & { readonly kind: 'list'; readonly items: readonly ConditionNode[] })
  | (Span & { readonly kind: 'dict'; readonly entries: readonly (readonly [key: ConditionNode, value: ConditionNode])[] });

/** The deepest of `nodes`, plus one for the node that holds them. */
export function depthOver(nodes: readonly ConditionNode[]): number {
  let max = 0;
  for (const node of nodes) if (node.depth > max) max = node.depth;
  return max + 1;
}
