import { formatPath, isPrefixOf, pathsOverlap, type PathSegments } from '../context/paths.js';
import type { CompiledContract } from '../contract/process.js';
import type { Attempt } from './attempt.js';

/** The paths a run touched (or may touch). */
export interface Touched {
  /** Paths whose content the run read. */
  readonly reads: readonly PathSegments[];
  /** Paths whose presence (not content) the run observed: only writes at or above them matter. */
  readonly presence: readonly PathSegments[];
  /** Paths the run wrote. */
  readonly writes: readonly PathSegments[];
}

/** What an attempt touched, as a turn holds it; a strict-CAS run holds everything (any commit conflicts with it). */
export function touchedBy(attempt: Attempt, strict: boolean): Touched {
  return {
    reads: strict ? [[]] : attempt.readPaths,
    presence: attempt.presenceReads,
    writes: attempt.patches.map((patch) => patch.path),
  };
}

/** What a guarded process may touch at most: its declared inputs and outputs. */
export function declaredBy(contract: CompiledContract, strict: boolean): Touched {
  return { reads: strict ? [[]] : contract.inputPaths, presence: [], writes: contract.outputPaths };
}

const WAITING = 0;
const HELD = 1;
const RELEASED = 2;

/** One run's place in the queue for a set of paths: waiting, then held until released. */
export class Turn implements Touched {
  #state: typeof WAITING | typeof HELD | typeof RELEASED = WAITING;
  #onGranted: (() => void) | undefined;
  /** @internal The waiting turns that found this one blocking them: they are checked again when it is released. */
  dependents: Turn[] | undefined;

  constructor(
    /** Queue order: lower tickets go first; a run keeps its ticket when it queues again. */
    readonly ticket: number,
    /** The run that queued. */
    readonly owner: symbol,
    /** Its process, for messages. */
    readonly process: string,
    readonly reads: readonly PathSegments[],
    readonly presence: readonly PathSegments[],
    readonly writes: readonly PathSegments[],
    /** Granted without regard to earlier waiters (a run nested in a run that holds a turn). */
    readonly independent: boolean,
  ) {}

  /** True while the run holds its paths. */
  get granted(): boolean {
    return this.#state === HELD;
  }

  /** True once the turn was given up. */
  get released(): boolean {
    return this.#state === RELEASED;
  }

  /** Calls `callback` when the turn is granted (at once if it is); one callback per turn. */
  whenGranted(callback: () => void): void {
    if (this.#state === HELD) callback();
    else this.#onGranted = callback;
  }

  /** @internal Called by {@link PathTurns} only. */
  markGranted(): void {
    this.#state = HELD;
    const callback = this.#onGranted;
    this.#onGranted = undefined;
    callback?.();
  }

  /** @internal Called by {@link PathTurns} only. */
  markReleased(): void {
    this.#state = RELEASED;
    this.#onGranted = undefined;
  }
}

/**
 * The FIFO of runs that kept conflicting, per set of touched paths. A run that queues waits until
 * no held turn and no earlier waiting turn conflicts with its paths, then holds them: commits by
 * other runs that would write what it touched are refused (they queue behind it), so its next
 * attempt cannot be invalidated by them. Runs on disjoint paths are never held up. Two turns
 * conflict when one writes a path the other read or wrote (overlapping in either direction), or
 * writes at or above a path whose presence the other observed.
 */
export class PathTurns {
  readonly #held: Turn[] = [];
  readonly #waiting: Turn[] = [];
  #tickets = 0;

  /** True when a run other than `owner` holds a turn (commits must then be checked against the held paths). */
  heldByOthers(owner: symbol): boolean {
    const held = this.#held;
    return held.length > 1 || (held.length === 1 && (held[0] as Turn).owner !== owner);
  }

  /** True when no run holds or waits for a turn (runs start optimistically). */
  get idle(): boolean {
    return this.#held.length === 0 && this.#waiting.length === 0;
  }

  /** True when a run touching `touched` would have to wait behind a held or queued turn. */
  contended(touched: Touched): boolean {
    return this.#held.some((turn) => conflicts(turn, touched)) || this.#waiting.some((turn) => conflicts(turn, touched));
  }

  /**
   * Queues `owner` for `touched`. A run that queues again passes its `previous` turn: it keeps
   * its ticket (its place in the queue) and its earlier paths. Returns the turn, granted at once
   * when nothing conflicts with it.
   */
  request(owner: symbol, process: string, touched: Touched, previous: Turn | undefined, independent: boolean): Turn {
    let turn: Turn;
    if (previous === undefined) {
      turn = new Turn(this.#tickets++, owner, process, touched.reads, touched.presence, touched.writes, independent);
    } else {
      this.#remove(previous);
      turn = new Turn(
        previous.ticket,
        owner,
        process,
        union(previous.reads, touched.reads),
        union(previous.presence, touched.presence),
        union(previous.writes, touched.writes),
        independent,
      );
    }
    const waiting = this.#waiting;
    let at = waiting.length;
    while (at > 0 && (waiting[at - 1] as Turn).ticket > turn.ticket) at--;
    waiting.splice(at, 0, turn);
    if (previous === undefined) this.#settle(turn, at);
    else this.#recheck([turn, ...(previous.dependents ?? [])]);
    return turn;
  }

  /** Gives up a turn, held or still waiting; waiters it blocked may be granted. */
  release(turn: Turn): void {
    if (this.#remove(turn)) this.#recheck(turn.dependents ?? []);
  }

  /**
   * A held turn of another run that a commit writing `writes` would invalidate, with the first
   * such written path; `undefined` when the commit may proceed.
   */
  blocking(owner: symbol, writes: readonly PathSegments[]): { readonly turn: Turn; readonly path: PathSegments } | undefined {
    if (writes.length === 0) return undefined;
    for (const turn of this.#held) {
      if (turn.owner === owner) continue;
      for (const path of writes) if (invalidates(path, turn)) return { turn, path };
    }
    return undefined;
  }

  /** True when some run waits for `turn` (directly) to be released. */
  hasWaiters(turn: Turn): boolean {
    return turn.dependents?.some((waiter) => !waiter.granted && !waiter.released) === true;
  }

  /** The held turns that keep `turn` waiting. */
  holdersOf(turn: Turn): readonly Turn[] {
    return this.#held.filter((held) => held.owner !== turn.owner && conflicts(held, turn));
  }

  #remove(turn: Turn): boolean {
    const list = turn.granted ? this.#held : this.#waiting;
    const index = list.indexOf(turn);
    if (index < 0) return false;
    list.splice(index, 1);
    turn.markReleased();
    return true;
  }

  /**
   * Grants, in ticket order, each of `turns` still waiting that conflicts with no held turn and
   * (unless it is independent) no earlier waiting turn; the others are recorded as dependents of
   * what blocks them. Every waiting turn is a dependent of a live turn that blocks it (turns never
   * change their paths), so only the dependents of a released turn need checking again: a release
   * costs a check per waiter it may free, not one per waiter.
   */
  #recheck(turns: readonly Turn[]): void {
    const candidates = turns.length > 1 ? [...turns].sort((a, b) => a.ticket - b.ticket) : turns;
    for (const turn of candidates) if (!turn.granted && !turn.released) this.#settle(turn, this.#waiting.indexOf(turn));
  }

  /** Grants the waiting turn at `index`, or records it as a dependent of what blocks it. */
  #settle(turn: Turn, index: number): void {
    const waiting = this.#waiting;
    const held = this.#held;
    const blocker = (turn.independent ? undefined : earlierConflict(waiting, index)) ?? held.find((other) => conflicts(other, turn));
    if (blocker !== undefined) {
      (blocker.dependents ??= []).push(turn);
      return;
    }
    waiting.splice(index, 1);
    held.push(turn);
    turn.markGranted();
  }
}

/** The nearest earlier waiting turn that conflicts with the one at `index` (first come, first served). */
function earlierConflict(waiting: readonly Turn[], index: number): Turn | undefined {
  const turn = waiting[index] as Turn;
  for (let j = index - 1; j >= 0; j--) if (conflicts(waiting[j] as Turn, turn)) return waiting[j];
  return undefined;
}

/** True when a write at `path` would change something `turn` touched. */
function invalidates(path: PathSegments, turn: Touched): boolean {
  for (const other of turn.writes) if (pathsOverlap(path, other)) return true;
  for (const other of turn.reads) if (pathsOverlap(path, other)) return true;
  for (const other of turn.presence) if (isPrefixOf(path, other)) return true;
  return false;
}

/** True when either side writes something the other touched. */
function conflicts(a: Touched, b: Touched): boolean {
  return a.writes.some((path) => invalidates(path, b)) || b.writes.some((path) => invalidates(path, a));
}

/** The paths of both lists, each once. */
function union(a: readonly PathSegments[], b: readonly PathSegments[]): readonly PathSegments[] {
  if (b.length === 0) return a;
  const seen = new Set(a.map(formatPath));
  const out = a.slice();
  for (const path of b) {
    const key = formatPath(path);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(path);
  }
  return out;
}
