/**
 * `parseCondition`: parse and compile a condition once, then test it against many scopes.
 *
 * @packageDocumentation
 */
import { TheusError, WorkflowError } from '../../errors/index.js';
import { compileTest, compileValue } from './compile.js';
import type { ConditionScope } from './condition-scope.js';
import { ConditionFault } from './fault.js';
import { parse } from './parser.js';
import { ConditionSyntaxError, lineColumnAt } from './syntax-error.js';

/** A condition parsed and compiled once; `test` and `evaluate` may run any number of times. */
export interface CompiledCondition {
  /** The condition's text, as given. */
  readonly source: string;
  /** Free names the condition reads (e.g. ['domain','signal']), excluding builtins and constants; the loader checks them against the known layers at load time. */
  readonly names: readonly string[];
  /** Evaluates and applies Python truthiness. Throws WorkflowError code 'WORKFLOW_CONDITION' (from packages/theus/src/errors/index.ts) naming the condition text and the problem (unknown name, missing key/attribute, type error like comparing str < int, division by zero...). */
  test(scope: ConditionScope): boolean;
  /** The raw value. Same errors. */
  evaluate(scope: ConditionScope): unknown;
}

/** Turns any failure inside an evaluation into a `WORKFLOW_CONDITION` error naming the condition. */
function conditionError(source: string, error: unknown): Error {
  if (error instanceof TheusError) return error;
  const offset = error instanceof ConditionFault ? error.offset : 0;
  const problem = error instanceof Error ? error.message : String(error);
  const { line, column } = lineColumnAt(source, offset);
  const where = line === 1 ? `column ${String(column)}` : `line ${String(line)}, column ${String(column)}`;
  const message = `Condition ${JSON.stringify(source)} failed at ${where}: ${problem}`;
  return new WorkflowError('WORKFLOW_CONDITION', message, {
    details: { condition: source, problem, offset, line, column },
    ...(error instanceof ConditionFault ? {} : { cause: error }),
  });
}

function checkScope(source: string, scope: unknown): void {
  if (typeof scope !== 'object' || scope === null) {
    throw conditionError(source, new ConditionFault('the scope must be an object of named layers', 0));
  }
}

/**
 * Parses and compiles a condition of the workflow language (Python's expression subset plus the
 * JS spellings `&&`, `||`, `!`, `true`, `false`, `null`). Pure: the same text gives the same result.
 *
 * @throws {@link ConditionSyntaxError} with the offset, line and column of the first problem.
 * @example
 * ```ts
 * const cond = parseCondition("domain.retries < 3 and not signal.get('cmd_stop')");
 * cond.names; // ['domain', 'signal']
 * cond.test({ domain: { retries: 1 }, signal: {} }); // true
 * ```
 */
export function parseCondition(source: string): CompiledCondition {
  const text = String(source);
  const { root, names } = parse(text);
  const fail = (message: string, offset: number): never => {
    throw new ConditionSyntaxError(message, text, offset);
  };
  const tester = compileTest(root, fail);
  const evaluator = compileValue(root, fail);
  return Object.freeze({
    source: text,
    names: Object.freeze(names),
    test(scope: ConditionScope): boolean {
      checkScope(text, scope);
      try {
        return tester(scope);
      } catch (error) {
        throw conditionError(text, error);
      }
    },
    evaluate(scope: ConditionScope): unknown {
      checkScope(text, scope);
      try {
        return evaluator(scope);
      } catch (error) {
        throw conditionError(text, error);
      }
    },
  });
}
