import { TheusError } from './theus-error.js';

/** A process broke its contract: an undeclared read or write, a zone rule, a bad return shape. */
export class ContractViolationError extends TheusError {}

/** A commit kept conflicting with other commits after every allowed retry. */
export class ConflictError extends TheusError {}

/** A run (its process, back-off, wait for its turn and commit) took longer than the write timeout. */
export class WriteTimeoutError extends TheusError {}

/** A commit was rejected by the context's schema or by the value model. */
export class SchemaViolationError extends TheusError {}

/** An audit rule failed (see the subclasses for the level's action). */
export class AuditError extends TheusError {}

/** An audit rule at level B failed: the run was rolled back. */
export class AuditBlockError extends AuditError {}

/** An audit rule at level A failed: the run and any workflow running it stop. */
export class AuditAbortError extends AuditError {}

/** An audit rule at level S failed: the engine halts until `engine.resume()`. */
export class AuditStopError extends AuditError {}

/** A workflow could not be loaded or stopped while running. */
export class WorkflowError extends TheusError {}

/** A signal subscriber fell behind and missed messages. */
export class SignalLagError extends TheusError {}

/** A store could not read or write durably. */
export class StoreError extends TheusError {}
