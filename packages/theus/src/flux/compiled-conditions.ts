import { parseCondition, type CompiledCondition } from './condition/index.js';
import type { WorkflowCondition } from './workflow-ir.js';

/** Compiled conditions, keyed by the IR node they belong to (the IR itself stays plain data). */
const compiled = new WeakMap<WorkflowCondition, CompiledCondition>();

/** Attaches the compiled form of a condition to its IR node. */
export function rememberCondition(condition: WorkflowCondition, compiledCondition: CompiledCondition): void {
  compiled.set(condition, compiledCondition);
}

/**
 * The compiled form of an IR condition. Conditions of a loaded workflow were compiled at load;
 * an IR built by other means is compiled on first use (and may throw `ConditionSyntaxError`).
 */
export function compiledConditionOf(condition: WorkflowCondition): CompiledCondition {
  let found = compiled.get(condition);
  if (found === undefined) {
    found = parseCondition(condition.source);
    compiled.set(condition, found);
  }
  return found;
}
