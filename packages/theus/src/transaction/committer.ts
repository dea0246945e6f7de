import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConflictError, SchemaViolationError, WriteTimeoutError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import { zoneOfPath } from '../context/zones.js';
import { applyPatches, getIn } from '../context/tree.js';
import type { EventHub } from '../engine/events.js';
import type { Attempt } from './attempt.js';
import { CommitHistory } from './commit-history.js';
import type { Patch } from './patches.js';
import type { Snapshot } from './snapshot.js';
import type { Store } from '../store/memory-store.js';
import { formatIssues } from '../engine/format-issues.js';

/** A finalized run presented to the commit path. */
export interface Candidate extends Attempt {
  readonly process: string;
  /** The version whose root the attempt's draft was built on. */
  readonly baseVersion: number;
  /** The version the run's reads are valid for (equal to `baseVersion` except for CAS). */
  readonly startVersion: number;
  /** When the run started (for the write timeout). */
  readonly startedAt: number;
  /** Any intervening commit is a conflict. */
  readonly strict: boolean;
  /** The run's arguments, recorded with the commit. */
  readonly args?: unknown;
  /** Runs on the exact state about to be installed (the output audit gate); throwing aborts the commit. */
  readonly beforeInstall?: ((root: object) => void) | undefined;
}

/** What the commit path decided. */
export type CommitOutcome =
  | { readonly status: 'committed'; readonly version: number }
  | { readonly status: 'unchanged'; readonly version: number }
  | { readonly status: 'conflict'; readonly path: PathSegments; readonly currentVersion: number };

interface Vip {
  readonly owner: symbol;
  readonly released: Promise<void>;
  readonly release: () => void;
}

/**
 * The single commit path: value checks happened in the draft; here come the schema, the
 * path-level conflict check, the swap of the state pointer and the post-commit publication.
 * The check and the swap run without an `await` in between, so they are atomic in one thread.
 */
export class Committer {
  #snapshot: Snapshot;
  readonly #history = new CommitHistory();
  #vip: Vip | undefined;
  #latched: { readonly snapshot: Snapshot; readonly signals: Readonly<Record<string, unknown>> } | undefined;

  constructor(
    initial: Snapshot,
    readonly events: EventHub,
    readonly schema: StandardSchemaV1 | undefined,
    readonly writeTimeoutMs: number,
    readonly store: Store,
  ) {
    this.#snapshot = initial;
  }

  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** Gives `owner` VIP priority: other commits wait until it releases. */
  acquireVip(owner: symbol): boolean {
    if (this.#vip !== undefined) return this.#vip.owner === owner;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#vip = { owner, released, release };
    return true;
  }

  /** Ends `owner`'s VIP priority, if it holds it. */
  releaseVip(owner: symbol): void {
    if (this.#vip?.owner !== owner) return;
    this.#vip.release();
    this.#vip = undefined;
  }

  /** Waits while another run holds VIP priority, bounded by the write timeout. */
  async waitForVip(owner: symbol, process: string, startedAt: number): Promise<void> {
    while (this.#vip !== undefined && this.#vip.owner !== owner) {
      const left = this.writeTimeoutMs - (Date.now() - startedAt);
      if (left <= 0) throw this.#timeout(process, startedAt, 'while waiting for a VIP run to commit');
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#vip.released, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
  }

  /** True when `owner` must wait for another run's VIP priority before committing. */
  mustWaitForVip(owner: symbol): boolean {
    return this.#vip !== undefined && this.#vip.owner !== owner;
  }

  /**
   * Commits a candidate, or reports the conflict that prevents it. Synchronous unless a schema
   * validates the result or a VIP run must be waited for, so an uncontended commit costs no
   * extra turns of the event loop.
   */
  commit(candidate: Candidate, owner: symbol): CommitOutcome | Promise<CommitOutcome> {
    if (this.schema === undefined && !this.mustWaitForVip(owner)) return this.#tryCommit(candidate, undefined);
    return this.#commitAsync(candidate, owner);
  }

  async #commitAsync(candidate: Candidate, owner: symbol): Promise<CommitOutcome> {
    const schema = this.schema;
    for (;;) {
      await this.waitForVip(owner, candidate.process, candidate.startedAt);
      if (schema === undefined) return this.#tryCommit(candidate, undefined);
      const current = this.#snapshot;
      const early = this.#precheck(candidate, current);
      if (early !== undefined) return early;
      const next = this.#nextRoot(candidate, current);
      const verdict = schema['~standard'].validate(next.root);
      const result = verdict instanceof Promise ? await verdict : verdict;
      if (result.issues !== undefined) throw schemaError(candidate.process, result.issues);
      if (this.#snapshot === current && !this.mustWaitForVip(owner)) return this.#tryCommit(candidate, next);
    }
  }

  /** Checks the timeout, conflicts and empty runs; `undefined` when the candidate may be installed. */
  #precheck(candidate: Candidate, current: Snapshot): CommitOutcome | undefined {
    if (Date.now() - candidate.startedAt > this.writeTimeoutMs)
      throw this.#timeout(candidate.process, candidate.startedAt, 'before it could commit');
    const conflict = this.#findConflict(candidate, current);
    if (conflict !== undefined) return { status: 'conflict', path: conflict, currentVersion: current.version };
    if (candidate.patches.length === 0 && candidate.effects.outbox.length === 0 && candidate.effects.logs.length === 0) {
      return { status: 'unchanged', version: current.version };
    }
    return undefined;
  }

  /** Installs the candidate on the current snapshot (`next` when already computed and validated for it). */
  #tryCommit(candidate: Candidate, next: NextRoot | undefined): CommitOutcome {
    const current = this.#snapshot;
    const early = this.#precheck(candidate, current);
    if (early !== undefined) return early;
    const { root, patches, signals } = next ?? this.#nextRoot(candidate, current);
    candidate.beforeInstall?.(root);
    const version = current.version + 1;
    this.store.append({ version, process: candidate.process, args: candidate.args, patches, time: Date.now() });
    this.#snapshot = { version, root, signals };
    this.#history.record(version, patches);
    this.#publish(candidate, version, patches);
    return { status: 'committed', version };
  }

  #findConflict(candidate: Candidate, current: Snapshot): PathSegments | undefined {
    if (current.version === candidate.startVersion) return undefined;
    if (current.version < candidate.startVersion) return [];
    if (candidate.strict) return [];
    const touched = [...candidate.readPaths, ...candidate.patches.map((p) => p.path)];
    return this.#history.firstOverlap(candidate.startVersion, current.version, touched);
  }

  /** The root to install: the candidate's writes on the current root, with stale signals cleared. */
  #nextRoot(candidate: Candidate, current: Snapshot): NextRoot {
    const written = candidate.patches;
    let root = candidate.baseVersion === current.version ? candidate.root : (applyPatches(current.root, written) as object);
    // Most commits set no signal and clear none: they share one empty map and their own patch list.
    let signals: Map<string, { path: PathSegments; payload: unknown }> | undefined;
    for (const patch of written) {
      if (patch.op === 'remove' || zoneOfPath(patch.path) !== 'SIGNAL') continue;
      const path = patch.path;
      signals ??= new Map();
      if (path.length === 1 && typeof patch.value === 'object' && patch.value !== null && !Array.isArray(patch.value)) {
        // A whole signal layer written at once: one topic per key.
        for (const [topic, payload] of Object.entries(patch.value)) signals.set(topic, { path: [...path, topic], payload });
        continue;
      }
      const topic = path[0] === 'signal' && path.length === 2 ? String(path[1]) : formatPath(path);
      signals.set(topic, { path, payload: patch.value });
    }
    let clears: Patch[] | undefined;
    for (const [topic, { path }] of current.signals) {
      if (signals?.has(topic) === true || getIn(root, path) === undefined) continue;
      if (written.some((p) => p.path.length >= path.length && path.every((s, i) => String(s) === String(p.path[i])))) continue;
      (clears ??= []).push({ op: 'remove', path });
    }
    if (clears === undefined) return { root, patches: written, signals: signals ?? NO_SIGNALS };
    root = applyPatches(root, clears) as object;
    return { root, patches: [...written, ...clears], signals: signals ?? NO_SIGNALS };
  }

  #publish(candidate: Candidate, version: number, patches: readonly Patch[]): void {
    const events = this.events;
    if (events.has('commit')) {
      events.emit('commit', {
        version,
        process: candidate.process,
        patches,
        inversePatches: candidate.inversePatches,
        signals: this.latchedSignals(),
        outbox: candidate.effects.outbox,
        logs: candidate.effects.logs,
      });
    }
    const latched = this.#snapshot.signals;
    if (latched.size > 0 && events.has('signal')) {
      for (const [topic, { payload }] of latched) events.emit('signal', { topic, payload, version });
    }
  }

  /** The signals latched by the current version as a frozen record (topic → payload), built once per version. */
  latchedSignals(): Readonly<Record<string, unknown>> {
    const snapshot = this.#snapshot;
    if (this.#latched?.snapshot === snapshot) return this.#latched.signals;
    const signals = Object.create(null) as Record<string, unknown>;
    for (const [topic, { payload }] of snapshot.signals) signals[topic] = payload;
    this.#latched = { snapshot, signals: Object.freeze(signals) };
    return this.#latched.signals;
  }

  #timeout(process: string, startedAt: number, when: string): WriteTimeoutError {
    const elapsed = Date.now() - startedAt;
    return new WriteTimeoutError(
      'TX_WRITE_TIMEOUT',
      `Process '${process}' timed out after ${elapsed} ms ${when} (limit ${this.writeTimeoutMs} ms): shorten the run or raise conflict.writeTimeoutMs.`,
      {
        details: { process, elapsedMs: elapsed, limitMs: this.writeTimeoutMs },
      },
    );
  }
}

/** The signals of a version that set none (never mutated). */
const NO_SIGNALS: Snapshot['signals'] = new Map();

/** The state a candidate would install: its root, all its patches (signal clears included) and signals. */
interface NextRoot {
  readonly root: object;
  readonly patches: readonly Patch[];
  readonly signals: Snapshot['signals'];
}

function schemaError(process: string, issues: readonly StandardSchemaV1.Issue[]): SchemaViolationError {
  const lines = formatIssues(issues);
  return new SchemaViolationError(
    'TX_SCHEMA',
    `Process '${process}' would commit a state the schema rejects (${lines.join('; ')}); nothing was committed.`,
    {
      details: { process, issues: lines },
    },
  );
}

/** Builds the error for a run that kept conflicting. */
export function conflictError(process: string, attempts: number, path: PathSegments): ConflictError {
  const shown = path.length === 0 ? 'a newer version (strict CAS)' : `'${formatPath(path)}'`;
  return new ConflictError(
    'TX_CONFLICT',
    `Process '${process}' conflicted ${attempts} times with commits that changed ${shown}; raise conflict.maxRetries or reduce contention on that path.`,
    {
      details: { process, attempts, path: formatPath(path) },
    },
  );
}
