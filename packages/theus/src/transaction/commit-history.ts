import { isPrefixOf, pathsOverlap, type PathSegments } from '../context/paths.js';
import { RingBuffer } from '../util/ring-buffer.js';

/**
 * One remembered change: its place in the engine's sequence (see `Snapshot.seq`, called
 * `version` here) and the paths it wrote (never the values).
 */
interface Entry {
  readonly version: number;
  readonly paths: readonly PathSegments[];
}

/** One path in the index of recent writes. */
interface PathNode {
  children: Map<string, PathNode> | undefined;
  /** The latest version that wrote exactly this path, and the path it wrote. */
  at: number;
  atPath: PathSegments | undefined;
  /** The latest version that wrote this path or a path below it, and the path it wrote. */
  below: number;
  belowPath: PathSegments | undefined;
}

function pathNode(): PathNode {
  return { children: undefined, at: -1, atPath: undefined, below: -1, belowPath: undefined };
}

/** Up to this many commits since a run started, a check scans them; beyond, it uses the index. */
const SCAN_LIMIT = 16;

/**
 * The write paths of recent commits, for path-level optimistic conflict detection, by their
 * place in the engine's sequence (`Snapshot.seq`: consecutive, each one recorded). A run that
 * started before the oldest remembered commit is treated as conflicting (it is re-run).
 *
 * A run that started a few commits ago is checked by scanning those commits. For runs that many
 * commits overtook (many concurrent runs, typically on disjoint paths, where a scan would cost
 * each commit time in proportion to the number of runs), an index of the written paths is kept:
 * a tree that remembers, per path, the latest version that wrote it and the latest that wrote
 * anything below it, so a check walks each touched path once. The index is brought up to date
 * only when such a check needs it (a sequential workload never builds it) and rebuilt from the
 * remembered commits once it holds twice `capacity` of them.
 */
export class CommitHistory {
  readonly #entries: RingBuffer<Entry>;
  #root: PathNode = pathNode();
  /** The newest version in the index, and how many commits it holds. */
  #indexedUpTo = 0;
  #indexed = 0;

  constructor(capacity = 4096) {
    this.#entries = new RingBuffer(capacity);
  }

  /**
   * Remembers the paths written by the commit that produced `version` (versions only grow).
   * `writes` are its patches: only their paths are kept, so the history never holds on to the
   * written values (a commit that replaces a large subtree would otherwise keep it alive for
   * `capacity` commits).
   */
  record(version: number, writes: readonly { readonly path: PathSegments }[]): void {
    const count = writes.length;
    const paths = new Array<PathSegments>(count);
    for (let i = 0; i < count; i++) paths[i] = (writes[i] as { readonly path: PathSegments }).path;
    this.#entries.push({ version, paths });
  }

  /**
   * A path written since `startVersion` (exclusive) that overlaps (equals, contains or lies
   * inside) one of `touched`, the latest such write for the first touched path that has one; or
   * `undefined` when none does. `currentVersion` is the latest recorded version (every recorded
   * write is at most that).
   */
  firstOverlap(startVersion: number, currentVersion: number, touched: readonly PathSegments[]): PathSegments | undefined {
    if (this.#tooOld(startVersion)) return [];
    if (currentVersion - startVersion <= SCAN_LIMIT) return this.#scan(startVersion, touched, pathsOverlap);
    this.#catchUp();
    for (const path of touched) {
      const node = this.#walk(path, startVersion);
      if (node === undefined) continue;
      if (!('children' in node)) return node.written;
      if (node.below > startVersion) return node.belowPath;
    }
    return undefined;
  }

  /**
   * A path written since `startVersion` up to `currentVersion` that equals or contains one of
   * `paths` (writes below them do not count): the check for paths whose presence a run observed
   * without reading their content.
   */
  firstCovering(startVersion: number, currentVersion: number, paths: readonly PathSegments[]): PathSegments | undefined {
    if (this.#tooOld(startVersion)) return [];
    if (currentVersion - startVersion <= SCAN_LIMIT) return this.#scan(startVersion, paths, isPrefixOf);
    this.#catchUp();
    for (const path of paths) {
      const node = this.#walk(path, startVersion);
      if (node !== undefined && !('children' in node)) return node.written;
    }
    return undefined;
  }

  /** The newest write since `startVersion` that `matches` one of `paths`. */
  #scan(
    startVersion: number,
    paths: readonly PathSegments[],
    matches: (written: PathSegments, path: PathSegments) => boolean,
  ): PathSegments | undefined {
    const entries = this.#entries;
    for (let i = entries.size - 1; i >= 0; i--) {
      const entry = entries.at(i) as Entry;
      if (entry.version <= startVersion) break;
      for (const written of entry.paths) {
        for (const path of paths) if (matches(written, path)) return written;
      }
    }
    return undefined;
  }

  /** Adds the commits the index lacks; starts it afresh when it lags behind the remembered ones or grew too large. */
  #catchUp(): void {
    const entries = this.#entries;
    const newest = entries.at(entries.size - 1);
    if (newest === undefined || newest.version === this.#indexedUpTo) return;
    const oldest = entries.at(0) as Entry;
    // Afresh from the remembered commits (at most `capacity`), so it holds at most twice that many.
    if (this.#indexedUpTo < oldest.version - 1 || this.#indexed >= 2 * entries.capacity) {
      this.#root = pathNode();
      this.#indexedUpTo = oldest.version - 1;
      this.#indexed = 0;
    }
    let from = entries.size;
    while (from > 0 && (entries.at(from - 1) as Entry).version > this.#indexedUpTo) from--;
    for (let i = from; i < entries.size; i++) {
      const entry = entries.at(i) as Entry;
      this.#index(entry.version, entry.paths);
      this.#indexed++;
    }
    this.#indexedUpTo = newest.version;
  }

  /** True when commits made since `startVersion` may have been forgotten (or none is remembered). */
  #tooOld(startVersion: number): boolean {
    const oldest = this.#entries.at(0);
    return oldest === undefined || oldest.version > startVersion + 1;
  }

  /**
   * Walks `path` from the root: a write at the path or one of its ancestors since `startVersion`
   * (`{ written }`), else the node of the path itself, else `undefined` (nothing was ever written
   * at or below it).
   */
  #walk(path: PathSegments, startVersion: number): PathNode | { readonly written: PathSegments } | undefined {
    let node: PathNode | undefined = this.#root;
    if (node.at > startVersion) return { written: node.atPath as PathSegments };
    for (const segment of path) {
      node = node.children?.get(String(segment));
      if (node === undefined) return undefined;
      if (node.at > startVersion) return { written: node.atPath as PathSegments };
    }
    return node;
  }

  #index(version: number, paths: readonly PathSegments[]): void {
    for (const path of paths) {
      let node = this.#root;
      node.below = version;
      node.belowPath = path;
      for (const segment of path) {
        const key = String(segment);
        const children = (node.children ??= new Map<string, PathNode>());
        let child = children.get(key);
        if (child === undefined) children.set(key, (child = pathNode()));
        node = child;
        node.below = version;
        node.belowPath = path;
      }
      node.at = version;
      node.atPath = path;
    }
  }
}
