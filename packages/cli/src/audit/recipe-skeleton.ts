import { zoneOfPath, type AnyProcess } from 'theus';
import { argumentNames } from 'theus/audit';

/** One generated rule: a field and a check that holds for any present value, at level I. */
export interface SkeletonRule {
  readonly field: string;
  readonly neq: null;
  readonly level: 'I';
}

/** The recipe entry `audit gen-spec` writes for a process that has none. */
export interface ProcessSkeleton {
  readonly inputs: readonly SkeletonRule[];
  readonly outputs: readonly SkeletonRule[];
  readonly side_effects: readonly string[];
  readonly errors: readonly string[];
}

/** Zones whose outputs are state worth auditing (signals are transient, HEAVY is binary, LOG only grows). */
const AUDITED_ZONES: ReadonlySet<string> = new Set(['DATA', 'META']);

/**
 * A valid, harmless starting point for a process's audit: one rule per argument its args schema
 * names and per declared output path in DATA or META, each `neq: null` at level I (a failure is
 * only recorded in `engine.audit.logs()`), plus the contract's side effects and errors.
 */
export function processSkeleton(process: AnyProcess): ProcessSkeleton {
  const contract = process.contract;
  const argNames = argumentNames(contract.args);
  const inputs = argNames === undefined ? [] : [...argNames.names].map(skeletonRule);
  const outputs = contract.outputPaths.filter((path) => AUDITED_ZONES.has(zoneOfPath(path))).map((path) => path.join('.'));
  return { inputs, outputs: outputs.map(skeletonRule), side_effects: [...contract.sideEffects], errors: [...(contract.errors ?? [])] };
}

function skeletonRule(field: string): SkeletonRule {
  return { field, neq: null, level: 'I' };
}

/** Whether the process takes arguments the skeleton could not name (no args schema that describes them). */
export function hasUnnamedArguments(process: AnyProcess): boolean {
  return argumentNames(process.contract.args) === undefined;
}
