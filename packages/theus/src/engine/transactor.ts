import { formatPath, type PathSegments } from '../context/paths.js';
import type { CompiledContract } from '../contract/process.js';
import { runAttempt, type Attempt, type AttemptBody } from '../transaction/attempt.js';
import { runArguments } from '../transaction/frozen-output.js';
import { conflictError, type Candidate, type Committer } from '../transaction/committer.js';
import type { Snapshot } from '../transaction/snapshot.js';
import { backoffDelay, type ConflictPolicy } from '../transaction/backoff.js';
import { DeadlineWatch, RunDeadline } from '../transaction/run-deadline.js';
import { declaredBy, touchedBy, type Touched, type Turn } from '../transaction/path-turns.js';
import { SharedConflict } from '../transaction/shared-tail.js';
import { enclosingOwner, insideHolder, nestedRunError, RunNesting, type RunFrame } from './run-nesting.js';
import type { EngineAudit } from './engine-audit.js';
import type { EventHub } from './events.js';
import type { ResolvedOptions } from './options.js';

/** How long a held attempt may run untracked while others wait for it, before nesting is tracked (see RunNesting). */
const NESTING_STALL_MS = 20;
/** How long nesting stays tracked after the last turn was held or waited for. */
const NESTING_RELAX_MS = 1000;
const VALIDATING = (): string => 'while its commit was validated';
const SETTLING = (): string => 'before its process settled';
const SETTLING_HELD = (): string => 'before its process settled (holding its turn on the paths it touches)';

/**
 * The engine's run loop: runs one process (or admin edit) attempt after attempt on fresh
 * snapshots, with the audit gates, until its commit lands or it fails: back-off after conflicts,
 * a FIFO turn on contended paths after `vipAfter` of them, every wait bounded by the write timeout,
 * nested runs on held paths failed fast. It also counts the runs in flight, for `close()`.
 */
export class Transactor {
  /** Knows which held run an execute call comes from (nested runs must not wait for it). */
  readonly #nesting: RunNesting;
  /** One timer for the write timeouts of all waiting runs. */
  readonly #deadlines = new DeadlineWatch();
  /** Runs started and not yet settled. */
  #inFlight = 0;
  #idle: (() => void) | undefined;

  constructor(
    private readonly committer: Committer,
    private readonly events: EventHub,
    private readonly audit: EngineAudit,
    private readonly options: ResolvedOptions,
  ) {
    this.#nesting = new RunNesting(
      Math.max(1, Math.min(NESTING_STALL_MS, options.conflict.writeTimeoutMs / 4)),
      NESTING_RELAX_MS,
      (frame) => this.#revokeStalled(frame),
      () => this.committer.turns.idle,
    );
  }

  /** Resolves once no run is in flight. */
  whenIdle(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.#idle = resolve));
  }

  /**
   * Runs `body` as a transaction of `contract` and resolves to its result once committed. A run
   * on uncontended paths whose process and commit complete synchronously (audit gates included)
   * is run here without entering the retry loop (no deadline, turn or nesting bookkeeping: it
   * cannot wait, so it needs none); anything else continues in {@link Transactor.#loop}. A run
   * with a `remote` runner (a parallel process) makes each attempt through it, in the loop.
   */
  transact(contract: CompiledContract, kind: RunKind, body: AttemptBody, input?: unknown, remote?: AttemptRunner): Promise<unknown> {
    const opening = this.committer.opening;
    if (opening !== undefined) return opening.then(() => this.transact(contract, kind, body, input, remote));
    const startedAt = Date.now();
    // Settled before the run: what the process and the gates see, and what the commit records.
    const { given: args, recorded } = runArguments(input);
    const gates = this.#gates(contract, kind, args, startedAt);
    if (remote !== undefined || !this.committer.turns.idle || this.committer.schema !== undefined) {
      return this.#loop(contract, kind, body, args, recorded, startedAt, gates, undefined, remote);
    }
    const snapshot = this.committer.head;
    try {
      if (gates?.input === true) this.audit.checkGuarded(contract.name, 'input', args, snapshot.root, gates.deferredResets, startedAt);
      const pending = runAttempt(kind, contract, snapshot.root, body, args);
      if (!(pending instanceof Promise)) {
        const outcome = this.committer.commit(
          candidateOf(pending, contract, snapshot, startedAt, recorded, this.options.strictCas, gates?.beforeInstall),
          FIRST_ATTEMPT,
        );
        if (!(outcome instanceof Promise) && outcome.status !== 'conflict') {
          if (outcome.durable !== undefined) {
            const retry = (refusal: SharedConflict): Promise<unknown> =>
              this.#loop(contract, kind, body, args, recorded, startedAt, gates, undefined, remote, refusal);
            return this.#whenDurable(outcome.durable, retry, contract, gates, pending.result);
          }
          if (gates !== undefined) this.audit.confirm(gates.deferredResets);
          return Promise.resolve(pending.result);
        }
      }
      // A process that returned a promise, or a conflict: the loop takes over this attempt.
      return this.#loop(contract, kind, body, args, recorded, startedAt, gates, { snapshot, pending });
    } catch (error) {
      this.events.emit('rollback', { process: contract.name, error, version: this.committer.snapshot.version });
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(error);
    }
  }

  /**
   * The result of a run whose commit (or, for a run that changed nothing, the state it read)
   * waits for the store: released once it is durable; a refusal fails the run, rolled back.
   */
  async #whenDurable(
    durable: Promise<unknown>,
    retry: (refusal: SharedConflict) => Promise<unknown>,
    contract: CompiledContract,
    gates: RunGates | undefined,
    result: unknown,
  ): Promise<unknown> {
    let refusal: SharedConflict | undefined;
    try {
      refusal = await sharedRefusal(durable);
    } catch (error) {
      this.events.emit('rollback', { process: contract.name, error, version: this.committer.snapshot.version });
      throw error;
    }
    // Another node's commit changed what the run touched: it runs again, on the state with that commit.
    if (refusal !== undefined) return retry(refusal);
    if (gates !== undefined) this.audit.confirm(gates.deferredResets);
    return result;
  }

  /** The audit gates of a run, or `undefined` when the recipe guards neither of its gates. */
  #gates(contract: CompiledContract, kind: RunKind, args: unknown, startedAt: number): RunGates | undefined {
    if (kind === 'admin') return undefined;
    const input = this.audit.guards(contract.name, 'input');
    const output = this.audit.guards(contract.name, 'output');
    if (!input && !output) return undefined;
    // Success resets wait for the commit, so a run that fails later leaves no audit success behind.
    const deferredResets: string[] = [];
    const beforeInstall = output
      ? (root: object): void => this.audit.checkGuarded(contract.name, 'output', args, root, deferredResets, startedAt)
      : undefined;
    return { input, deferredResets, beforeInstall };
  }

  /**
   * The retry loop; `first` is an attempt already started by {@link Transactor.transact} (past
   * the input gate), to be committed first.
   */
  async #loop(
    contract: CompiledContract,
    kind: RunKind,
    body: AttemptBody,
    args: unknown,
    recorded: unknown,
    startedAt: number,
    gates: RunGates | undefined,
    first: { readonly snapshot: Snapshot; readonly pending: Attempt | Promise<Attempt> } | undefined,
    remote?: AttemptRunner,
    /** The run's first attempt, made past the input gate, which a shared store refused: the loop goes on from the second. */
    refused?: SharedConflict,
  ): Promise<unknown> {
    const policy: ConflictPolicy = this.options.conflict;
    const owner = Symbol(contract.name);
    const deadline = new RunDeadline(this.#deadlines, contract.name, startedAt, contract.timeoutMs ?? policy.writeTimeoutMs);
    const frame: RunFrame = {
      owner,
      process: contract.name,
      parent: this.#nesting.current(),
      turn: undefined,
      tracked: false,
      attemptStartedAt: 0,
    };
    const turns = this.committer.turns;
    /** The shared store's turn, claimed after `vipAfter` refusals by the store (see Committer.claimTurn). */
    let sharedTurn: string | undefined;
    this.#inFlight++;
    try {
      if (first === undefined && refused === undefined && gates?.input === true) {
        this.audit.checkGuarded(contract.name, 'input', args, this.committer.head.root, gates.deferredResets, startedAt);
      }
      if (first === undefined && kind === 'process' && !turns.idle && !insideHolder(frame)) {
        // Runs are queued on paths this contract declares: take a place behind them rather than run into their turns.
        const declared = declaredBy(contract, this.options.strictCas);
        if (turns.contended(declared)) {
          const waiting = this.#awaitTurn(frame, declared, declared.writes[0] ?? declared.reads[0] ?? [], deadline);
          if (waiting !== undefined) await waiting;
        }
      }
      if (refused !== undefined) await this.#afterRefusal(contract.name, refused, deadline);
      for (let attempt = refused === undefined ? 1 : 2; ; attempt++) {
        const snapshot = first?.snapshot ?? this.committer.head;
        // A remote attempt runs no code on this thread: it cannot nest runs, so nesting is not tracked for it.
        const held = remote === undefined && frame.turn?.granted === true;
        const cancel = remote === undefined ? undefined : new Cancellation();
        let result: Attempt;
        const pending =
          first !== undefined
            ? first.pending
            : cancel !== undefined
              ? (remote as AttemptRunner)(snapshot.root, args, cancel)
              : held
                ? this.#nesting.enter(frame, () => runAttempt(kind, contract, snapshot.root, body, args))
                : runAttempt(kind, contract, snapshot.root, body, args);
        first = undefined;
        try {
          result = pending instanceof Promise ? await deadline.wait(pending, held ? SETTLING_HELD : SETTLING) : pending;
        } catch (error) {
          // A remote attempt given up (the write timeout) is cancelled: its worker thread is freed.
          cancel?.cancel();
          throw error;
        } finally {
          if (held) this.#nesting.leave(frame);
        }
        const committing = this.committer.commit(
          {
            ...candidateOf(result, contract, snapshot, startedAt, recorded, this.options.strictCas, gates?.beforeInstall),
            turn: sharedTurn,
          },
          owner,
        );
        const committed = committing instanceof Promise ? await deadline.wait(committing, VALIDATING) : committing;
        let outcome: Conflict;
        if (committed.status !== 'conflict') {
          if (committed.durable !== undefined) {
            // Ordered: its turn is no longer needed, except on a shared store, which may still refuse
            // it (the runs behind it would commit first). Waiting for the store is not bounded by the
            // write timeout (the commit will be durable or refused).
            if (frame.turn !== undefined && !this.committer.shared) {
              turns.release(frame.turn);
              frame.turn = undefined;
            }
            const refusal = await sharedRefusal(committed.durable);
            if (refusal !== undefined) {
              outcome = { path: refusal.path, currentVersion: this.committer.snapshot.version, heldBy: undefined };
              // Lost to other nodes vipAfter times: it queues for the turn across nodes, and once it holds it
              // their commits wait for its next one (bounded by the write timeout).
              if (sharedTurn === undefined && attempt >= sharedTurnAfter(policy) && attempt <= policy.maxRetries) {
                const claiming = this.committer.awaitSharedTurn(policy.writeTimeoutMs);
                let gaveUp = false;
                // A run given up while queued (its write timeout) leaves the queue once its place is known.
                claiming.then(
                  (token) => (gaveUp && token !== undefined ? this.committer.releaseTurn(token) : undefined),
                  () => undefined,
                );
                try {
                  sharedTurn = await deadline.wait(claiming, () => 'while waiting for its turn across nodes');
                } catch (error) {
                  gaveUp = true;
                  throw error;
                }
              }
            } else {
              if (gates !== undefined) this.audit.confirm(gates.deferredResets);
              return result.result;
            }
          } else {
            if (gates !== undefined) this.audit.confirm(gates.deferredResets);
            return result.result;
          }
        } else outcome = committed;
        const heldBy = outcome.heldBy;
        const enclosing = heldBy === undefined ? undefined : enclosingOwner(frame, heldBy);
        const giveUp = enclosing !== undefined || attempt > policy.maxRetries;
        // A run stopped by a held turn queues behind it at once; one that lost to commits queues after vipAfter conflicts.
        const queue = !giveUp && (heldBy !== undefined || attempt >= policy.vipAfter);
        const delayMs = giveUp ? undefined : queue ? 0 : backoffDelay(policy, attempt);
        if (this.events.has('conflict')) {
          this.events.emit('conflict', {
            process: contract.name,
            attempt,
            startVersion: snapshot.version,
            currentVersion: outcome.currentVersion,
            path: outcome.path,
            delayMs,
            queued: queue,
            heldBy: heldBy?.process,
          });
        }
        if (enclosing !== undefined) throw nestedRunError(contract.name, enclosing.process, outcome.path);
        if (delayMs === undefined) throw conflictError(contract.name, attempt, outcome.path);
        if (queue) {
          const waiting = this.#awaitTurn(frame, touchedBy(result, this.options.strictCas), outcome.path, deadline);
          if (waiting !== undefined) await waiting;
        } else await deadline.sleep(delayMs, () => 'while backing off after a conflict');
      }
    } catch (error) {
      this.events.emit('rollback', { process: contract.name, error, version: this.committer.snapshot.version });
      throw error;
    } finally {
      if (frame.turn !== undefined) turns.release(frame.turn);
      if (sharedTurn !== undefined) this.committer.releaseTurn(sharedTurn);
      deadline.dispose();
      if (--this.#inFlight === 0 && this.#idle !== undefined) {
        this.#idle();
        this.#idle = undefined;
      }
    }
  }

  /** Reports a first attempt a shared store refused (a `conflict` event) and backs off, or gives up after it. */
  async #afterRefusal(process: string, refusal: SharedConflict, deadline: RunDeadline): Promise<void> {
    const policy = this.options.conflict;
    const giveUp = policy.maxRetries < 1;
    const delayMs = giveUp ? undefined : backoffDelay(policy, 1);
    if (this.events.has('conflict')) {
      const version = this.committer.snapshot.version;
      this.events.emit('conflict', {
        process,
        attempt: 1,
        startVersion: version,
        currentVersion: version,
        path: refusal.path,
        delayMs,
        queued: false,
        heldBy: undefined,
      });
    }
    if (delayMs === undefined) throw conflictError(process, 1, refusal.path);
    await deadline.sleep(delayMs, () => 'while backing off after a conflict');
  }

  /**
   * Queues the run for its turn on what its last attempt touched (keeping its place if it queued
   * before) and waits until the turn is granted, bounded by the write timeout. A run nested in a
   * run that holds paths it needs fails at once instead: waiting would deadlock.
   */
  #awaitTurn(frame: RunFrame, touched: Touched, path: PathSegments, deadline: RunDeadline): Promise<void> | undefined {
    const turns = this.committer.turns;
    const nested = insideHolder(frame);
    const turn = turns.request(frame.owner, frame.process, touched, frame.turn, nested);
    frame.turn = turn;
    if (turn.granted) return undefined;
    if (nested) {
      for (const holder of turns.holdersOf(turn)) {
        const enclosing = enclosingOwner(frame, holder);
        if (enclosing !== undefined) throw nestedRunError(frame.process, enclosing.process, path);
      }
    }
    return deadline.until(
      (granted) => turn.whenGranted(granted),
      () => {
        const holder = turns.holdersOf(turn)[0];
        return `while waiting for its turn on '${formatPath(path)}' (${holder === undefined ? 'behind earlier queued runs' : `held by process '${holder.process}'`})`;
      },
    );
  }

  /** Revokes the turn of a held run whose attempt stalls while others wait for it (see RunNesting). */
  #revokeStalled(frame: RunFrame): boolean {
    const turns = this.committer.turns;
    const turn = frame.turn;
    if (turn === undefined || !turn.granted || !turns.hasWaiters(turn)) return false;
    turns.release(turn);
    return true;
  }
}

/**
 * After how many refusals by a shared store a run queues for the turn across nodes: `vipAfter`,
 * or later when `maxRetries` leaves room (two attempts before giving up), because every turn
 * stops all nodes' commits for a round trip or two: back-off settles most contention first, and
 * the turn serves the runs that would otherwise give up.
 */
function sharedTurnAfter(policy: ConflictPolicy): number {
  return Math.max(policy.vipAfter, policy.maxRetries - 2);
}

/** Why a commit could not be made: the path, and the turn that stopped it (not a commit). */
interface Conflict {
  readonly path: PathSegments;
  readonly currentVersion: number;
  readonly heldBy?: Turn | undefined;
}

/**
 * Waits for a commit to be durable: `undefined` once it is, the refusal when a shared store
 * refused it as conflicting with another node's commit; rejects with anything else.
 */
async function sharedRefusal(durable: Promise<unknown>): Promise<SharedConflict | undefined> {
  try {
    await durable;
    return undefined;
  } catch (error) {
    if (error instanceof SharedConflict) return error;
    throw error;
  }
}

/** How a run is driven (see DraftSessionKind). */
type RunKind = 'process' | 'open' | 'admin';

/**
 * Makes one attempt of a run somewhere else (a worker thread) on the committed `root`;
 * `cancellation` tells it once the run gave up waiting for it (the write timeout).
 */
export type AttemptRunner = (root: object, args: unknown, cancellation: Cancellation) => Promise<Attempt>;

/**
 * The cancellation of one remote attempt: one listener, told once. Lighter than an AbortController
 * (one is made per attempt, and almost none is ever cancelled).
 */
export class Cancellation {
  #listener: (() => void) | undefined;
  #cancelled = false;

  /** Calls `listener` when the attempt is cancelled (at once if it was); replaces an earlier listener. */
  onCancel(listener: () => void): void {
    if (this.#cancelled) listener();
    else this.#listener = listener;
  }

  /** Forgets the listener (the attempt settled). */
  clear(): void {
    this.#listener = undefined;
  }

  /** Cancels the attempt (once). */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
  }
}

/** The owner of a first attempt that holds no turn: any held turn belongs to someone else. */
const FIRST_ATTEMPT = Symbol('first attempt');

/** The audit gates of one run (see Transactor.#gates). */
interface RunGates {
  /** The input gate is checked before the first attempt. */
  readonly input: boolean;
  /** Success resets, applied only once the run committed. */
  readonly deferredResets: string[];
  /** The output gate, the commit's last check on the exact state it installs. */
  readonly beforeInstall: ((root: object) => void) | undefined;
}

/** The commit candidate of an attempt made on `snapshot`. */
function candidateOf(
  attempt: Attempt,
  contract: CompiledContract,
  snapshot: Snapshot,
  startedAt: number,
  recorded: unknown,
  strict: boolean,
  beforeInstall: ((root: object) => void) | undefined,
): Candidate {
  return {
    attempt,
    process: contract.name,
    baseSeq: snapshot.seq,
    startSeq: snapshot.seq,
    startedAt,
    strict,
    args: recorded,
    beforeInstall,
    timeoutMs: contract.timeoutMs,
  };
}
