import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

type Segment = TSESLint.CodePathSegment;

/**
 * Rule listeners built on ESLint's code path analysis that tell, when each function ends,
 * whether the end of its body is reachable: whether some path falls off the end instead of
 * returning or throwing.
 */
export function reachableEndListeners(onFunctionEnd: (fn: TSESTree.FunctionLike, endReachable: boolean) => void): TSESLint.RuleListener {
  // One set of current segments per code path being traversed (functions nest).
  const stack: Set<Segment>[] = [];
  const enter = (segment: Segment): void => {
    stack.at(-1)?.add(segment);
  };
  const leave = (segment: Segment): void => {
    stack.at(-1)?.delete(segment);
  };
  const end = (node: TSESTree.FunctionLike): void => {
    const current = stack.at(-1);
    if (current !== undefined)
      onFunctionEnd(
        node,
        [...current].some((segment) => segment.reachable),
      );
  };
  return {
    onCodePathStart: () => {
      stack.push(new Set());
    },
    onCodePathEnd: () => {
      stack.pop();
    },
    onCodePathSegmentStart: enter,
    onCodePathSegmentEnd: leave,
    onUnreachableCodePathSegmentStart: enter,
    onUnreachableCodePathSegmentEnd: leave,
    // The function's `:exit` runs before its code path ends: its final segments are still current.
    ':function:exit': end,
  };
}
