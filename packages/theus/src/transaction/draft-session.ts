import { ContractViolationError } from '../errors/index.js';
import { childPath, formatPath, type PathSegments } from '../context/paths.js';
import { OPEN_ACCESS, type AccessTree } from '../contract/access-tree.js';
import { DraftNode, draftOf } from './draft-node.js';
import { getChild } from '../context/tree.js';
import { finalizeDraft, type FinalizedDraft } from './finalize.js';
import { violation, type Actor } from './violations.js';
import type { SmallSet } from '../util/small-collections.js';

/** Who drives a draft: a guarded process, an unguarded (relaxed) process, or an admin edit. */
export type DraftSessionKind = 'process' | 'open' | 'admin';

/**
 * The copy-on-write working state of one run: a draft tree over the committed root, the paths
 * the run read, and the revocation switch that makes every reference to the draft dead once
 * the run ends.
 */
export class DraftSession implements Actor {
  readonly root: DraftNode;
  /** The draft node created last in this run: every node links to the one created before it (for collecting read paths). */
  #lastNode: DraftNode;
  /** Declared input paths the run read directly (frozen values, untracked below). */
  #rawReads: PathSegments[] | undefined;
  #revoked = false;
  #violation: ContractViolationError | undefined;

  constructor(
    readonly who: string,
    readonly process: string,
    readonly kind: DraftSessionKind,
    readonly pure: boolean,
    committedRoot: object,
    access: AccessTree,
  ) {
    const open = kind !== 'process';
    this.root = this.#lastNode = new DraftNode(this, committedRoot, undefined, '', 'DATA', open, open ? OPEN_ACCESS : access, undefined);
  }

  /** The draft node created last in this run: a new node links to it (see {@link DraftSession.readPaths}). */
  get newestNode(): DraftNode {
    return this.#lastNode;
  }

  /** Records a node just created in this run, linked to {@link DraftSession.newestNode}. */
  noteNode(node: DraftNode): void {
    this.#lastNode = node;
  }

  /** Records that the run read the declared input at `path` directly (a frozen value: nothing below it is tracked). */
  noteRawRead(path: PathSegments): void {
    (this.#rawReads ??= []).push(path);
  }

  /** True for admin edits, which may touch PRIVATE and LOG data and create CONST values. */
  get admin(): boolean {
    return this.kind === 'admin';
  }

  /** True once the run has ended: every reference into its context is dead. */
  get revoked(): boolean {
    return this.#revoked;
  }

  /** The first contract violation raised in this run, even if the process caught it. */
  get violation(): ContractViolationError | undefined {
    return this.#violation;
  }

  /** Remembers a violation raised in this run (see {@link Actor.noteViolation}). */
  noteViolation(error: ContractViolationError): void {
    if (!this.#revoked) this.#violation ??= error;
  }

  /** Throws when the run is over: references held after a run can change nothing. */
  assertLive(path: PathSegments): void {
    if (this.#revoked) throw violation('CONTRACT_REVOKED', this, path, 'used a context reference after its run ended, at');
  }

  /** Ends the run: every draft proxy and view of this session stops working. */
  revoke(): void {
    this.#revoked = true;
  }

  /** The draft node at `path`, or the plain value there when it is not an object. */
  valueAt(path: PathSegments): unknown {
    let node: DraftNode = this.root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i] as string | number;
      const child = node.child(key);
      if (child !== undefined) {
        node = child;
        continue;
      }
      // Below here nothing is drafted: the run depends on this key's whole value (or its absence).
      node.noteRead(String(key));
      let value = node.peek(key);
      for (let j = i + 1; j < path.length && value !== undefined; j++) {
        value = getChild(value, path[j] as string);
      }
      return value;
    }
    // The run learned that the value at `path` exists (its content is read through the draft).
    node.parent?.notePresence(String(node.key));
    return node.proxy;
  }

  /** Writes `value` at `path`, creating missing parents as plain objects; zone rules apply. */
  writeAt(path: PathSegments, value: unknown, remove = false): void {
    let node: DraftNode = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string | number;
      const child = node.child(key);
      if (child !== undefined) {
        node = child;
        continue;
      }
      let parent = node.peek(key);
      if (parent === undefined || parent === null) {
        if (remove) return;
        parent = {};
        node.write(key, parent, false);
      }
      writeRaw(this, parent, path, i + 1, value, remove);
      node.markModified();
      return;
    }
    node.write(path[path.length - 1] as string | number, value, remove);
  }

  /** Revokes the session and finalizes its draft into a new committed root plus patches. */
  finalize(): FinalizedDraft {
    // Revoked first: a getter of a returned object, read while finalizing, cannot reach the draft any more.
    this.revoke();
    return finalizeDraft(this);
  }

  /** Every path whose presence (not content) this run observed: they conflict only with writes at or above them. */
  presencePaths(): PathSegments[] {
    const paths: PathSegments[] = [];
    for (let node: DraftNode | undefined = this.#lastNode; node !== undefined; node = node.previous) {
      if (node.presence !== undefined) collectPaths(node, node.presence, paths);
    }
    return paths;
  }

  /** Every path this run read, for conflict detection. */
  readPaths(): PathSegments[] {
    const paths = this.#rawReads?.slice() ?? [];
    for (let node: DraftNode | undefined = this.#lastNode; node !== undefined; node = node.previous) {
      if (node.enumerated) paths.push(node.path());
      if (node.reads !== undefined) collectPaths(node, node.reads, paths);
    }
    return paths;
  }
}

/** Adds the path of every key of `keys` below `node` to `paths`. */
function collectPaths(node: DraftNode, keys: SmallSet, paths: PathSegments[]): void {
  const slots = keys.slots;
  for (let i = 0; i < slots.length; i++) {
    const key = slots[i];
    if (key !== undefined) paths.push(childPath(node.path(), key));
  }
}

function writeRaw(session: DraftSession, start: unknown, path: PathSegments, from: number, value: unknown, remove: boolean): void {
  let container = start;
  for (let i = from; i < path.length; i++) {
    if (typeof container !== 'object' || container === null || draftOf(container) !== undefined) {
      throw new ContractViolationError(
        'CONTRACT_ILLEGAL_WRITE',
        `${session.who} cannot write '${formatPath(path)}': '${formatPath(path.slice(0, i))}' is not an object.`,
        {
          details: { process: session.process, path: formatPath(path) },
        },
      );
    }
    const key = path[i] as string;
    const record = container as Record<string, unknown>;
    if (i === path.length - 1) {
      if (remove) delete record[key];
      else record[key] = value;
      return;
    }
    if (record[key] === undefined || record[key] === null) {
      if (remove) return;
      record[key] = {};
    }
    container = record[key];
  }
}
