import { ContractViolationError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import { OPEN_ACCESS, type AccessTree } from '../contract/access-tree.js';
import { DraftNode, draftOf } from './draft-node.js';
import { getChild } from '../context/tree.js';
import { finalizeDraft, type FinalizedDraft } from './finalize.js';
import { violation, type Actor } from './violations.js';

/** Who drives a draft: a guarded process, an unguarded (relaxed) process, or an admin edit. */
export type DraftSessionKind = 'process' | 'open' | 'admin';

/**
 * The copy-on-write working state of one run: a draft tree over the committed root, the paths
 * the run read, and the revocation switch that makes every reference to the draft dead once
 * the run ends.
 */
export class DraftSession implements Actor {
  readonly root: DraftNode;
  /** Every draft node created in this run (for collecting read paths). */
  readonly nodes: DraftNode[] = [];
  /** Declared input paths the run read directly (frozen values, untracked below). */
  readonly rawReads: PathSegments[] = [];
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
    this.root = new DraftNode(this, committedRoot, undefined, '', 'DATA', open, open ? OPEN_ACCESS : access);
    this.nodes.push(this.root);
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
  readonly noteViolation = (error: ContractViolationError): void => {
    if (!this.#revoked) this.#violation ??= error;
  };

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

  /** Finalizes the draft into a new committed root plus patches, and revokes the session. */
  finalize(): FinalizedDraft {
    try {
      return finalizeDraft(this);
    } finally {
      this.revoke();
    }
  }

  /** Every path whose presence (not content) this run observed: they conflict only with writes at or above them. */
  presencePaths(): PathSegments[] {
    const paths: PathSegments[] = [];
    for (const node of this.nodes) if (node.presence !== undefined) for (const key of node.presence) paths.push([...node.path(), key]);
    return paths;
  }

  /** Every path this run read, for conflict detection. */
  readPaths(): PathSegments[] {
    const paths = this.rawReads.slice();
    for (const node of this.nodes) {
      if (node.enumerated) paths.push(node.path());
      if (node.reads !== undefined) for (const key of node.reads) paths.push([...node.path(), key]);
    }
    return paths;
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
