/**
 * Reading the values a rule compares with (`eq`, `neq`, and each entry of `in`): plain data of
 * bounded depth that never names a PRIVATE key. The walk is iterative, so a value nested
 * thousands of levels deep is reported, not a stack overflow.
 *
 * @packageDocumentation
 */
import { zoneOfSegment } from '../context/zones.js';
import { toPlain, type YamlNode } from '../yaml/yaml-tree.js';
import type { IssueList } from './recipe-issues.js';
import { itemPath, keyPath } from './recipe-nodes.js';

/** How deeply a compared value may nest (a scalar is depth 0, `[1]` depth 1). */
export const MAX_RULE_VALUE_DEPTH = 64;

/**
 * The plain value of `node`, or `undefined` (with issues) when it nests deeper than
 * {@link MAX_RULE_VALUE_DEPTH} or holds an `internal_` key: comparing with PRIVATE data would let
 * a rule's pass or fail reveal it.
 */
export function readRuleValue(node: YamlNode, path: string, what: string, issues: IssueList): { value: unknown } | undefined {
  let ok = true;
  const stack: { node: YamlNode; path: string; depth: number }[] = [{ node, path, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node: current, depth } = top;
    if (current.kind === 'scalar') continue;
    if (depth >= MAX_RULE_VALUE_DEPTH) {
      issues.add(
        current.pos,
        top.path,
        `${what} nests deeper than ${String(MAX_RULE_VALUE_DEPTH)} levels: compare a shallower value (point 'field' at the nested part)`,
      );
      return undefined;
    }
    if (current.kind === 'seq') {
      current.items.forEach((item, i) => stack.push({ node: item, path: itemPath(top.path, i), depth: depth + 1 }));
      continue;
    }
    for (const entry of current.entries) {
      const at = keyPath(top.path, entry.key);
      if (zoneOfSegment(entry.key) === 'PRIVATE') {
        issues.add(
          entry.keyPos,
          at,
          `${what} names the PRIVATE key '${entry.key}': audit rules must not compare 'internal_' data (a pass or a failure would reveal it); remove the key`,
        );
        ok = false;
      }
      stack.push({ node: entry.value, path: at, depth: depth + 1 });
    }
  }
  return ok ? { value: toPlain(node) } : undefined;
}
