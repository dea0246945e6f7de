import { WriteTimeoutError } from '../errors/index.js';

/** What a run that is not waiting is doing, for the error (never shown: it only waits through `wait`). */
const NOTHING = (): string => '';

/**
 * The write timeout of one run: everything the run awaits (its process, back-off sleeps, its turn
 * in the queue, an asynchronous schema) goes through {@link RunDeadline.wait}, which rejects with
 * `WriteTimeoutError` once `limitMs` have passed since the run started, whether or not what it
 * awaited ever settles. A run that never awaits costs no timer; the others share their engine's
 * {@link DeadlineWatch}.
 */
export class RunDeadline {
  readonly expiresAt: number;
  #fail: ((error: unknown) => void) | undefined;
  #when: () => string = NOTHING;
  #watched = false;
  /** @internal True once the run ended (set by {@link RunDeadline.dispose}). */
  done = false;

  constructor(
    readonly watch: DeadlineWatch,
    readonly process: string,
    readonly startedAt: number,
    readonly limitMs: number,
  ) {
    this.expiresAt = startedAt + limitMs;
  }

  /**
   * Resolves or rejects as `promise` does, or rejects with `WriteTimeoutError` at the deadline;
   * `when` says what the run was doing (built only for the error).
   */
  wait<T>(promise: PromiseLike<T>, when: () => string): Promise<T> {
    if (!this.#watch(when)) {
      // What was awaited may still settle (or reject) later: it is observed, and ignored.
      promise.then(undefined, () => undefined);
      return Promise.reject(this.#error(when()));
    }
    return new Promise<T>((resolve, reject) => {
      this.#fail = reject;
      promise.then(
        (value) => {
          this.#fail = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#fail = undefined;
          // What the process threw, passed on unchanged (an Error in every Theus path).
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(error);
        },
      );
    });
  }

  /** Waits until `subscribe` calls back (once), or rejects with `WriteTimeoutError` at the deadline. */
  until(subscribe: (done: () => void) => void, when: () => string): Promise<void> {
    if (!this.#watch(when)) return Promise.reject(this.#error(when()));
    return new Promise<void>((resolve, reject) => {
      this.#fail = reject;
      subscribe(() => {
        this.#fail = undefined;
        resolve();
      });
    });
  }

  /** Sleeps `ms` milliseconds, cut short (with `WriteTimeoutError`) by the deadline. */
  sleep(ms: number, when: () => string): Promise<void> {
    const left = this.expiresAt - Date.now();
    return this.wait(new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, left + 1)))), when);
  }

  /** Starts watching (once) and records what the run waits for; false when the deadline has passed. */
  #watch(when: () => string): boolean {
    if (Date.now() >= this.expiresAt) return false;
    if (!this.#watched) {
      this.#watched = true;
      this.watch.add(this);
    }
    this.#when = when;
    return true;
  }

  /** Ends the run's watch. */
  dispose(): void {
    this.#fail = undefined;
    if (this.done) return;
    this.done = true;
    if (this.#watched) this.watch.remove();
  }

  /** @internal Called by the watch at the deadline: fails the current wait, if any. */
  expire(): void {
    const fail = this.#fail;
    this.#fail = undefined;
    fail?.(this.#error(this.#when()));
  }

  #error(when: string): WriteTimeoutError {
    return writeTimeoutError(this.process, this.startedAt, this.limitMs, when);
  }
}

/**
 * One timer for all the waiting runs of an engine. Deadlines are watched in the order runs first
 * wait, which is the order they expire in (every run of an engine has the same limit), so the
 * timer is armed for the oldest one only. A timer per run would cost a timer-list insert and
 * removal on every run.
 */
export class DeadlineWatch {
  #queue: RunDeadline[] = [];
  #head = 0;
  #live = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = 0;

  /** @internal Watches a deadline until its run ends. */
  add(deadline: RunDeadline): void {
    this.#queue.push(deadline);
    if (this.#live++ === 0) holdOpen(this.#timer, true);
    if (this.#timer === undefined || this.#armedFor > deadline.expiresAt) this.#arm(deadline.expiresAt);
  }

  /** @internal One watched run ended. */
  remove(): void {
    const queue = this.#queue;
    if (--this.#live === 0) {
      // Keep the timer (re-arming costs more than a stale wake-up), but let the process exit.
      this.#queue = [];
      this.#head = 0;
      holdOpen(this.#timer, false);
      return;
    }
    while (this.#head < queue.length && (queue[this.#head] as RunDeadline).done) this.#head++;
    if (queue.length - this.#head > 2 * this.#live + 1024) {
      this.#queue = queue.slice(this.#head).filter((deadline) => !deadline.done);
      this.#head = 0;
    }
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - Date.now()));
    if (this.#live === 0) holdOpen(this.#timer, false);
  }

  #fire(): void {
    this.#timer = undefined;
    const now = Date.now();
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const deadline = queue[this.#head] as RunDeadline;
      if (!deadline.done) {
        if (deadline.expiresAt > now) {
          this.#arm(deadline.expiresAt);
          return;
        }
        deadline.expire();
      }
      this.#head++;
    }
  }
}

/** Lets a pending timer keep the process alive, or not (Node timers; a no-op where timers are plain numbers). */
function holdOpen(timer: unknown, hold: boolean): void {
  if (typeof timer !== 'object' || timer === null) return;
  const handle = timer as { ref?: () => void; unref?: () => void };
  if (hold) handle.ref?.();
  else handle.unref?.();
}

/** The error of a run that outlived the write timeout; `when` says what it was doing. */
export function writeTimeoutError(process: string, startedAt: number, limitMs: number, when: string): WriteTimeoutError {
  const elapsed = Date.now() - startedAt;
  return new WriteTimeoutError(
    'TX_WRITE_TIMEOUT',
    `Process '${process}' timed out after ${elapsed} ms ${when} (limit ${limitMs} ms): make the process settle sooner, reduce contention on its paths, or raise conflict.writeTimeoutMs. Nothing of this run was committed.`,
    { details: { process, elapsedMs: elapsed, limitMs } },
  );
}
