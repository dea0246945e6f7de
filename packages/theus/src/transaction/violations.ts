import { ContractViolationError, type TheusErrorCode } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import type { Zone } from '../context/zones.js';

/** Who is acting, for messages: `Process 'transfer'`, or `engine.edit()`. */
export interface Actor {
  readonly who: string;
  readonly process: string;
  /**
   * Remembers a violation raised against this actor's run: a run that attempted an illegal
   * access fails even if the process caught the error and returned normally.
   */
  readonly noteViolation?: (error: ContractViolationError) => void;
}

const FIX: Partial<Record<TheusErrorCode, string>> = {
  CONTRACT_ILLEGAL_READ: "declare it in the contract's inputs (or outputs)",
  CONTRACT_ILLEGAL_WRITE: "declare it in the contract's outputs",
  CONTRACT_PURE_WRITE: "a 'pure' process may only return values; declare semantic: 'effect' to write",
  CONTRACT_REVOKED: 'copy what you need out of ctx before the run ends; references to ctx are revoked after the run',
};

/** Builds the error for an access the contract does not allow, naming the process, path and fix. */
export function violation(
  code: TheusErrorCode,
  actor: Actor,
  path: PathSegments,
  what: string,
  fix: string | undefined = FIX[code],
): ContractViolationError {
  const shown = formatPath(path);
  const error = new ContractViolationError(code, `${actor.who} ${what} '${shown}'${fix === undefined ? '.' : `: ${fix}.`}`, {
    details: { process: actor.process, path: shown },
  });
  actor.noteViolation?.(error);
  return error;
}

const ZONE_RULES: Record<Zone, string> = {
  DATA: 'is writable',
  CONST: "is in the CONST zone ('const_'): it is read-only",
  PRIVATE: "is in the PRIVATE zone ('internal_'): only engine.edit() may touch it",
  SIGNAL: 'is in the SIGNAL zone',
  META: 'is in the META zone',
  HEAVY: 'is in the HEAVY zone',
  LOG: "is in the LOG zone ('log_', 'audit_'): entries may only be appended",
};

/** Builds the error for an operation a zone forbids. */
export function zoneViolation(actor: Actor, path: PathSegments, zone: Zone, operation: string): ContractViolationError {
  const shown = formatPath(path);
  const error = new ContractViolationError('CONTRACT_ZONE', `${actor.who} tried to ${operation} '${shown}', which ${ZONE_RULES[zone]}.`, {
    details: { process: actor.process, path: shown, zone },
  });
  actor.noteViolation?.(error);
  return error;
}
