import { ContractViolationError, TheusError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import type { CompiledContract, ProcessHelpers } from '../contract/process.js';
import { DraftSession, type DraftSessionKind } from './draft-session.js';
import { createGuardedContext, createOpenContext } from './context-view.js';
import { mapReturnedOutputs } from './output-mapping.js';
import { createRunEffects, type RunEffects } from './run-effects.js';
import type { Patch } from './patches.js';

/**
 * What one attempt of a run produced, ready for the commit path. The paths it read are collected
 * from its draft only when a conflict check needs them: most commits find no commit since their
 * start and never ask.
 */
export class Attempt {
  #readPaths: readonly PathSegments[] | undefined;
  #presenceReads: readonly PathSegments[] | undefined;

  constructor(
    readonly root: object,
    readonly patches: readonly Patch[],
    readonly effects: RunEffects,
    readonly result: unknown,
    /** Where the reads come from; `undefined` for a run whose reads are not tracked (compare-and-swap). */
    private readonly session: DraftSession | undefined,
    /** Reads made elsewhere (the worker thread that ran the process), added to the session's. */
    private readonly foreign?: ForeignReads,
  ) {}

  /** Paths whose content the run read. */
  get readPaths(): readonly PathSegments[] {
    if (this.#readPaths !== undefined) return this.#readPaths;
    const own = this.session === undefined ? [] : this.session.readPaths();
    return (this.#readPaths = this.foreign === undefined ? own : [...this.foreign.readPaths, ...own]);
  }

  /** Paths whose presence (not content) the run observed: they conflict only with writes at or above them. */
  get presenceReads(): readonly PathSegments[] {
    if (this.#presenceReads !== undefined) return this.#presenceReads;
    const own = this.session === undefined ? [] : this.session.presencePaths();
    return (this.#presenceReads = this.foreign === undefined ? own : [...this.foreign.presenceReads, ...own]);
  }
}

/** The reads of a run made in another thread. */
export interface ForeignReads {
  readonly readPaths: readonly PathSegments[];
  readonly presenceReads: readonly PathSegments[];
}

/** A process function, called with its `ctx` and arguments (and nothing else: user code never sees the session). */
export type ProcessBody = (ctx: ProcessHelpers, args: unknown) => unknown;

/** An engine-internal admin body (edit, compare-and-swap), called with the draft session itself. */
export type AdminBody = (ctx: ProcessHelpers, session: DraftSession) => unknown;

/** The body an attempt runs: a {@link ProcessBody}, or an {@link AdminBody} for the `admin` kind. */
export type AttemptBody = ProcessBody | AdminBody;

/**
 * Runs one attempt: builds a draft over the committed root, runs the body against its `ctx`,
 * maps returned outputs and finalizes the draft. Nothing is committed here.
 */
export function runAttempt(
  kind: DraftSessionKind,
  contract: CompiledContract,
  root: object,
  body: AttemptBody,
  args: unknown,
): Attempt | Promise<Attempt> {
  const who = kind === 'admin' ? contract.name : `Process '${contract.name}'`;
  const pure = contract.semantic === 'pure';
  const session = new DraftSession(who, contract.name, kind, pure, root, contract.access);
  const effects = createRunEffects();
  const ctx = kind === 'process' ? createGuardedContext(session, contract, root, effects) : createOpenContext(session, contract, effects);
  let returned: unknown;
  try {
    returned = kind === 'admin' ? body(ctx, session) : (body as ProcessBody)(ctx, args);
  } catch (error) {
    session.revoke();
    throw translateProcessError(error, contract, who, pure);
  }
  if (!isThenable(returned)) return completeAttempt(returned, contract, session, effects);
  return Promise.resolve(returned).then(
    (value) => completeAttempt(value, contract, session, effects),
    (error: unknown) => {
      session.revoke();
      throw translateProcessError(error, contract, who, pure);
    },
  );
}

/** Maps the returned value onto the draft and finalizes it into the attempt's result. */
function completeAttempt(returned: unknown, contract: CompiledContract, session: DraftSession, effects: RunEffects): Attempt {
  let result: unknown;
  try {
    // A run that attempted an illegal access fails, even if the process caught the error.
    if (session.violation !== undefined) throw session.violation;
    result = mapReturnedOutputs(returned, contract, session, effects);
  } catch (error) {
    session.revoke();
    throw error;
  }
  const finalized = session.finalize();
  return new Attempt(finalized.root, finalized.patches, effects, result, session);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** The one declared input whose last segment is `property` (what a native frozen-write error names), if exactly one. */
function inputPathNamed(contract: CompiledContract, property: string): string | undefined {
  const matches = contract.inputPaths.filter((path) => String(path[path.length - 1]) === property);
  return matches.length === 1 ? formatPath(matches[0] as PathSegments) : undefined;
}

const FROZEN_WRITE =
  /^Cannot (assign to read only property|add property|delete property|define property|redefine property)|object is not extensible/;

/**
 * Turns what a process threw into what the caller sees: writes to frozen committed data become
 * contract violations, undeclared errors are wrapped, everything else passes unchanged.
 */
export function translateProcessError(error: unknown, contract: CompiledContract, who: string, pure: boolean): unknown {
  if (error instanceof TheusError) return error;
  if (error instanceof TypeError && FROZEN_WRITE.test(error.message)) {
    const code = pure ? 'CONTRACT_PURE_WRITE' : 'CONTRACT_ILLEGAL_WRITE';
    const fix = pure
      ? "a 'pure' process may only return values"
      : "declared inputs are frozen committed values: declare the path in the contract's outputs to change it";
    const property = /property '([^']*)'/.exec(error.message)?.[1];
    const path = property === undefined ? undefined : inputPathNamed(contract, property);
    const what =
      path !== undefined
        ? `the input-only path '${path}'`
        : property === undefined
          ? 'read-only committed data'
          : `the read-only property '${property}' of an input`;
    return new ContractViolationError(code, `${who} wrote to ${what}: ${fix}.`, {
      details: { process: contract.name, ...(path === undefined ? {} : { path }), ...(property === undefined ? {} : { property }) },
      cause: error,
    });
  }
  const declared = contract.errors;
  if (declared === undefined || declared.length === 0) return error;
  const name = error instanceof Error ? error.name : undefined;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if ((name !== undefined && declared.includes(name)) || (typeof code === 'string' && declared.includes(code))) return error;
  const shown = name ?? (typeof error === 'object' ? 'a non-Error value' : typeof error);
  return new ContractViolationError(
    'CONTRACT_UNDECLARED_ERROR',
    `${who} threw ${shown}${error instanceof Error ? ` (${error.message})` : ''}, which is not among its declared errors [${declared.join(', ')}]: declare it in 'errors' or handle it inside the process.`,
    { details: { process: contract.name, error: shown }, cause: error },
  );
}
