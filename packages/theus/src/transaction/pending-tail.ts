import { StoreError, type TheusErrorCode } from '../errors/index.js';
import type { CommitUnit, Store } from '../store/store.js';
import type { Snapshot } from './snapshot.js';

/** A checked, ordered commit waiting for its store. */
export interface PendingCommit {
  readonly unit: CommitUnit;
  /** The version as it will be installed. */
  readonly snapshot: Snapshot;
  /** The root it was built on (for inverse patches). */
  readonly before: object;
  readonly logs: readonly string[];
}

/** What the tail tells the committer. */
export interface TailHooks {
  /** `commit` is durable: make it visible (called in version order, before its run resolves). */
  acknowledged(commit: PendingCommit): void;
  /** The store refused `commits` (the newest ones): none of them happened. */
  refused(commits: readonly PendingCommit[]): void;
}

interface Waiting {
  readonly commit: PendingCommit;
  readonly durable: Promise<void>;
  resolve(): void;
  reject(error: StoreError): void;
}

/**
 * Runs a callback on a later turn of the event loop (after the current turn's I/O callbacks and
 * promise reactions), so that the commits of one turn are appended together.
 */
export const later: (callback: () => void) => void =
  typeof globalThis.setImmediate === 'function' ? (callback) => setImmediate(callback) : (callback) => setTimeout(callback, 0);

/**
 * The commits a grouping store has not acknowledged yet, in version order, and their group
 * commit: the first commit after a quiet spell schedules an append on the next turn of the event
 * loop; every commit made until then goes into it, and those made while it is in flight go into
 * the next one, appended as soon as it returns. One append is in flight at a time, so the store
 * sees versions in order, and a refused append fails its commits and all queued after them
 * (each was built on the ones before) before any later version reaches the store.
 */
export class PendingTail {
  #waiting: Waiting[] = [];
  /** How many of the first waiting commits are in the append in flight. */
  #sent = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly hooks: TailHooks,
  ) {}

  /** Queues a commit; the promise settles once its append did. */
  add(commit: PendingCommit): Promise<void> {
    let resolve!: () => void;
    let reject!: (error: StoreError) => void;
    const durable = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    this.#waiting.push({ commit, durable, resolve, reject });
    if (!this.#scheduled && this.#sent === 0) {
      this.#scheduled = true;
      later(() => this.#flush());
    }
    return durable;
  }

  /** Settles once every commit up to `seq` (see `Snapshot.seq`) is durable; `undefined` when they are. */
  durableThrough(seq: number): Promise<void> | undefined {
    return lastUpTo(this.#waiting, seq)?.durable;
  }

  /** Resolves once nothing is waiting for the store. */
  settled(): Promise<void> {
    if (this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#waiting;
    if (batch.length === 0) return;
    this.#sent = batch.length;
    let appended: void | Promise<void>;
    try {
      appended = this.store.append(batch.map((waiting) => waiting.commit.unit));
    } catch (error) {
      this.#refuse(error);
      return;
    }
    if (appended instanceof Promise) {
      appended.then(
        () => this.#acknowledge(),
        (error: unknown) => this.#refuse(error),
      );
    } else this.#acknowledge();
  }

  #acknowledge(): void {
    const done = this.#waiting.splice(0, this.#sent);
    this.#sent = 0;
    for (const waiting of done) {
      this.hooks.acknowledged(waiting.commit);
      waiting.resolve();
    }
    // Commits made while the append was in flight have waited long enough: append them now.
    if (this.#waiting.length > 0) this.#flush();
    else this.#wake();
  }

  #refuse(error: unknown): void {
    const failed = this.#waiting;
    const sent = this.#sent;
    this.#waiting = [];
    this.#sent = 0;
    const first = (failed[0] as Waiting).commit.unit.record.version;
    this.hooks.refused(failed.map((waiting) => waiting.commit));
    for (let i = 0; i < failed.length; i++) {
      const waiting = failed[i] as Waiting;
      waiting.reject(storeRefusal(this.store.kind, waiting.commit.unit, error, i < sent ? undefined : first));
    }
    this.#wake();
  }

  #wake(): void {
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }
}

/** The last of `waiting` (in sequence order) whose commit is at or before `seq` in the sequence. */
export function lastUpTo<T extends { readonly commit: PendingCommit }>(waiting: readonly T[], seq: number): T | undefined {
  for (let i = waiting.length - 1; i >= 0; i--) {
    const entry = waiting[i] as T;
    if (entry.commit.snapshot.seq <= seq) return entry;
  }
  return undefined;
}

/** The error of a run whose commit the store refused (or that followed a refused commit, `after`). */
export function storeRefusal(store: string, unit: CommitUnit, cause: unknown, after?: number): StoreError {
  const { process, version } = unit.record;
  const code: TheusErrorCode = cause instanceof StoreError ? cause.code : 'STORE_WRITE_FAILED';
  const why =
    after === undefined
      ? `the ${store} store could not write it (${cause instanceof Error ? cause.message : String(cause)})`
      : `the ${store} store could not write version ${String(after)}, which it was built on`;
  return new StoreError(
    code,
    `Process '${process}' did not commit: ${why}. Nothing of it was stored or became visible; the state is unchanged. ${after === undefined ? 'Fix the store (disk space, permissions) and run it again.' : 'Run it again.'}`,
    { details: { process, version, store, ...(after === undefined ? {} : { after }) }, cause },
  );
}
