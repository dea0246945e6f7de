/**
 * The one interface every store implements (memory, SQLite, PostgreSQL), and the units the
 * engine hands it. See `docs/design/commit-path.md` for the commit path built on it.
 *
 * @packageDocumentation
 */
import type { HistoryQuery } from '../engine/history-query.js';
import type { Patch } from '../transaction/patches.js';

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
}

/** Replays commits onto a state: seals plain data and applies the patches in order (iterating `records` once). */
export type Replay = (state: object, records: Iterable<CommitRecord>) => object;
