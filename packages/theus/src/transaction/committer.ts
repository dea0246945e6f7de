import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConflictError, SchemaViolationError, StoreError, TheusError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import { zoneOfPath } from '../context/zones.js';
import { applyPatches, getIn } from '../context/tree.js';
import type { EventHub } from '../engine/events.js';
import type { Attempt } from './attempt.js';
import { CommitHistory } from './commit-history.js';
import { CommitPublisher } from './commit-publisher.js';
import { freezePatches } from './frozen-output.js';
import { PendingTail, storeRefusal, type PendingCommit } from './pending-tail.js';
import { PathTurns, type Turn } from './path-turns.js';
import { writeTimeoutError } from './run-deadline.js';
import type { Patch } from './patches.js';
import type { Snapshot } from './snapshot.js';
import type { CommitRecord, CommitUnit, OutboxEnvelope, SharedLog, Store } from '../store/store.js';
import { replayCommits } from '../store/replay.js';
import { SharedTail, type SharedPending } from './shared-tail.js';
import { firstOverlapIn } from './remote-overlap.js';
import { formatIssues } from '../engine/format-issues.js';
import { schemaView } from '../context/schema-view.js';

/** A finalized run presented to the commit path. */
export interface Candidate {
  /** What the run produced: root, patches, effects, result, and (on demand) the paths it read. */
  readonly attempt: Attempt;
  readonly process: string;
  /** The place in the sequence (`Snapshot.seq`) of the root the attempt's draft was built on. */
  readonly baseSeq: number;
  /** The place in the sequence the run's reads are valid for (equal to `baseSeq` except for CAS). */
  readonly startSeq: number;
  /**
   * For a shared store: the version of the shared log the commit is to be checked from, when not
   * the newest one the engine applied (a compare-and-swap's expected version).
   */
  readonly seen?: number;
  /** For a shared store: the token of the store's turn the run holds ({@link Committer.claimTurn}). */
  readonly turn?: string | undefined;
  /** When the run started (for the write timeout). */
  readonly startedAt: number;
  /** Any intervening commit is a conflict. */
  readonly strict: boolean;
  /**
   * The run's arguments as recorded with the commit: the frozen copy `recordArgs` made when the
   * run started (never the caller's object, whose getters could run code during the commit).
   */
  readonly args?: unknown;
  /** Runs on the exact state about to be installed (the output audit gate); throwing aborts the commit. */
  readonly beforeInstall?: ((root: object) => void) | undefined;
  /** The run's time limit (its contract's `timeoutMs`), when it has its own; else the engine's write timeout. */
  readonly timeoutMs?: number | undefined;
}

/** What the commit path decided. */
export type CommitOutcome =
  | {
      readonly status: 'committed' | 'unchanged';
      readonly version: number;
      /**
       * Settles once what the run wrote (or, unchanged, read) is durable: `undefined` when it
       * already is. Rejects with `StoreError` when the store refused it. A shared store's
       * resolves to the version it gave the commit (`version` is provisional until then).
       */
      readonly durable: Promise<unknown> | undefined;
    }
  | {
      readonly status: 'conflict';
      readonly path: PathSegments;
      readonly currentVersion: number;
      /** The held turn the commit would have invalidated, when a turn (not a commit) stopped it. */
      readonly heldBy?: Turn;
    };

/**
 * The single commit path: value checks happened in the draft; here come the schema, the
 * path-level conflict check, the ordering of the commit, its append to the store, the swap of
 * the visible state and the post-commit publication.
 *
 * Two heads: the **head** (what runs start from and commits are checked against and built on)
 * and the visible **snapshot** (`engine.state`: what the store acknowledged). With a store that
 * appends synchronously (memory) they are one: check, append and swap run without an `await` in
 * between, atomic in one thread. With a store that groups commits (SQLite, ...), a checked commit
 * joins the pending tail at the head and becomes visible, in version order, once its group's
 * append returned; a refused append fails it and every commit after it (see
 * `docs/design/commit-path.md`).
 */
export class Committer {
  /** The acknowledged head: visible, durable. */
  #snapshot: Snapshot;
  /** The head runs start from: the snapshot plus the pending tail. */
  #head: Snapshot;
  readonly #history = new CommitHistory();
  readonly #publisher: CommitPublisher;
  readonly #tail: PendingTail | SharedTail;
  /** The store's shared log, when several engines share it. */
  readonly #shared: SharedLog | undefined;
  /** The newest place in the sequence (every one is recorded in the history). */
  #seq: number;
  /** A shared store: the newest version of its log this engine applied. */
  #known: number;
  /** The place in the sequence of recent versions (for compare-and-swap): version → seq. */
  readonly #seqByVersion = new Map<number, number>();
  #closed = false;
  /** Turns of the shared store claimed so far (their tokens are numbered), and what makes the tokens this engine's. */
  #turns = 0;
  #turnPrefix: string | undefined;
  /** Wakes the runs waiting to hold the shared store's turn (see {@link Committer.catchUp}). */
  #turnWaiters: (() => void)[] = [];
  /** Set while a shared store opens: runs wait for it (and fail with its error). */
  opening: Promise<void> | undefined;
  /** The queue of runs that kept conflicting, and the paths held for them. */
  readonly turns = new PathTurns();

  constructor(
    initial: Snapshot,
    readonly events: EventHub,
    readonly schema: StandardSchemaV1 | undefined,
    readonly writeTimeoutMs: number,
    readonly store: Store,
    /** Called with the outbox messages of each version once it is durable, in version order. */
    private readonly deliver: (messages: readonly OutboxEnvelope[]) => void,
  ) {
    this.#snapshot = initial;
    this.#head = initial;
    this.#seq = initial.seq;
    this.#known = initial.version;
    this.#rememberVersion(initial.version, initial.seq);
    this.#publisher = new CommitPublisher(events);
    this.#shared = store.shared;
    this.#tail =
      store.shared === undefined
        ? new PendingTail(store, {
            acknowledged: (commit) => this.#install(commit),
            refused: (commits) => this.#undo(commits),
          })
        : new SharedTail(store.shared, store.kind, {
            known: () => this.#known,
            applyRemote: (records) => this.#applyRemote(records),
            acknowledged: (commit, version) => this.#installShared(commit, version),
            refused: (commits) => this.#undo(commits),
            overlap: (commit, records) => firstOverlapIn(records, commit.touched, commit.presence, commit.strict),
          });
  }

  /**
   * Starts from the state a shared store was opened with (before any run: the engine waits for
   * it), and follows the other nodes' commits from there on.
   */
  restore(snapshot: Snapshot): void {
    this.#snapshot = snapshot;
    this.#head = snapshot;
    this.#seq = snapshot.seq;
    this.#known = snapshot.version;
  }

  /** A shared store's notification: other nodes may have committed. */
  catchUp(): void {
    if (this.#tail instanceof SharedTail) this.#tail.requestCatchUp();
    // Runs queued for the shared store's turn look again: the turn may have passed.
    const waking = this.#turnWaiters;
    this.#turnWaiters = [];
    for (const wake of waking) wake();
  }

  /**
   * The place in the sequence of `version` (a compare-and-swap's expected version), or -1 when it
   * is no longer remembered (the swap then conflicts). With a shared store, the store checks the
   * swap from its expected version: locally, from the head.
   */
  seqOf(version: number): number {
    if (this.#shared !== undefined || version === this.#head.version) return this.#head.seq;
    return this.#seqByVersion.get(version) ?? -1;
  }

  /**
   * For a run that kept losing to other nodes' commits: queues it for the shared store's turn
   * (for a lease of `ms`) and resolves, with the token its commits carry, once it holds the turn:
   * other nodes' commits then wait for its commit. `undefined` without a shared store.
   */
  async awaitSharedTurn(ms: number): Promise<string | undefined> {
    const shared = this.#shared;
    if (shared === undefined) return undefined;
    // Unique among nodes and among the engines of one process.
    this.#turnPrefix ??= globalThis.crypto.randomUUID();
    const token = `${this.#turnPrefix}.${String(++this.#turns)}`;
    await shared.requestTurn(token, ms);
    try {
      for (let wait = 1; !(await shared.holdsTurn(token)); wait = Math.min(wait * 2, TURN_POLL_MAX_MS)) {
        if (this.#closed) break;
        // Until a notification (a commit, a turn given back), or the next look.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.#turnWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    } catch (error) {
      this.releaseTurn(token);
      throw error;
    }
    return token;
  }

  /** Gives the shared store's turn back (the run committed or gave up). */
  releaseTurn(token: string): void {
    this.#shared?.releaseTurn(token).catch(() => {
      // The lease ends by itself.
    });
  }

  /** True when a shared store orders the commits (several engines share it). */
  get shared(): boolean {
    return this.#shared !== undefined;
  }

  /** The visible state: the newest version the store acknowledged. */
  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** What runs start from: the visible state plus the commits the store has not acknowledged yet. */
  get head(): Snapshot {
    return this.#head;
  }

  /** Resolves once no commit is waiting for the store. */
  settled(): Promise<void> {
    return this.#tail.settled();
  }

  /** Refuses every later commit (`ENGINE_CLOSED`) and stops following other nodes. */
  close(): void {
    this.#closed = true;
    if (this.#tail instanceof SharedTail) this.#tail.close();
  }

  /**
   * Commits a candidate, or reports the conflict that prevents it: a commit made since it
   * started, or a turn held by another run on a path it writes. `owner` identifies the run (its
   * own turn never stops it). Synchronous unless a schema validates the result, so an
   * uncontended commit costs no extra turns of the event loop.
   */
  commit(candidate: Candidate, owner: symbol): CommitOutcome | Promise<CommitOutcome> {
    if (this.schema === undefined) return this.#tryCommit(candidate, owner, undefined);
    return this.#commitAsync(candidate, owner, this.schema);
  }

  async #commitAsync(candidate: Candidate, owner: symbol, schema: StandardSchemaV1): Promise<CommitOutcome> {
    for (;;) {
      const current = this.#head;
      const early = this.#precheck(candidate, owner, current);
      if (early !== undefined) return early;
      const next = this.#nextRoot(candidate, current);
      const verdict = schema['~standard'].validate(schemaView(next.root));
      const result = verdict instanceof Promise ? await verdict : verdict;
      if (result.issues !== undefined) throw schemaError(candidate.process, result.issues);
      if (this.#head === current) return this.#tryCommit(candidate, owner, next);
    }
  }

  /** Checks the timeout, conflicts, held turns and empty runs; `undefined` when the candidate may be installed. */
  #precheck(candidate: Candidate, owner: symbol, current: Snapshot): CommitOutcome | undefined {
    if (this.#closed) throw closedError(candidate.process);
    // `>=`, as the run's deadline: a run reported timed out while its schema ran never commits later.
    const limit = candidate.timeoutMs ?? this.writeTimeoutMs;
    if (Date.now() - candidate.startedAt >= limit)
      throw writeTimeoutError(candidate.process, candidate.startedAt, limit, 'before it could commit');
    const conflict = this.#findConflict(candidate, current);
    if (conflict !== undefined) return { status: 'conflict', path: conflict, currentVersion: current.version };
    if (this.turns.heldByOthers(owner)) {
      const held = this.turns.blocking(
        owner,
        candidate.attempt.patches.map((patch) => patch.path),
      );
      if (held !== undefined) return { status: 'conflict', path: held.path, currentVersion: current.version, heldBy: held.turn };
    }
    const { patches, effects } = candidate.attempt;
    if (patches.length === 0 && effects.outbox.length === 0 && effects.logs.length === 0) {
      // What it read may still be waiting for the store: its result is released with it.
      return { status: 'unchanged', version: current.version, durable: this.#tail.durableThrough(candidate.startSeq) };
    }
    return undefined;
  }

  /** Commits the candidate on the head (`next` when already computed and validated for it). */
  #tryCommit(candidate: Candidate, owner: symbol, next: NextRoot | undefined): CommitOutcome {
    const current = this.#head;
    const early = this.#precheck(candidate, owner, current);
    if (early !== undefined) return early;
    const { root, patches: written, signals } = next ?? this.#nextRoot(candidate, current);
    candidate.beforeInstall?.(root);
    // The output gate reads the caller's arguments: a getter there could have committed meanwhile.
    if (this.#head !== current) return { status: 'conflict', path: [], currentVersion: this.#head.version };
    // With a shared store, the version is the store's to assign: this one is provisional.
    const version = current.version + 1;
    // Frozen: the store, the conflict check and listeners share these objects.
    const patches = freezePatches(written);
    const snapshot: Snapshot = { version, seq: this.#seq + 1, root, signals };
    const effects = candidate.attempt.effects;
    const unit: CommitUnit = {
      record: Object.freeze({ version, process: candidate.process, args: candidate.args, patches, time: Date.now() }),
      signals: this.#publisher.latched(snapshot),
      outbox: effects.outbox.length === 0 ? NO_MESSAGES : envelopes(version, effects.outbox),
      state: root,
    };
    if (this.store.prepare !== undefined) {
      try {
        this.store.prepare(unit);
      } catch (error) {
        throw storeRefusal(this.store.kind, unit, error);
      }
    }
    const commit: PendingCommit = { unit, snapshot, before: current.root, logs: effects.logs };
    if (this.#tail instanceof SharedTail) {
      const attempt = candidate.attempt;
      const shared: SharedPending = {
        ...commit,
        seen: candidate.seen ?? this.#known,
        touched: [...attempt.readPaths, ...patches.map((patch) => patch.path)],
        presence: attempt.presenceReads,
        strict: candidate.strict,
        turn: candidate.turn,
      };
      this.#advance(snapshot, patches);
      return { status: 'committed', version, durable: this.#tail.add(shared) };
    }
    if (!this.store.groupCommits) {
      let appended: void | Promise<void>;
      try {
        appended = this.store.append([unit]);
      } catch (error) {
        throw storeRefusal(this.store.kind, unit, error);
      }
      if (appended instanceof Promise) appended.catch((error: unknown) => misbehaved(this.store.kind, error));
      this.#advance(snapshot, patches);
      this.#install(commit);
      return { status: 'committed', version, durable: undefined };
    }
    this.#advance(snapshot, patches);
    return { status: 'committed', version, durable: this.#tail.add(commit) };
  }

  /** Moves the head to `snapshot` (the next place in the sequence), which wrote `patches`. */
  #advance(snapshot: Snapshot, patches: readonly { readonly path: PathSegments }[]): void {
    this.#seq = snapshot.seq;
    this.#head = snapshot;
    this.#history.record(snapshot.seq, patches);
    if (this.#shared === undefined) this.#rememberVersion(snapshot.version, snapshot.seq);
  }

  #rememberVersion(version: number, seq: number): void {
    const versions = this.#seqByVersion;
    versions.delete(version);
    versions.set(version, seq);
    if (versions.size > REMEMBERED_VERSIONS) versions.delete(versions.keys().next().value as number);
  }

  /**
   * The store refused `commits` (the newest pending ones, each built on the ones before): the head
   * goes back to the acknowledged state, as a new place in the sequence that undid what they
   * wrote, so runs that started on them conflict where they touched it.
   */
  #undo(commits: readonly PendingCommit[]): void {
    const written: { readonly path: PathSegments }[] = [];
    for (const commit of commits) written.push(...commit.unit.record.patches);
    this.#advance({ ...this.#snapshot, seq: this.#seq + 1 }, written);
  }

  /**
   * Applies other nodes' commits (in version order, after every version this engine applied):
   * the visible state moves to each in turn (published like local commits); the head, which may
   * hold commits the store has not ordered yet, takes them as its next place in the sequence.
   */
  #applyRemote(records: readonly CommitRecord[]): boolean {
    const fresh = records.filter((record) => record.version > this.#known);
    if (fresh.length === 0) return true;
    // Every version first, so that a commit this engine cannot apply changes nothing.
    const versions: { readonly snapshot: Snapshot; readonly before: object; readonly record: CommitRecord }[] = [];
    let root = this.#snapshot.root;
    for (const record of fresh) {
      let next: object;
      try {
        next = replayCommits(root, [record]);
      } catch (error) {
        throw unreplayable(this.store.kind, record.version, error);
      }
      versions.push({ snapshot: { version: record.version, seq: this.#seq, root: next, signals: NO_SIGNALS }, before: root, record });
      root = next;
    }
    const head = this.#head;
    const pending = head !== this.#snapshot;
    let headRoot: object | undefined = root;
    if (pending) {
      try {
        headRoot = replayCommits(head.root, fresh);
      } catch {
        // A commit not yet ordered changed what these write (the store will refuse it): the head is rebuilt.
        headRoot = undefined;
      }
    }
    for (const { snapshot, before, record } of versions) {
      this.#snapshot = snapshot;
      this.#known = record.version;
      if (this.#publisher.wanted(snapshot)) {
        this.#publisher.publish({ snapshot, process: record.process, patches: record.patches, before, outbox: NO_MESSAGES, logs: NO_LOGS });
      }
    }
    const written = fresh.flatMap((record) => record.patches);
    const kept = headRoot !== undefined;
    const next: Snapshot =
      pending && kept
        ? { version: this.#snapshot.version, seq: this.#seq + 1, root: headRoot as object, signals: head.signals }
        : { ...this.#snapshot, seq: this.#seq + 1 };
    this.#advance(next, written);
    if (!pending) this.#snapshot = next;
    return kept;
  }

  /** A commit a shared store ordered as `version`: it becomes visible on top of what is. */
  #installShared(commit: SharedPending, version: number): void {
    this.#known = version;
    const provisional = commit.unit;
    const before = this.#snapshot.root;
    // Built on the visible state itself unless other nodes' commits were applied in between.
    const root = commit.before === before ? commit.snapshot.root : (applyPatches(before, provisional.record.patches) as object);
    const unit: CommitUnit = {
      ...provisional,
      record: Object.freeze({ ...provisional.record, version }),
      outbox: provisional.outbox.length === 0 ? NO_MESSAGES : envelopes(version, provisional.outbox),
    };
    const snapshot: Snapshot = { version, seq: commit.snapshot.seq, root, signals: commit.snapshot.signals };
    this.#install({ unit, snapshot, before, logs: commit.logs });
  }

  /** Makes a durable version visible: swap, then publication and outbox delivery. */
  #install(commit: PendingCommit): void {
    const { snapshot, unit } = commit;
    this.#snapshot = snapshot;
    if (this.#publisher.wanted(snapshot)) {
      this.#publisher.publish({
        snapshot,
        process: unit.record.process,
        patches: unit.record.patches,
        before: commit.before,
        outbox: unit.outbox,
        logs: commit.logs,
      });
    }
    if (unit.outbox.length > 0) this.deliver(unit.outbox);
  }

  #findConflict(candidate: Candidate, current: Snapshot): PathSegments | undefined {
    const start = candidate.startSeq;
    if (current.seq === start) return undefined;
    if (current.seq < start) return [];
    if (candidate.strict) return [];
    const attempt = candidate.attempt;
    const touched = [...attempt.readPaths, ...attempt.patches.map((p) => p.path)];
    const overlap = this.#history.firstOverlap(start, current.seq, touched);
    if (overlap !== undefined || attempt.presenceReads.length === 0) return overlap;
    return this.#history.firstCovering(start, current.seq, attempt.presenceReads);
  }

  /** The root to install: the candidate's writes on the current root, with stale signals cleared. */
  #nextRoot(candidate: Candidate, current: Snapshot): NextRoot {
    const written = candidate.attempt.patches;
    let root = candidate.baseSeq === current.seq ? candidate.attempt.root : (applyPatches(current.root, written) as object);
    // Most commits set no signal and clear none: they share one empty map and their own patch list.
    let signals: Map<string, { path: PathSegments; payload: unknown }> | undefined;
    for (let i = 0; i < written.length; i++) {
      const patch = written[i] as Patch;
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
    if (current.signals.size > 0)
      for (const [topic, { path }] of current.signals) {
        if (signals?.has(topic) === true || getIn(root, path) === undefined) continue;
        if (written.some((p) => p.path.length >= path.length && path.every((s, i) => String(s) === String(p.path[i])))) continue;
        (clears ??= []).push({ op: 'remove', path });
      }
    if (clears === undefined) return { root, patches: written, signals: signals ?? NO_SIGNALS };
    root = applyPatches(root, clears) as object;
    return { root, patches: [...written, ...clears], signals: signals ?? NO_SIGNALS };
  }

  /** The signals latched by the current version as a frozen record (topic → payload), built once per version. */
  latchedSignals(): Readonly<Record<string, unknown>> {
    return this.#publisher.latched(this.#snapshot);
  }
}

/** The signals of a version that set none (never mutated). */
const NO_SIGNALS: Snapshot['signals'] = new Map();
const NO_MESSAGES: readonly OutboxEnvelope[] = Object.freeze([]);
const NO_LOGS: readonly string[] = Object.freeze([]);
/** The longest pause between two looks at whether a queued run holds the shared store's turn. */
const TURN_POLL_MAX_MS = 50;
/** How many versions compare-and-swap can start from (older ones conflict). */
const REMEMBERED_VERSIONS = 4096;

/** A commit's outbox messages as stored and delivered: ids `v<version>.<index>`, frozen. */
function envelopes(version: number, messages: readonly { readonly topic: string; readonly payload: unknown }[]): readonly OutboxEnvelope[] {
  return Object.freeze(
    messages.map((message, index) =>
      Object.freeze({ id: `v${String(version)}.${String(index)}`, topic: message.topic, payload: message.payload, version, attempts: 0 }),
    ),
  );
}

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

/** The error of another node's commit that this engine cannot apply to its state (`STORE_CORRUPT`). */
function unreplayable(store: string, version: number, cause: unknown): StoreError {
  return new StoreError(
    'STORE_CORRUPT',
    `The ${store} store holds a commit (version ${String(version)}) that Theus cannot apply (${cause instanceof Error ? cause.message : String(cause)}); this engine stays at the version before it. Restore the store from a backup.`,
    { details: { store, version }, cause },
  );
}

/** Reports a store that returned a promise although it said it appends synchronously. */
function misbehaved(store: string, error: unknown): void {
  console.error(
    `theus: the ${store} store appends asynchronously but says groupCommits: false, so a failed append cannot fail its run; set groupCommits: true.`,
    error,
  );
}

/** The error of a commit attempted after `engine.close()`. */
function closedError(process: string): TheusError {
  return new TheusError(
    'ENGINE_CLOSED',
    `Process '${process}' tried to commit after the engine was closed; nothing was committed. Finish work before engine.close(), or create a new Engine.`,
    { details: { process } },
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
