import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * Visits `root` and every node below it, depth first, following the parser's visitor keys
 * (so TypeScript nodes are walked too). Iterative: deep files cannot overflow the stack.
 */
export function walk(root: TSESTree.Node, visitorKeys: TSESLint.SourceCode.VisitorKeys, visit: (node: TSESTree.Node) => void): void {
  const stack: TSESTree.Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    visit(node);
    const fields = node as unknown as Record<string, unknown>;
    for (const key of visitorKeys[node.type] ?? []) {
      const child = fields[key];
      if (Array.isArray(child)) {
        for (const item of child as unknown[]) if (isNode(item)) stack.push(item);
      } else if (isNode(child)) {
        stack.push(child);
      }
    }
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
