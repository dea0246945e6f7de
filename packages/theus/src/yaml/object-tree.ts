import { DEFAULT_INPUT_LIMITS, type ResolvedInputLimits } from './limits.js';
import type { SourcePosition } from './source-issue.js';
import { tooDeepMessage, tooManyNodesMessage } from './yaml-shape.js';
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
  /** The depth and size bounds (default: {@link DEFAULT_INPUT_LIMITS}). */
  readonly limits?: Pick<ResolvedInputLimits, 'maxDepth' | 'maxNodes'>;
  /**
   * Called once when the object passes a bound (`message` names it and the fix); conversion then
   * stops. Without it, the part is reported to `report` as `'unsupported'`.
   */
  exceeded?(path: string, message: string): void;
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
 * Nesting deeper than `maxDepth` or more than `maxNodes` nodes is reported once (through
 * `exceeded`), never followed: no object can overflow the stack here.
 */
export function objectToYamlTree(value: unknown, options: ObjectTreeOptions): YamlNode {
  return new ObjectConverter(options).convert(value, options.root, 0);
}

/** The state of one conversion: the ancestors (to catch cycles), the node count, the bounds. */
class ObjectConverter {
  readonly #ancestors = new Set<object>();
  readonly #limits: Pick<ResolvedInputLimits, 'maxDepth' | 'maxNodes'>;
  #nodes = 0;
  #stopped = false;

  constructor(readonly options: ObjectTreeOptions) {
    this.#limits = options.limits ?? DEFAULT_INPUT_LIMITS;
  }

  convert(value: unknown, path: string, depth: number): YamlNode {
    const pos = this.options.pos;
    if (this.#stopped) return { kind: 'scalar', value: null, pos };
    if (++this.#nodes > this.#limits.maxNodes) return this.#exceeded(path, tooManyNodesMessage(this.#limits.maxNodes), value);
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return { kind: 'scalar', value, pos };
    }
    if (typeof value !== 'object' || !isPlainData(value)) return this.#problem(path, 'unsupported', value);
    if (this.#ancestors.has(value)) return this.#problem(path, 'cycle', value);
    if (depth + 1 > this.#limits.maxDepth) return this.#exceeded(path, tooDeepMessage(this.#limits.maxDepth), value);
    this.#ancestors.add(value);
    try {
      return Array.isArray(value) ? this.#list(value, path, depth + 1) : this.#map(value, path, depth + 1);
    } finally {
      this.#ancestors.delete(value);
    }
  }

  #list(value: readonly unknown[], path: string, depth: number): YamlNode {
    const items = Array.from({ length: value.length }, (_, i): YamlNode => {
      const item: unknown = value[i];
      return item === undefined ? this.#problem(itemPath(path, i), 'undefined-item', item) : this.convert(item, itemPath(path, i), depth);
    });
    return { kind: 'seq', items, pos: this.options.pos };
  }

  #map(value: object, path: string, depth: number): YamlNode {
    const pos = this.options.pos;
    const entries: YamlEntry[] = [];
    for (const key of Object.keys(value)) {
      if (this.#stopped) break;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) {
        this.options.report(keyPath(path, key), 'accessor', undefined);
        continue;
      }
      const child: unknown = descriptor.value;
      if (child !== undefined) entries.push({ key, keyPos: pos, value: this.convert(child, keyPath(path, key), depth) });
    }
    return { kind: 'map', entries, pos };
  }

  #problem(path: string, kind: ObjectTreeProblem, value: unknown): YamlNode {
    this.options.report(path, kind, value);
    return { kind: 'scalar', value: null, pos: this.options.pos };
  }

  /** Reports a passed bound once and stops the conversion. */
  #exceeded(path: string, message: string, value: unknown): YamlNode {
    this.#stopped = true;
    if (this.options.exceeded === undefined) return this.#problem(path, 'unsupported', value);
    this.options.exceeded(path, message);
    return { kind: 'scalar', value: null, pos: this.options.pos };
  }
}

function isPlainData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
