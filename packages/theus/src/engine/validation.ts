import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ContractViolationError, SchemaViolationError } from '../errors/index.js';
import { describe } from '../context/paths.js';
import type { CompiledContract } from '../contract/process.js';
import { formatIssues } from './format-issues.js';
import { schemaView } from '../context/schema-view.js';

/**
 * Checks a run's arguments: one plain object (or none), then the contract's `args` schema.
 * Synchronous unless the schema validates asynchronously, so most runs take no extra promise.
 *
 * @throws ContractViolationError (`CONTRACT_BAD_ARGS`) naming the process and every problem.
 */
export function validateArgs(contract: CompiledContract, args: unknown): unknown {
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    throw new ContractViolationError(
      'CONTRACT_BAD_ARGS',
      `Process '${contract.name}' takes its arguments as one object, got ${describe(args)}: call engine.execute('${contract.name}', { ... }).`,
      {
        details: { process: contract.name },
      },
    );
  }
  const schema = contract.args;
  if (schema === undefined) return args;
  const verdict = schema['~standard'].validate(args);
  return verdict instanceof Promise ? verdict.then((result) => argsVerdict(contract, result)) : argsVerdict(contract, verdict);
}

/** The validated arguments, or the error naming every problem. */
function argsVerdict(contract: CompiledContract, result: StandardSchemaV1.Result<unknown>): unknown {
  if (result.issues === undefined) return result.value;
  const problems = formatIssues(result.issues);
  throw new ContractViolationError('CONTRACT_BAD_ARGS', `Process '${contract.name}' rejected its arguments (${problems.join('; ')}).`, {
    details: { process: contract.name, issues: problems },
  });
}

/** Checks the initial context against the schema (a synchronous verdict only: an async schema is checked at the first commit). */
export function validateInitial(schema: StandardSchemaV1 | undefined, root: object, what: string): void {
  if (schema === undefined) return;
  const verdict = schema['~standard'].validate(schemaView(root));
  if (verdict instanceof Promise) return;
  if (verdict.issues !== undefined) {
    const problems = formatIssues(verdict.issues);
    throw new SchemaViolationError('TX_SCHEMA', `${what} does not satisfy the schema (${problems.join('; ')}).`, {
      details: { issues: problems },
    });
  }
}
