import type { PathSegments } from '../context/paths.js';

/**
 * The declared paths of a contract as a tree: each node says whether its subtree may be read
 * (declared as an input or an output) and written (declared as an output).
 */
export interface AccessTree {
  readonly read: boolean;
  readonly write: boolean;
  /** True when this node or a descendant is a declared output. */
  readonly writeBelow: boolean;
  readonly children: ReadonlyMap<string, AccessTree>;
}

interface MutableAccessTree {
  read: boolean;
  write: boolean;
  writeBelow: boolean;
  children: Map<string, MutableAccessTree>;
}

/** Builds the access tree of a contract from its parsed input and output paths. */
export function buildAccessTree(inputs: readonly PathSegments[], outputs: readonly PathSegments[]): AccessTree {
  const root: MutableAccessTree = { read: false, write: false, writeBelow: false, children: new Map() };
  const place = (path: PathSegments, write: boolean): void => {
    let node = root;
    if (write) node.writeBelow = true;
    for (const segment of path) {
      const key = String(segment);
      let child = node.children.get(key);
      if (child === undefined) {
        child = { read: false, write: false, writeBelow: false, children: new Map() };
        node.children.set(key, child);
      }
      node = child;
      if (write) node.writeBelow = true;
    }
    node.read = true;
    if (write) node.write = true;
  };
  for (const path of inputs) place(path, false);
  for (const path of outputs) place(path, true);
  return root;
}

/** An access tree that allows every read and every write (relaxed mode and admin edits). */
export const OPEN_ACCESS: AccessTree = { read: true, write: true, writeBelow: true, children: new Map() };
