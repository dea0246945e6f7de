/**
 * The workflow condition language: a tokenizer, parser and closure compiler for the Python-style
 * expressions of `flux: if` / `flux: while` steps. No `eval`, no `Function`: only own data is read.
 *
 * @packageDocumentation
 */
export type { ConditionScope } from './condition-scope.js';
export type { CompiledCondition, ConditionEvaluationOptions } from './condition.js';
export { DEFAULT_CONDITION_BUDGET, checkBudget } from './budget.js';
export { parseCondition } from './condition.js';
export { ConditionSyntaxError } from './syntax-error.js';
export { MAX_NESTING } from './parser.js';
