/**
 * The one interface every store implements (memory, SQLite, PostgreSQL), and the units the
 * engine hands it. See `docs/design/commit-path.md` for the commit path built on it.
 *
 * @packageDocumentation
 */
import type { HistoryQuery } from '../engine/history-query.js';
import type { Patch } from '../transaction/patches.js';
import type { PathSegments } from '../context/paths.js';

/** One committed change as a store keeps it and `engine.history()` lists it. Frozen. */
export interface CommitRecord {
  readonly version: number;
  readonly process: string;
  /**
   * The arguments the run received, as a deeply frozen copy made at commit (`undefined` for none,
   * and for admin edits; see `engine.history()` for arguments outside the value model).
   */
  readonly args: unknown;
  readonly patches: readonly Patch[];
  /** When the commit was made (milliseconds since the epoch, the committing node's clock). */
  readonly time: number;
}

/** An outbox message as it is stored and handed to its handler. Frozen. */
export interface OutboxEnvelope {
  /**
   * Stable across retries and restarts and never reused: the version of the commit that added
   * the message and its index among that commit's messages (`v42.0`). Use it to make handlers
   * idempotent.
   */
  readonly id: string;
  readonly topic: string;
  /** The payload given to `ctx.outbox.add`, a deeply frozen value of the value model. */
  readonly payload: unknown;
  /** The version of the commit that added the message. */
  readonly version: number;
  /** Delivery attempts made before this one (0 on the first delivery). */
  readonly attempts: number;
}

/** An undelivered message as the outbox ledger knows it. Frozen. */
export interface OutboxEntry extends OutboxEnvelope {
  /** `pending`: will be delivered (again); `dead`: gave up after `maxAttempts`, until `retry(id)`. */
  readonly status: 'pending' | 'dead';
  /** Why the last attempt failed (the handler's error message, or its timeout). */
  readonly lastError: string | undefined;
  /** The earliest time of the next attempt (milliseconds since the epoch; 0 for at once). */
  readonly nextAttemptAt: number;
}

/**
 * One commit as a unit: the store makes all of it durable, or none of it. `outbox` messages
 * exist if and only if the commit does (their first attempt is still to come).
 */
export interface CommitUnit {
  readonly record: CommitRecord;
  /** The signals the commit latched (topic → payload). */
  readonly signals: Readonly<Record<string, unknown>>;
  readonly outbox: readonly OutboxEnvelope[];
  /**
   * The state the commit produced: deeply frozen, sharing structure with its neighbours, and
   * possibly holding record facades (`toPlain` turns it into plain data). A store may keep it to
   * answer {@link Store.stateAt}, or serialize it as a snapshot.
   */
  readonly state: object;
  /** What a shared store checks the commit against (set for {@link SharedLog.commit} only). */
  readonly check?: CommitCheck;
}

/**
 * What a shared store needs to decide, in the database, whether a commit conflicts with commits
 * the committing node has not seen. The engine has already checked it against every commit it
 * applied locally; the store checks it against the commits after {@link CommitCheck.seen}.
 */
export interface CommitCheck {
  /** The newest version of the shared log the engine had applied when it checked the commit. */
  readonly seen: number;
  /** The paths the run read or wrote: a later commit that wrote an equal, ancestor or descendant path conflicts. */
  readonly touched: readonly PathSegments[];
  /** The paths whose presence (not content) the run observed: a later write at or above one conflicts. */
  readonly presence: readonly PathSegments[];
  /** Any later commit conflicts (`strictCas`). */
  readonly strict: boolean;
  /** The token of the run's place in the queue for the turn ({@link SharedLog.requestTurn}), when it has one. */
  readonly turn?: string;
}

/** What {@link SharedLog.commit} did with a group of units. */
export interface SharedCommitResult {
  /** The versions assigned to the units accepted: the first `versions.length` units, consecutive. */
  readonly versions: readonly number[];
  /**
   * The other nodes' commits after the `known` version given that come before the accepted units
   * (all of them up to the head when none was accepted), in version order, patches decoded.
   */
  readonly remote: readonly CommitRecord[];
  /**
   * The first unit refused because it conflicts with a commit after its `seen` version, and the
   * path it conflicted on (`[]` for a strict check); the units after it were not attempted.
   */
  readonly conflict?: { readonly index: number; readonly path: PathSegments };
  /**
   * Nothing was appended because a run of another node holds the turn: the engine sends the
   * group again shortly (after applying `remote`).
   */
  readonly waiting?: boolean;
}

/**
 * The part of a store that several engines ("nodes", in one process or many machines) share:
 * the store orders their commits, assigns versions and decides conflicts with other nodes'
 * commits itself (`docs/design/postgres-store.md`). An engine on a store with `shared` calls
 * these instead of {@link Store.open}, {@link Store.seed} and {@link Store.append}.
 */
export interface SharedLog {
  /**
   * Opens the store: creates its tables on first use and seeds it with `initial` (version 0) when
   * it is empty; when another node seeded it first, its contents win. Resolves to the contents to
   * restore (the undelivered outbox messages are then ready in {@link OutboxLedger.undelivered}).
   *
   * @throws StoreError when the store cannot be opened.
   */
  open(initial: object): Promise<StoreContents>;
  /**
   * Commits `units` in order, each checked against the commits after its `check.seen` version,
   * until one conflicts: the accepted ones get the next versions and are durable when this
   * resolves. `known` is the newest version the engine has applied.
   *
   * @throws StoreError when nothing could be written (connection lost, transaction killed):
   *   then none of the units was committed.
   */
  commit(units: readonly CommitUnit[], known: number): Promise<SharedCommitResult>;
  /** The commits after `version`, in version order, patches decoded (at most `limit`). */
  since(version: number, limit: number): Promise<readonly CommitRecord[]>;
  /** Calls `listener` whenever other nodes may have committed (a notification, a reconnect). */
  watch(listener: () => void): void;
  /**
   * Queues a run that kept losing to other nodes' commits (`conflict.vipAfter` times) for the
   * turn, first come, first served, for a lease of `ms` milliseconds. While it holds the turn,
   * groups without a commit carrying `token` wait (`waiting`); accepting such a commit ends it.
   */
  requestTurn(token: string, ms: number): Promise<void>;
  /** True once the run of `token` holds the turn (it is the first live one in the queue). */
  holdsTurn(token: string): Promise<boolean>;
  /** Leaves the queue (the run committed or gave up); nothing when `token` is not in it. */
  releaseTurn(token: string): Promise<void>;
  /** Closes connections and listeners; called once, after the last commit settled. */
  close(): Promise<void>;
}

/** What a store holds when it is opened: a base state and the commits after it, to replay. */
export interface StoreContents {
  /** The version of `state` (the newest snapshot, or the seed). */
  readonly version: number;
  /** The state at `version`: plain data (the engine seals it). */
  readonly state: object;
  /**
   * The commits after `version`, in version order without gaps, to replay onto `state`. Iterated
   * once, right away; it may be lazy (a store reading its log while the engine replays it, so a
   * long log never sits in memory whole) and may throw `StoreError` while iterated.
   */
  readonly tail: Iterable<CommitRecord>;
}

/**
 * The outbox ledger of a store: what happens to messages after their commit. The messages
 * themselves arrive with their commit unit ({@link Store.append}). The methods called during
 * delivery may return promises (a store on a server); the engine awaits them.
 */
export interface OutboxLedger {
  /** The undelivered messages (pending and dead), in commit order: read once, right after {@link Store.open}. */
  undelivered(): readonly OutboxEntry[];
  /** The handler of `id` succeeded: the message is done and is forgotten. */
  delivered(id: string): void | Promise<void>;
  /** An attempt failed: record it; `dead` moves the message to the dead letters. */
  failed(id: string, failure: OutboxFailure): void | Promise<void>;
  /** `engine.outbox.retry(id)`: a dead letter becomes pending again with no attempts; false for an unknown id. */
  revive(id: string): boolean | Promise<boolean>;
  /**
   * Optional (a store shared by several nodes): claims `id` for one attempt by this node, for a
   * lease; false when another node holds it or it was delivered. The dispatcher claims before
   * every attempt and forgets a message it could not claim.
   */
  claim?(id: string): Promise<boolean>;
}

/** What {@link OutboxLedger.failed} records about one failed attempt. */
export interface OutboxFailure {
  /** Attempts made so far, this one included. */
  readonly attempts: number;
  readonly error: string;
  readonly dead: boolean;
  /** The earliest time of the next attempt (ignored for a dead message). */
  readonly nextAttemptAt: number;
}

/**
 * Where an engine keeps its commit log. The engine calls {@link Store.open} once, then
 * {@link Store.seed} if the store was empty, then {@link Store.append} for every commit in version
 * order, and {@link Store.close} last. A store never sees a version twice unless the first append
 * of it failed (the engine then re-assigns that version to a later commit).
 */
export interface Store {
  /** A short name for messages (`memory`, `sqlite`, ...). */
  readonly kind: string;
  /**
   * True when appends are expensive (a durable store): the engine then resolves each run only
   * once its commit's append returned (or its promise resolved), and groups the commits of one
   * turn of the event loop, and those made while an append is in flight, into one append. False
   * for stores that keep commits in memory: the engine appends each commit at once.
   */
  readonly groupCommits: boolean;
  /**
   * Opens the store: its contents, or `undefined` for an empty store (the engine then seeds it).
   *
   * @throws StoreError when the store cannot be opened or holds something it cannot read (never
   *   `undefined` for a store that holds anything).
   */
  open(): StoreContents | undefined;
  /** Records the initial state of an empty store (version 0, the `context` option). */
  seed(state: object, version: number): void;
  /**
   * Optional: checks a unit the moment it is committed, before it is ordered behind others (a
   * store that encodes commits does it here, and may keep the encoding for {@link Store.append}).
   * Throwing `StoreError` fails that run alone, with nothing committed; without this check a unit
   * the store cannot write would fail its whole group in `append`.
   */
  prepare?(unit: CommitUnit): void;
  /**
   * Makes the units durable, all or none, in the given order (consecutive versions following the
   * last acknowledged one). Returns when they are, or a promise of it; throws or
   * rejects with `StoreError` when they could not be written, leaving none of them stored.
   */
  append(units: readonly CommitUnit[]): void | Promise<void>;
  /** The commits the store retains that `query` selects, oldest first. */
  history(query: HistoryQuery): readonly CommitRecord[];
  /** The oldest version {@link Store.stateAt} can rebuild (the versions from it to the newest are retained). */
  oldestVersion(): number;
  /**
   * The state at `version` (deeply frozen, sealed), or `undefined` when the store does not retain
   * it. `replay` applies commits to a state the way the engine does (stores that keep only a
   * snapshot and the log use it).
   */
  stateAt(version: number, replay: Replay): object | undefined;
  /** The outbox ledger. */
  readonly outbox: OutboxLedger;
  /** Releases resources; called once, after the last append settled. */
  close(): void;
  /** Set by a store several engines share: the engine then commits through it (see {@link SharedLog}). */
  readonly shared?: SharedLog;
}

/** Replays commits onto a state: seals plain data and applies the patches in order (iterating `records` once). */
export type Replay = (state: object, records: Iterable<CommitRecord>) => object;
