import type { PathSegments } from '../context/paths.js';
import { StoreError } from '../errors/index.js';
import type { CommitRecord, CommitUnit, SharedCommitResult, SharedLog } from '../store/store.js';
import { lastUpTo, later, storeRefusal, type PendingCommit } from './pending-tail.js';

/** A commit waiting for a shared store, with what the store checks it against. */
export interface SharedPending extends PendingCommit {
  /** The newest version of the shared log the engine had applied when it last checked the commit. */
  seen: number;
  readonly touched: readonly PathSegments[];
  readonly presence: readonly PathSegments[];
  readonly strict: boolean;
  /** The token of the store's turn the run holds, when it holds it. */
  readonly turn: string | undefined;
}

/** What the shared tail tells the committer. */
export interface SharedHooks {
  /** The newest version of the shared log the engine has applied. */
  known(): number;
  /**
   * Other nodes' commits, in version order: apply them (the visible state and the head). False
   * when the head, which holds commits the store has not ordered, could not take them (those
   * commits conflict with them: the tail refuses them).
   *
   * @throws StoreError `STORE_CORRUPT` when the commits cannot be applied at all (nothing is).
   */
  applyRemote(records: readonly CommitRecord[]): boolean;
  /** `commit` is durable as `version`: make it visible (in version order, before its run resolves). */
  acknowledged(commit: SharedPending, version: number): void;
  /** The commits the store did not take (a conflict or a failure): none of them happened. */
  refused(commits: readonly SharedPending[]): void;
  /** Where a queued commit overlaps `records` (checked locally once they are applied), or `undefined`. */
  overlap(commit: SharedPending, records: readonly CommitRecord[]): PathSegments | undefined;
}

/**
 * A run whose commit a shared store refused because another node's commit changed what it
 * touched: the run is rolled back and re-run on a fresh snapshot, like a local conflict.
 */
export class SharedConflict extends Error {
  constructor(readonly path: PathSegments) {
    super('conflict with a commit of another node');
  }
}

interface Waiting {
  readonly commit: SharedPending;
  readonly durable: Promise<number>;
  resolve(version: number): void;
  reject(error: Error): void;
}

/** How many commits one catch-up reads at most (it reads again while there are more). */
const CATCH_UP_BATCH = 1000;
/** How long to wait before reading the log again after a read failed. */
const CATCH_UP_RETRY_MS = 500;
/**
 * How long a group waits at most before it is sent again while another node's run holds the
 * turn; a notification (the holder's commit moved the head, or it gave the turn back) sends it
 * again at once.
 */
const TURN_WAIT_MS = 20;

/**
 * The commits a shared store has not ordered yet, and the node's catching up with the others.
 * Like the pending tail, commits of one turn of the event loop (and those made while a group is
 * in flight) go to the store as one group, one group at a time; the store checks each against
 * the commits the node has not seen, orders the accepted ones after everyone's, and answers with
 * the versions it gave them and the other nodes' commits before them, which are applied first.
 * A conflict refuses that commit and every other one still waiting (the head is rebuilt on the
 * visible state, which holds none of them): their runs re-run. A group the store made wait (a run
 * of another node holds the turn) goes again on the next notification or local commit. When
 * nothing waits, a notification from the store makes the node read the log after its newest
 * version.
 */
export class SharedTail {
  #waiting: Waiting[] = [];
  #busy = false;
  #scheduled = false;
  #catchUp = false;
  #closed = false;
  #idle: (() => void)[] = [];
  /** Sends a group the store made wait for another node's turn again (set while it waits). */
  #resend: (() => void) | undefined;

  constructor(
    private readonly log: SharedLog,
    private readonly kind: string,
    private readonly hooks: SharedHooks,
  ) {}

  /** Queues a commit; the promise resolves to the version the store gave it (or rejects: refused). */
  add(commit: SharedPending): Promise<number> {
    let resolve!: (version: number) => void;
    let reject!: (error: Error) => void;
    const durable = new Promise<number>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    this.#waiting.push({ commit, durable, resolve, reject });
    // A group waiting for another node's turn goes again with it: it may be the commit of the run that holds the turn.
    if (this.#resend !== undefined) this.#resend();
    else this.#schedule();
    return durable;
  }

  /** Settles once every commit up to `seq` is durable; `undefined` when they are. */
  durableThrough(seq: number): Promise<number> | undefined {
    return lastUpTo(this.#waiting, seq)?.durable;
  }

  /** Resolves once nothing is waiting for the store. */
  settled(): Promise<void> {
    if (this.#waiting.length === 0 && !this.#busy) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Other nodes may have committed: read the log once nothing else is in flight. */
  requestCatchUp(): void {
    if (this.#closed) return;
    this.#catchUp = true;
    const resend = this.#resend;
    if (resend !== undefined) resend();
    else this.#schedule();
  }

  /** Stops catching up (the engine is closing). */
  close(): void {
    this.#closed = true;
    this.#catchUp = false;
  }

  #schedule(): void {
    if (this.#scheduled || this.#busy) return;
    this.#scheduled = true;
    later(() => {
      this.#scheduled = false;
      this.#next();
    });
  }

  #next(): void {
    if (this.#busy) return;
    if (this.#waiting.length > 0) this.#send();
    else if (this.#catchUp) this.#read();
    else this.#wake();
  }

  #send(): void {
    const batch = this.#waiting.slice();
    const units = batch.map(({ commit }) => unitOf(commit));
    const sent = this.hooks.known();
    this.#busy = true;
    // A group's answer brings every commit before it: no separate read is needed.
    this.#catchUp = false;
    this.log.commit(units, sent).then(
      (result) => {
        try {
          this.#settle(batch, result, sent);
        } catch (error) {
          // The answer cannot be applied (the log holds what this engine cannot replay): its runs fail.
          this.#fail(error);
          this.#busy = false;
          this.#next();
          return;
        }
        if (result.waiting === true) {
          // Another node's run holds the turn: send again on the next notification, or shortly (commits made meanwhile join the group).
          const resend = (): void => {
            clearTimeout(timer);
            this.#resend = undefined;
            this.#busy = false;
            this.#next();
          };
          const timer = setTimeout(resend, TURN_WAIT_MS);
          this.#resend = resend;
          return;
        }
        this.#busy = false;
        this.#next();
      },
      (error: unknown) => {
        this.#busy = false;
        this.#fail(error);
        // The group may have been written before the connection dropped: read the log to know.
        this.requestCatchUp();
        this.#next();
      },
    );
  }

  /** Applies the answer to a group sent when the engine had applied the log up to `sent`. */
  #settle(batch: readonly Waiting[], result: SharedCommitResult, sent: number): void {
    const headKept = this.hooks.applyRemote(result.remote);
    const accepted = result.versions.length;
    for (let i = 0; i < accepted; i++) {
      const entry = batch[i] as Waiting;
      const version = result.versions[i] as number;
      this.hooks.acknowledged(entry.commit, version);
      entry.resolve(version);
    }
    this.#waiting.splice(0, accepted);
    if (result.conflict !== undefined || !headKept) {
      this.#refuseAll(result.conflict?.path ?? []);
      return;
    }
    // The commits still waiting (queued while the group was in flight, or the group itself when
    // the store made it wait) were checked before the other nodes' commits of the answer arrived:
    // check them against those now, so the store need only check what comes later.
    const known = this.hooks.known();
    const waiting = this.#waiting;
    for (let i = 0; i < waiting.length; i++) {
      const commit = (waiting[i] as Waiting).commit;
      const path = result.remote.length === 0 ? undefined : this.hooks.overlap(commit, result.remote);
      if (path !== undefined) {
        // All of them, not only this one and those after it: the head is rebuilt on the visible
        // state, which holds none of them (a commit kept would be lost under the new head).
        this.#refuseAll(path);
        return;
      }
      // Only a commit checked up to `sent` is now checked up to `known`; one from before a catch-up read is left to the store.
      if (commit.seen >= sent) commit.seen = known;
    }
  }

  /**
   * Refuses every waiting commit as a conflict on `path` (their runs re-run); the head is rebuilt
   * on the visible state (also when none is waiting). Always all of them: the rebuilt head holds
   * none, so a commit kept would be lost under the commits built on the new head.
   */
  #refuseAll(path: PathSegments): void {
    const refused = this.#waiting;
    this.#waiting = [];
    this.hooks.refused(refused.map((entry) => entry.commit));
    for (const entry of refused) entry.reject(new SharedConflict(path));
  }

  #fail(cause: unknown): void {
    const failed = this.#waiting;
    this.#waiting = [];
    if (failed.length === 0) return;
    this.hooks.refused(failed.map((entry) => entry.commit));
    const first = (failed[0] as Waiting).commit.unit.record.version;
    for (let i = 0; i < failed.length; i++) {
      const entry = failed[i] as Waiting;
      entry.reject(storeRefusal(this.kind, entry.commit.unit, cause, i === 0 ? undefined : first));
    }
  }

  #read(): void {
    this.#catchUp = false;
    this.#busy = true;
    this.log.since(this.hooks.known(), CATCH_UP_BATCH).then(
      (records) => {
        this.#busy = false;
        try {
          // Commits made during the read, which the head holds, may not take them: they are refused.
          if (!this.#closed && !this.hooks.applyRemote(records)) this.#refuseAll([]);
          if (records.length === CATCH_UP_BATCH) this.#catchUp = true;
        } catch (error) {
          // The log holds what this engine cannot replay: its state stays where it is.
          console.error('theus: the shared log holds a commit this engine cannot apply; it stays at its version.', error);
        }
        this.#next();
      },
      (error: unknown) => {
        this.#busy = false;
        if (!this.#closed) {
          const retry: unknown = setTimeout(() => this.requestCatchUp(), CATCH_UP_RETRY_MS);
          // On Node, a retry alone does not keep the process alive.
          if (typeof retry === 'object' && retry !== null && 'unref' in retry) (retry as { unref(): void }).unref();
          if (!(error instanceof StoreError)) console.error('theus: reading the shared log failed; retrying.', error);
        }
        this.#next();
      },
    );
  }

  #wake(): void {
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }
}

/** The unit a shared store receives: the commit with what to check it against. */
function unitOf(commit: SharedPending): CommitUnit {
  return {
    ...commit.unit,
    check: Object.freeze({
      seen: commit.seen,
      touched: commit.touched,
      presence: commit.presence,
      strict: commit.strict,
      ...(commit.turn === undefined ? {} : { turn: commit.turn }),
    }),
  };
}
