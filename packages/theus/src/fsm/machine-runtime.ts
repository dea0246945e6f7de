/** What a state machine needs from its host (the engine, or a test double). */
export interface MachineRuntime {
  /** Runs one entry process; a throw or a rejection fails the entry chain. */
  execute(process: string, args: Readonly<Record<string, unknown>> | undefined): unknown;
  /**
   * Runs a workflow file named by `entry: { workflow: file }`. A throw, a rejection, or a result
   * object with `status: 'failed'` fails the entry chain. Required only if the definition uses it.
   */
  runWorkflow?(file: string): unknown;
  /** Committed signals, the default source of `Machine.connect()`. */
  subscribe?(): AsyncIterable<{ readonly topic: string }>;
}

/** One move of a machine. */
export interface MachineTransition {
  readonly from: string;
  readonly event: string;
  readonly to: string;
  /** `Date.now()` when the move happened. */
  readonly time: number;
}

/** What `send()` resolves to once the event (and any chained events) was handled. */
export interface MachineSendResult {
  /** The event sent. */
  readonly event: string;
  /** False when the event was ignored (only `connect()` deliveries can be ignored). */
  readonly accepted: boolean;
  /** The state after the event and every chained `EVT_CHAIN_*` event. */
  readonly state: string;
  /** The moves this send caused, in order. */
  readonly transitions: readonly MachineTransition[];
  /** The error of the last entry chain that failed during this send, if any. */
  readonly chainError?: unknown;
}

/** Options of `new Machine(...)`. */
export interface MachineOptions {
  /** How many moves one send may chain through `EVT_CHAIN_*` before it fails (default 1,000). */
  readonly maxChain?: number;
  /**
   * How many moves `history` keeps (an integer >= 0, default 1,000; 0 keeps none). Past it the
   * oldest move is dropped, so a long-running machine's memory stays flat.
   */
  readonly historySize?: number;
  /** The clock for `MachineTransition.time` (default `Date.now`). */
  readonly now?: () => number;
}

/** Options of `Machine.connect()`. */
export interface ConnectOptions {
  /** Receives errors of the source (other than lag) and of delivered events; default: ignored. */
  readonly onError?: (error: unknown) => void;
}
