/**
 * Object recipes go through the same validation as YAML: this converts a plain object into the
 * positioned tree shape (line and column 0; issues then name the key path instead).
 *
 * @packageDocumentation
 */
import { describe } from '../context/paths.js';
import { objectToYamlTree, type ObjectTreeProblem } from '../yaml/object-tree.js';
import type { YamlNode } from '../yaml/yaml-tree.js';
import type { IssueList } from './recipe-issues.js';

const NOWHERE = Object.freeze({ line: 0, column: 0 });

const MESSAGES: Readonly<Record<ObjectTreeProblem, (value: unknown) => string>> = {
  unsupported: (value) => `unsupported value: ${describe(value)} (use strings, numbers, booleans, null, lists and plain objects)`,
  cycle: () => 'the recipe object contains a cycle',
  accessor: () => 'accessor properties are not supported: use plain data',
  'undefined-item': () => 'a list entry must not be undefined',
};

/** Converts a recipe object into a tree; every part that is not plain data is an issue. */
export function objectToTree(value: unknown, issues: IssueList): YamlNode {
  return objectToYamlTree(value, {
    pos: NOWHERE,
    root: '',
    report: (path, problem, part) => issues.add(NOWHERE, path, MESSAGES[problem](part)),
    exceeded: (path, message) => issues.add(NOWHERE, path, message),
  });
}
