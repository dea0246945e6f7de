import { AST_NODE_TYPES, ASTUtils, type TSESTree } from '@typescript-eslint/utils';

/** The keys from a destructuring pattern's root down to one bound name. */
export interface BindingPath {
  /** The static keys, root first, up to the first key that is not static. */
  readonly segments: readonly string[];
  /** True when a computed key that is not static (or an array hole position we cannot name) follows. */
  readonly dynamic: boolean;
}

/**
 * The path of `name` inside the pattern `root`: `{ domain: { accounts } }` gives `domain.accounts`
 * for `accounts`, `[first]` gives `0`. Defaults (`{ a = 1 }`) keep the path. `undefined` for a
 * rest element: `...rest` is a fresh copy, not a view of the destructured value.
 */
export function bindingPathOf(name: TSESTree.Identifier, root: TSESTree.Node): BindingPath | undefined {
  const keys: (string | null)[] = [];
  let current: TSESTree.Node = name;
  while (current !== root) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (parent == null) return undefined;
    switch (parent.type) {
      case AST_NODE_TYPES.Property:
        if (parent.value !== current) return undefined;
        keys.push(ASTUtils.getPropertyName(parent));
        break;
      case AST_NODE_TYPES.ArrayPattern:
        keys.push(String(parent.elements.indexOf(current as TSESTree.DestructuringPattern)));
        break;
      case AST_NODE_TYPES.AssignmentPattern:
        if (parent.left !== current) return undefined;
        break;
      case AST_NODE_TYPES.ObjectPattern:
        break;
      default:
        return undefined;
    }
    current = parent;
  }
  keys.reverse();
  const firstDynamic = keys.indexOf(null);
  if (firstDynamic === -1) return { segments: keys as string[], dynamic: false };
  return { segments: keys.slice(0, firstDynamic) as string[], dynamic: true };
}
