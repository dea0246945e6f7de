import { TheusError, WorkflowError } from '../errors/index.js';
import { EVT_CHAIN_DONE, EVT_CHAIN_FAIL, type MachineDefinition } from './machine-definition.js';
import type { ConnectOptions, MachineOptions, MachineRuntime, MachineSendResult, MachineTransition } from './machine-runtime.js';
import { runEntryChain } from './entry-chain.js';

/** How many moves `Machine.history` keeps unless `historySize` says otherwise. */
const DEFAULT_HISTORY_SIZE = 1000;

/**
 * A running state machine. Events are handled one at a time: a `send` made while another is
 * still running (for example from inside an entry process) waits its turn, so never await a
 * send from an entry process. Entering a state by a transition runs its entry chain; when the
 * chain is non-empty the machine then receives `EVT_CHAIN_DONE` or `EVT_CHAIN_FAIL`, which a
 * state without that event simply ignores. The initial state's entry does not run at creation.
 *
 * `send()` of an event the current state does not handle rejects with `FSM_UNKNOWN_EVENT` and
 * leaves the state unchanged; a failed entry chain is state, not a rejection (see
 * `MachineSendResult.chainError` and `lastError`).
 *
 * @example
 * ```ts
 * const machine = new Machine(loadMachine(yamlText), runtime);
 * await machine.send('CMD_TX'); // IDLE → PROCESSING → (chain) → NOTIFY
 * const stop = machine.connect(signals); // committed signal topics become events
 * ```
 */
export class Machine {
  readonly #definition: MachineDefinition;
  readonly #runtime: MachineRuntime;
  readonly #maxChain: number;
  readonly #historySize: number;
  readonly #now: () => number;
  readonly #history: MachineTransition[] = [];
  #state: string;
  #lastError: unknown;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(definition: MachineDefinition, runtime: MachineRuntime, options: MachineOptions = {}) {
    const usesWorkflows = Object.values(definition.states).some((s) => s.entry.some((a) => a.kind === 'workflow'));
    if (usesWorkflows && runtime.runWorkflow === undefined) {
      throw new WorkflowError('FSM_INVALID', `Machine ${definition.file} has workflow entries but its runtime has no runWorkflow(file).`);
    }
    this.#definition = definition;
    this.#runtime = runtime;
    this.#maxChain = options.maxChain ?? 1000;
    this.#historySize = options.historySize ?? DEFAULT_HISTORY_SIZE;
    if (!Number.isSafeInteger(this.#historySize) || this.#historySize < 0) {
      throw new WorkflowError(
        'FSM_INVALID',
        `Machine option 'historySize' must be an integer >= 0, got ${String(options.historySize)}: omit it to keep the last ${String(DEFAULT_HISTORY_SIZE)} moves, or pass 0 to keep none.`,
        { details: { option: 'historySize' } },
      );
    }
    this.#now = options.now ?? Date.now;
    this.#state = definition.initial;
  }

  /** The current state's name. */
  get state(): string {
    return this.#state;
  }

  /** The last `historySize` moves (default 1,000), oldest first (a copy). */
  get history(): readonly MachineTransition[] {
    return [...this.#history];
  }

  /** The error of the most recent failed entry chain (undefined if none failed yet). */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** True if the current state handles `event`. */
  can(event: string): boolean {
    return Object.hasOwn(this.#definition.states[this.#state]?.events ?? {}, event);
  }

  /** Sends an event; resolves once it and every chained `EVT_CHAIN_*` event were handled. */
  send(event: string): Promise<MachineSendResult> {
    return this.#enqueue(event, true);
  }

  /** Resolves when every queued event has been handled. */
  async settled(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.#tail;
      await tail;
    } while (tail !== this.#tail);
  }

  /**
   * Delivers messages of `source` (default: the runtime's committed signals) whose topic names
   * an event of the current state, as that event; other topics are ignored. A `SIGNAL_LAG`
   * error from the source is skipped. Returns a disposer that stops the delivery.
   */
  connect(source?: AsyncIterable<{ readonly topic: string }>, options: ConnectOptions = {}): () => void {
    const iterable = source ?? this.#runtime.subscribe?.();
    if (iterable === undefined)
      throw new WorkflowError('FSM_INVALID', 'connect() needs a source: pass one, or give the runtime a subscribe().');
    const iterator = iterable[Symbol.asyncIterator]();
    const known = new Set(this.#definition.events);
    const report = (error: unknown): void => options.onError?.(error);
    let open = true;
    const pump = async (): Promise<void> => {
      while (open) {
        let next: IteratorResult<{ readonly topic: string }>;
        try {
          next = await iterator.next();
        } catch (error) {
          if (error instanceof TheusError && error.code === 'SIGNAL_LAG') continue;
          if (open) report(error);
          return;
        }
        if (next.done === true || !open) return;
        const topic = next.value.topic;
        if (known.has(topic)) this.#enqueue(topic, false).catch(report);
      }
    };
    void pump();
    return () => {
      if (!open) return;
      open = false;
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    };
  }

  /** Appends a move to the history, dropping the oldest past `historySize`. */
  #record(move: MachineTransition): void {
    if (this.#historySize === 0) return;
    const history = this.#history;
    history.push(move);
    if (history.length > this.#historySize) history.shift();
  }

  #enqueue(event: string, strict: boolean): Promise<MachineSendResult> {
    const job = this.#tail.then(() => this.#handle(event, strict));
    this.#tail = job.catch(() => undefined);
    return job;
  }

  async #handle(event: string, strict: boolean): Promise<MachineSendResult> {
    const transitions: MachineTransition[] = [];
    if (!this.can(event)) {
      if (!strict) return { event, accepted: false, state: this.#state, transitions };
      const known = Object.keys(this.#definition.states[this.#state]?.events ?? {});
      throw new WorkflowError(
        'FSM_UNKNOWN_EVENT',
        `State '${this.#state}' has no transition for event '${event}' (it handles: ${known.join(', ') || 'none'}).`,
        {
          details: { state: this.#state, event, known },
        },
      );
    }
    let chainError: unknown;
    let next: string | undefined = event;
    while (next !== undefined && this.can(next)) {
      if (transitions.length >= this.#maxChain) {
        throw new WorkflowError(
          'WORKFLOW_MAX_OPS',
          `Machine chained more than ${String(this.#maxChain)} moves in one send; an entry chain loops (stopped in '${this.#state}').`,
          {
            details: { state: this.#state, event, maxChain: this.#maxChain },
          },
        );
      }
      const from = this.#state;
      const to = this.#definition.states[from]?.events[next] ?? from;
      const move = { from, event: next, to, time: this.#now() };
      this.#state = to;
      this.#record(move);
      transitions.push(move);
      const entry = this.#definition.states[to]?.entry ?? [];
      if (entry.length === 0) break;
      const failure = await runEntryChain(entry, this.#runtime);
      if (failure !== undefined) chainError = this.#lastError = failure.error;
      next = failure === undefined ? EVT_CHAIN_DONE : EVT_CHAIN_FAIL;
    }
    const result = { event, accepted: true, state: this.#state, transitions };
    return chainError === undefined ? result : { ...result, chainError };
  }
}
