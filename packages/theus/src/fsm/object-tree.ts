import { objectToYamlTree } from '../yaml/object-tree.js';
import type { ResolvedInputLimits } from '../yaml/limits.js';
import type { YamlNode } from '../yaml/yaml-tree.js';
import type { SourceIssue } from '../yaml/source-issue.js';

/** Objects have no positions: every node of a converted object sits at 1:1 and messages name paths. */
const NOWHERE = { line: 1, column: 1 } as const;

/**
 * Converts a plain object definition to the positioned tree the loaders validate, so that text
 * and object input share one validator. Functions, class instances, getters and cycles are
 * reported, and so is an object nested deeper than `maxDepth` or holding more than `maxNodes`
 * nodes (never followed, so no definition can overflow the stack).
 */
export function objectToTree(value: unknown, file: string, issues: SourceIssue[], limits?: ResolvedInputLimits): YamlNode {
  return objectToYamlTree(value, {
    pos: NOWHERE,
    root: '(root)',
    ...(limits === undefined ? {} : { limits }),
    report: (path, problem, part) => {
      const what =
        problem === 'cycle' ? 'a cycle' : problem === 'accessor' ? 'a getter' : problem === 'undefined-item' ? 'undefined' : typeof part;
      issues.push({ file, ...NOWHERE, message: `${path}: a definition holds only plain data, not ${what}` });
    },
    exceeded: (path, message) => issues.push({ file, ...NOWHERE, message: `${path}: ${message}` }),
  });
}
