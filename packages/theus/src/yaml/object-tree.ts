import type { SourcePosition } from './source-issue.js';
import type { YamlEntry, YamlNode } from './yaml-tree.js';

/** Why part of an object cannot become a tree node. */
export type ObjectTreeProblem = 'unsupported' | 'cycle' | 'accessor' | 'undefined-item';

/** How {@link objectToYamlTree} places nodes and reports problems. */
export interface ObjectTreeOptions {
  /** The position every converted node gets (objects have no source positions). */
  readonly pos: SourcePosition;
  /** The path of the root in messages (`''` or `'(root)'`, say). */
  readonly root: string;
  /** Called for each part that is not plain data; the part becomes a `null` scalar or is left out. */
  report(path: string, problem: ObjectTreeProblem, value: unknown): void;
}

/** The path of `key` below `path`: dotted, with unusual keys quoted. */
export function keyPath(path: string, key: string): string {
  const safe = /^[\w$-]+$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? safe : `${path}.${safe}`;
}

/** The path of a sequence item. */
export function itemPath(path: string, index: number): string {
  return `${path}[${String(index)}]`;
}

/**
 * Converts plain data (objects, arrays, strings, numbers, booleans, null) into the positioned tree
 * the YAML loaders validate, so that text and object input share one validator. Functions, class
 * instances, getters and cycles are reported, never followed; `undefined` properties are absent.
 */
export function objectToYamlTree(value: unknown, options: ObjectTreeOptions): YamlNode {
  return convert(value, options.root, new Set(), options);
}

function convert(value: unknown, path: string, ancestors: Set<object>, options: ObjectTreeOptions): YamlNode {
  const pos = options.pos;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'scalar', value, pos };
  }
  if (typeof value !== 'object' || !isPlainData(value)) return problem(path, 'unsupported', value, options);
  if (ancestors.has(value)) return problem(path, 'cycle', value, options);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = Array.from({ length: value.length }, (_, i): YamlNode => {
        const item: unknown = value[i];
        return item === undefined
          ? problem(itemPath(path, i), 'undefined-item', item, options)
          : convert(item, itemPath(path, i), ancestors, options);
      });
      return { kind: 'seq', items, pos };
    }
    const entries: YamlEntry[] = [];
    for (const key of Object.keys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) {
        options.report(keyPath(path, key), 'accessor', undefined);
        continue;
      }
      const child: unknown = descriptor.value;
      if (child !== undefined) entries.push({ key, keyPos: pos, value: convert(child, keyPath(path, key), ancestors, options) });
    }
    return { kind: 'map', entries, pos };
  } finally {
    ancestors.delete(value);
  }
}

function problem(path: string, kind: ObjectTreeProblem, value: unknown, options: ObjectTreeOptions): YamlNode {
  options.report(path, kind, value);
  return { kind: 'scalar', value: null, pos: options.pos };
}

function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
