/**
 * Object recipes go through the same validation as YAML: this converts a plain object into the
 * positioned tree shape (line and column 0; issues then name the key path instead).
 *
 * @packageDocumentation
 */
import { describe } from '../context/paths.js';
import type { YamlEntry, YamlNode } from '../yaml/yaml-tree.js';
import type { IssueList } from './recipe-issues.js';
import { itemPath, keyPath } from './recipe-nodes.js';

const NOWHERE = Object.freeze({ line: 0, column: 0 });

/**
 * Converts plain data (objects, arrays, strings, numbers, booleans, null) into a tree. Anything
 * else (functions, class instances, cycles) is an issue. `undefined` properties count as absent.
 */
export function objectToTree(value: unknown, issues: IssueList): YamlNode {
  return convert(value, '', new Set(), issues);
}

function convert(value: unknown, path: string, ancestors: Set<object>, issues: IssueList): YamlNode {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'scalar', value, pos: NOWHERE };
  }
  if (typeof value !== 'object' || !isPlainData(value)) {
    issues.add(NOWHERE, path, `unsupported value: ${describe(value)} (use strings, numbers, booleans, null, lists and plain objects)`);
    return { kind: 'scalar', value: null, pos: NOWHERE };
  }
  if (ancestors.has(value)) {
    issues.add(NOWHERE, path, 'the recipe object contains a cycle');
    return { kind: 'scalar', value: null, pos: NOWHERE };
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = Array.from({ length: value.length }, (_, i): YamlNode => {
        const item: unknown = value[i];
        if (item !== undefined) return convert(item, itemPath(path, i), ancestors, issues);
        issues.add(NOWHERE, itemPath(path, i), 'a list entry must not be undefined');
        return { kind: 'scalar', value: null, pos: NOWHERE };
      });
      return { kind: 'seq', items, pos: NOWHERE };
    }
    const entries: YamlEntry[] = [];
    for (const key of Object.keys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) {
        issues.add(NOWHERE, keyPath(path, key), 'accessor properties are not supported: use plain data');
        continue;
      }
      const child: unknown = descriptor.value;
      if (child === undefined) continue;
      entries.push({ key, keyPos: NOWHERE, value: convert(child, keyPath(path, key), ancestors, issues) });
    }
    return { kind: 'map', entries, pos: NOWHERE };
  } finally {
    ancestors.delete(value);
  }
}

function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
