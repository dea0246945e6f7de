export { TheusError, ERROR_CODES } from './theus-error.js';
export type { TheusErrorCode, TheusErrorDetails, TheusErrorOptions } from './theus-error.js';
export {
  ContractViolationError,
  ConflictError,
  WriteTimeoutError,
  SchemaViolationError,
  AuditError,
  AuditBlockError,
  AuditAbortError,
  AuditStopError,
  WorkflowError,
  SignalLagError,
  StoreError,
} from './error-classes.js';
