/**
 * Every error code Theus raises, grouped by subsystem prefix.
 *
 * Codes are stable identifiers: match on `error.code`, never on message text.
 */
export const ERROR_CODES = [
  'CONTRACT_INVALID',
  'CONTRACT_DUPLICATE',
  'CONTRACT_FIREWALL',
  'CONTRACT_PRIVATE_PATH',
  'CONTRACT_UNKNOWN_LAYER',
  'CONTRACT_UNKNOWN_PROCESS',
  'CONTRACT_BAD_ARGS',
  'CONTRACT_ILLEGAL_READ',
  'CONTRACT_ILLEGAL_WRITE',
  'CONTRACT_PURE_WRITE',
  'CONTRACT_ZONE',
  'CONTRACT_RETURN_SHAPE',
  'CONTRACT_UNDECLARED_ERROR',
  'CONTRACT_REVOKED',
  'CONTRACT_SCAN_FAILED',
  'CONTRACT_PARALLEL_MODULE',
  'TX_CONFLICT',
  'TX_WRITE_TIMEOUT',
  'TX_SCHEMA',
  'TX_INVALID_VALUE',
  'TX_VERSION',
  'ENGINE_INVALID_OPTION',
  'ENGINE_CLOSED',
  'HEAVY_INVALID',
  'HEAVY_EXISTS',
  'HEAVY_ALLOC_FAILED',
  'AUDIT_RECIPE_INVALID',
  'AUDIT_BLOCK',
  'AUDIT_ABORT',
  'AUDIT_STOP',
  'WORKFLOW_INVALID',
  'WORKFLOW_MAX_OPS',
  'WORKFLOW_CONDITION',
  'WORKFLOW_ABORTED',
  'WORKFLOW_STEP_FAILED',
  'FSM_INVALID',
  'FSM_UNKNOWN_EVENT',
  'SIGNAL_LAG',
  'SIGNAL_CLOSED',
  'STORE_VERSION_UNAVAILABLE',
  'STORE_OPEN_FAILED',
  'STORE_NOT_THEUS',
  'STORE_FORMAT_NEWER',
  'STORE_CORRUPT',
  'STORE_WRITE_FAILED',
  'OUTBOX_HANDLER_EXISTS',
  'OUTBOX_UNKNOWN_MESSAGE',
  'POOL_IMPORT_FAILED',
  'POOL_PROCESS_NOT_EXPORTED',
  'POOL_UNCLONEABLE',
  'POOL_WORKER_FAILED',
  'POOL_BAD_REPLY',
] as const;

/** A stable, SCREAMING_SNAKE identifier of one kind of failure. */
export type TheusErrorCode = (typeof ERROR_CODES)[number];

/** Structured facts about an error (process, path, version, ...), safe to log and to serialise. */
export type TheusErrorDetails = Readonly<Record<string, unknown>>;

/** Options accepted by every Theus error constructor. */
export interface TheusErrorOptions {
  /** Structured facts about the failure. */
  readonly details?: TheusErrorDetails;
  /** The error that caused this one. */
  readonly cause?: unknown;
}

/**
 * The base class of every error Theus throws: a message that says what to do, a stable `code`,
 * structured `details` and the standard `cause`.
 *
 * @example
 * ```ts
 * try { await engine.execute('transfer', args) }
 * catch (e) { if (e instanceof TheusError && e.code === 'TX_CONFLICT') retryLater() }
 * ```
 */
export class TheusError extends Error {
  /** The stable identifier of this kind of failure. */
  readonly code: TheusErrorCode;
  /** Structured facts about the failure (process, path, ...). */
  readonly details: TheusErrorDetails;

  constructor(code: TheusErrorCode, message: string, options: TheusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A JSON form of this error, so that it can cross threads and processes. */
  toJSON(): { name: string; code: TheusErrorCode; message: string; details: TheusErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}
