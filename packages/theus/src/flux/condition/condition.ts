/**
 * `parseCondition`: parse and compile a condition once, then test it against many scopes.
 *
 * @packageDocumentation
 */
import { TheusError, WorkflowError } from '../../errors/index.js';
import { BudgetFault, checkBudget, DEFAULT_CONDITION_BUDGET, Evaluation } from './budget.js';
import { compileTest, compileValue } from './compile.js';
import type { ConditionScope } from './condition-scope.js';
import { ConditionFault } from './fault.js';
import { parse } from './parser.js';
import { ConditionSyntaxError, lineColumnAt } from './syntax-error.js';

/** Options of one evaluation of a {@link CompiledCondition}. */
export interface ConditionEvaluationOptions {
  /**
   * The work budget of this evaluation, in units (one per list item, mapping entry or character
   * built, copied, compared or scanned). Default 1,000,000; `Infinity` switches it off.
   */
  readonly budget?: number;
  /**
   * @internal Whether the scope was built for this evaluation alone (the workflow runner's, which
   * asks its host for the latest state at every evaluation): it is then read without being
   * checked and remembered as a whole, which would cost more than it saves.
   */
  readonly freshScope?: boolean;
}

/** A condition parsed and compiled once; `test` and `evaluate` may run any number of times. */
export interface CompiledCondition {
  /** The condition's text, as given. */
  readonly source: string;
  /** Free names the condition reads (e.g. ['domain','signal']), excluding builtins and constants; the loader checks them against the known layers at load time. */
  readonly names: readonly string[];
  /**
   * Evaluates and applies Python truthiness. Throws `WorkflowError` (`WORKFLOW_CONDITION`) naming
   * the condition text and the problem (unknown name, missing key or attribute, a type error such
   * as `'a' < 1`, division by zero, the work budget exhausted...). PRIVATE keys (`internal_...`)
   * read as absent at any depth.
   */
  test(scope: ConditionScope, options?: ConditionEvaluationOptions): boolean;
  /** The raw value. Same errors. */
  evaluate(scope: ConditionScope, options?: ConditionEvaluationOptions): unknown;
}

/** Turns any failure inside an evaluation into a `WORKFLOW_CONDITION` error naming the condition. */
function conditionError(source: string, error: unknown): Error {
  if (error instanceof TheusError) return error;
  const offset = error instanceof ConditionFault ? error.offset : 0;
  const problem = error instanceof Error ? error.message : String(error);
  const { line, column } = lineColumnAt(source, offset);
  const where = line === 1 ? `column ${String(column)}` : `line ${String(line)}, column ${String(column)}`;
  const message = `Condition ${JSON.stringify(source)} failed at ${where}: ${problem}`;
  const budget = error instanceof BudgetFault ? { budget: error.budget } : {};
  return new WorkflowError('WORKFLOW_CONDITION', message, {
    details: { condition: source, problem, offset, line, column, ...budget },
    ...(error instanceof ConditionFault ? {} : { cause: error }),
  });
}

function checkScope(source: string, scope: unknown): void {
  if (typeof scope !== 'object' || scope === null) {
    throw conditionError(source, new ConditionFault('the scope must be an object of named layers', 0));
  }
}

/** The budget of one evaluation: the default, or the caller's after checking it. */
function budgetOf(options: ConditionEvaluationOptions | undefined): number {
  return options?.budget === undefined ? DEFAULT_CONDITION_BUDGET : checkBudget(options.budget, 'budget');
}

/**
 * Parses and compiles a condition of the workflow language (Python's expression subset plus the
 * JS spellings `&&`, `||`, `!`, `true`, `false`, `null`). Pure: the same text gives the same result.
 * Parsing refuses conditions nested more than 200 levels deep; every evaluation runs under a work
 * budget (see {@link ConditionEvaluationOptions}).
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
    test(scope: ConditionScope, options?: ConditionEvaluationOptions): boolean {
      checkScope(text, scope);
      const evaluation = new Evaluation(scope, budgetOf(options), options?.freshScope === true);
      try {
        return tester(evaluation);
      } catch (error) {
        throw conditionError(text, error);
      }
    },
    evaluate(scope: ConditionScope, options?: ConditionEvaluationOptions): unknown {
      checkScope(text, scope);
      const evaluation = new Evaluation(scope, budgetOf(options), options?.freshScope === true);
      try {
        return evaluator(evaluation);
      } catch (error) {
        throw conditionError(text, error);
      }
    },
  });
}
