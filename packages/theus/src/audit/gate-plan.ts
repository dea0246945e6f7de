/**
 * Which fields a gate reads and which rules apply to each, so the engine can prepare exactly
 * those values and the tracker counts each field once per check.
 *
 * Field resolution (what the engine's `read(field)` should do): an argument named exactly
 * `field` first; otherwise, for a dotted field, the context path (first segment = layer, e.g.
 * `domain.total`); at the output gate, paths are read from the state as it will be committed
 * (pending writes and returned values included). Anything else is absent (`undefined`).
 *
 * @packageDocumentation
 */
import type { AuditGate, AuditProcessRecipe, AuditRecipe, AuditRule } from './recipe-types.js';

/** A field a gate reads, and how to resolve it. */
export interface AuditFieldRef {
  /** As written in the recipe. */
  readonly field: string;
  /** `argument` for a plain name (`amount`), `path` for a dotted context path (`domain.total`). */
  readonly kind: 'argument' | 'path';
  /** The dotted segments (one for an argument). */
  readonly segments: readonly string[];
}

/** A field with the rules that check it, in recipe order. */
export interface GateFieldPlan extends AuditFieldRef {
  readonly rules: readonly AuditRule[];
}

/** The recipe of `process`, or `undefined` (never a prototype member). */
export function auditProcessOf(recipe: AuditRecipe, process: string): AuditProcessRecipe | undefined {
  return Object.hasOwn(recipe.processes, process) ? recipe.processes[process] : undefined;
}

/** Groups a gate's rules by field, fields in order of first appearance. */
export function planGate(recipe: AuditRecipe, process: string, gate: AuditGate): readonly GateFieldPlan[] {
  const found = auditProcessOf(recipe, process);
  if (found === undefined) return [];
  const byField = new Map<string, AuditRule[]>();
  for (const rule of gate === 'input' ? found.inputs : found.outputs) {
    const list = byField.get(rule.field);
    if (list === undefined) byField.set(rule.field, [rule]);
    else list.push(rule);
  }
  return [...byField].map(([field, rules]) => Object.freeze({ ...refOf(field), rules: Object.freeze(rules) }));
}

/**
 * The fields a gate of `process` reads (each once), so the engine knows which arguments and
 * context paths to resolve. Empty when the process has no recipe.
 *
 * @example
 * ```ts
 * fieldsOf(recipe, 'transfer', 'input') // [{ field: 'amount', kind: 'argument', segments: ['amount'] }]
 * ```
 */
export function fieldsOf(recipe: AuditRecipe, process: string, gate: AuditGate): readonly AuditFieldRef[] {
  return planGate(recipe, process, gate).map((plan) => refOf(plan.field));
}

function refOf(field: string): AuditFieldRef {
  const segments = Object.freeze(field.split('.'));
  return Object.freeze({ field, kind: segments.length > 1 ? 'path' : 'argument', segments });
}
