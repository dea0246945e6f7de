import { ConflictError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import type { Turn } from '../transaction/path-turns.js';

/** One run of an engine, as seen by the runs it starts. */
export interface RunFrame {
  readonly owner: symbol;
  readonly process: string;
  /** The held run whose attempt started this one, when nesting is tracked. */
  readonly parent: RunFrame | undefined;
  /** The run's turn in the queue, once it queued. */
  turn: Turn | undefined;
  /** Whether its running held attempt is tracked (runs it starts know it as their parent). */
  tracked: boolean;
  /** When its running held attempt started. */
  attemptStartedAt: number;
}

interface LocalStorage<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
  disable(): void;
}

/**
 * Keeps a run nested in a turn holder (a process awaiting `engine.execute` of a process that
 * writes what the holder touched) from waiting for that holder, which is waiting for it.
 *
 * Precise detection needs Node's `AsyncLocalStorage` (reached without a static import, so the
 * core entry stays free of Node modules), which on Node 20 slows every promise of the process
 * while it is enabled. So held attempts start untracked. If one of them runs for `stallMs` while
 * other runs wait for its turn, `onStall` revokes that turn (the waiters proceed; the holder's
 * attempt will conflict and run again) and tracking starts: from then on held attempts run
 * inside the storage, a nested run knows its parent, and it fails at once with `TX_CONFLICT`
 * instead of waiting. Tracking stops once no run has held or waited for a turn for `relaxMs`.
 * A slow holder may thus repeat one attempt per contention episode. The timing never fails a
 * run: it only decides when tracking starts, so how soon a nested run gets its answer.
 */
export class RunNesting {
  #storage: LocalStorage<RunFrame> | undefined | null = null;
  #tracking = false;
  #active = 0;
  readonly #untracked = new Set<RunFrame>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #relaxTimer: ReturnType<typeof setTimeout> | undefined;
  #busySinceCheck = false;

  constructor(
    readonly stallMs: number,
    readonly relaxMs: number,
    /** Revokes a stalled holder's turn when runs wait for it; true when it did. */
    readonly onStall: (frame: RunFrame) => boolean,
    /** True when no run holds or waits for a turn. */
    readonly idle: () => boolean,
  ) {}

  /** The tracked held run the caller is part of, if any. */
  current(): RunFrame | undefined {
    return this.#active === 0 ? undefined : (this.#storage ?? undefined)?.getStore();
  }

  /** Runs `fn` (a held attempt of `frame`); call {@link RunNesting.leave} once its result settled. */
  enter<R>(frame: RunFrame, fn: () => R): R {
    const storage = this.#tracking ? this.#storage : undefined;
    frame.attemptStartedAt = Date.now();
    if (storage === undefined || storage === null) {
      frame.tracked = false;
      this.#untracked.add(frame);
      if (this.#timer === undefined) this.#arm();
      try {
        return fn();
      } catch (error) {
        this.#untracked.delete(frame);
        throw error;
      }
    }
    frame.tracked = true;
    this.#active++;
    this.#busySinceCheck = true;
    try {
      return storage.run(frame, fn);
    } catch (error) {
      this.#active--;
      throw error;
    }
  }

  /** Ends one {@link RunNesting.enter} of `frame`. */
  leave(frame: RunFrame): void {
    if (frame.tracked) this.#active--;
    else this.#untracked.delete(frame);
  }

  /** Stops tracking when nothing needed it since the last check. */
  #relax(): void {
    this.#relaxTimer = undefined;
    if (!this.#busySinceCheck && this.#active === 0 && this.idle()) {
      this.#tracking = false;
      this.#storage?.disable();
      return;
    }
    this.#busySinceCheck = false;
    this.#relaxTimer = unrefTimer(setTimeout(() => this.#relax(), this.relaxMs));
  }

  #check(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const frame of this.#untracked) {
      if (now - frame.attemptStartedAt < this.stallMs || !this.onStall(frame)) continue;
      this.#untracked.delete(frame);
      this.#track();
    }
    if (this.#untracked.size > 0) this.#arm();
  }

  #arm(): void {
    this.#timer = unrefTimer(setTimeout(() => this.#check(), this.stallMs));
  }

  #track(): void {
    if (this.#storage === null) this.#storage = createStorage();
    this.#tracking = this.#storage !== undefined;
    this.#busySinceCheck = true;
    if (this.#tracking && this.#relaxTimer === undefined) this.#relaxTimer = unrefTimer(setTimeout(() => this.#relax(), this.relaxMs));
  }
}

/** The enclosing run of `frame` that owns `turn`, if any. */
export function enclosingOwner(frame: RunFrame, turn: Turn): RunFrame | undefined {
  for (let run = frame.parent; run !== undefined; run = run.parent) if (run.owner === turn.owner) return run;
  return undefined;
}

/** True when a run enclosing `frame` holds its turn. */
export function insideHolder(frame: RunFrame): boolean {
  for (let run = frame.parent; run !== undefined; run = run.parent) if (run.turn?.granted === true) return true;
  return false;
}

/** The error of a run started from inside a run that holds the paths it needs. */
export function nestedRunError(process: string, enclosing: string, path: PathSegments): ConflictError {
  const shown = formatPath(path);
  return new ConflictError(
    'TX_CONFLICT',
    `Process '${process}' was run from inside process '${enclosing}', which holds its turn on '${shown}': '${process}' would change what '${enclosing}' read, and waiting for it would deadlock. Run '${process}' before or after '${enclosing}', not inside it, or let '${enclosing}' write '${shown}' itself.`,
    { details: { process, enclosing, path: shown, nested: true } },
  );
}

/** The runs' write timeouts keep the process alive; these checks alone should not. */
function unrefTimer(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

function createStorage(): LocalStorage<RunFrame> | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = host?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: new () => LocalStorage<RunFrame> } | undefined;
  const Storage = hooks?.AsyncLocalStorage;
  return Storage === undefined ? undefined : new Storage();
}
