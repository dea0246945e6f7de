/**
 * The shapes of a loaded audit recipe (camelCase, resolved, deeply frozen) and of the plain
 * object a caller may pass instead of YAML (the file format's snake_case keys).
 *
 * @packageDocumentation
 */
import type { AuditLevel } from './levels.js';
import type { AuditRegex } from './regex-check.js';

/** The two gates of a process run: its arguments before the body, its writes after it. */
export type AuditGate = 'input' | 'output';

/** Level and thresholds of a rule after defaults are applied. */
export interface AuditSettings {
  /** The level whose action fires when the counter reaches {@link AuditSettings.maxThreshold}. */
  readonly level: AuditLevel;
  /** From this many failures on, each failure is a warning; 0 turns warnings off. */
  readonly minThreshold: number;
  /** Reaching this many failures triggers the level's action and resets the counter (>= 1). */
  readonly maxThreshold: number;
  /** Whether a passing check resets the counter to 0. */
  readonly resetOnSuccess: boolean;
}

/** One check of a rule, with its bound compiled. */
export type RuleCheck =
  | { readonly kind: 'min' | 'max'; readonly bound: number }
  | { readonly kind: 'eq' | 'neq'; readonly value: unknown }
  | { readonly kind: 'min_len' | 'max_len'; readonly bound: number }
  | { readonly kind: 'regex'; readonly pattern: string; readonly regex: AuditRegex }
  | { readonly kind: 'in'; readonly values: readonly unknown[] };

/** The name of a check: `min`, `max`, `eq`, `neq`, `min_len`, `max_len`, `regex` or `in`. */
export type RuleKind = RuleCheck['kind'];

/**
 * Where something is written in a recipe: 1-based line and column (0 for object recipes, which
 * have no lines) and its key path (`process_recipes.transfer.inputs[0].field`).
 */
export interface RecipeLocation {
  readonly line: number;
  readonly column: number;
  readonly path: string;
}

/** One resolved rule: a field, its checks (all must pass), and its effective settings. */
export interface AuditRule extends AuditSettings {
  readonly gate: AuditGate;
  /** Position in its gate's list, inherited rules first. */
  readonly index: number;
  /** An argument name (`amount`) or a dotted context path (`domain.balance`). */
  readonly field: string;
  readonly checks: readonly RuleCheck[];
  /** The recipe author's explanation, appended to failure messages. */
  readonly message?: string;
  /** Where the rule was written: `file:line:column`, or `<object>:key.path` for object recipes. */
  readonly where: string;
  /** Where its `field` value is written (set by the loader; absent in a hand-built recipe). */
  readonly fieldAt?: RecipeLocation;
}

/** The resolved recipe of one process (bases already merged in). */
export interface AuditProcessRecipe {
  readonly name: string;
  /** Where the process name is written (set by the loader; absent in a hand-built recipe). */
  readonly at?: RecipeLocation;
  /** The `inherits` chain, nearest first. */
  readonly inherits: readonly string[];
  /** Process-level settings (own, then inherited, then the recipe defaults, then built-ins). */
  readonly settings: AuditSettings;
  readonly inputs: readonly AuditRule[];
  readonly outputs: readonly AuditRule[];
  /** Documentation only (`side_effects:`), kept for tooling. */
  readonly sideEffects: readonly string[];
  /** Documentation only (`errors:`), kept for tooling. */
  readonly errors: readonly string[];
}

/** A loaded, validated, deeply frozen audit recipe. */
export interface AuditRecipe {
  /** The file name it came from (`<inline>` for text, `<object>` for objects, unless given). */
  readonly file: string;
  /** Top-level defaults (`audit:`), built-ins filled in. */
  readonly defaults: AuditSettings;
  /** Processes by name (null prototype; bases whose names start with `_` are not listed). */
  readonly processes: Readonly<Record<string, AuditProcessRecipe>>;
}

/** Settings keys accepted at the top, on a process and on a rule (aliases of the original). */
export interface AuditSettingsInput {
  readonly level?: string;
  readonly min_threshold?: number;
  readonly threshold_min?: number;
  readonly max_threshold?: number;
  readonly threshold_max?: number;
  readonly reset_on_success?: boolean;
}

/** The top-level `audit:` section; also takes the original's legacy spellings. */
export interface AuditDefaultsInput extends AuditSettingsInput {
  readonly default_level?: string;
  readonly default_threshold_max?: number;
  readonly max_retries?: number;
}

/** One rule as written in a recipe. */
export interface AuditRuleInput extends AuditSettingsInput {
  readonly field?: string;
  /** Alias of `field` (the original's alternative format). */
  readonly key?: string;
  readonly min?: number;
  readonly max?: number;
  readonly eq?: unknown;
  readonly neq?: unknown;
  readonly min_len?: number;
  readonly max_len?: number;
  readonly regex?: string;
  readonly in?: readonly unknown[];
  readonly message?: string;
}

/** One process recipe (or `_base`) as written. */
export interface AuditProcessInput extends AuditSettingsInput {
  readonly inherits?: string;
  readonly inputs?: readonly AuditRuleInput[] | null;
  readonly outputs?: readonly AuditRuleInput[] | null;
  readonly side_effects?: readonly string[];
  readonly errors?: readonly string[];
}

/** One entry of the original's alternative `rules:` list format. */
export interface AuditRuleGroupInput extends Omit<AuditProcessInput, 'inputs' | 'outputs'> {
  readonly process: string;
  readonly input_rules?: readonly AuditRuleInput[] | null;
  readonly output_rules?: readonly AuditRuleInput[] | null;
}

/** A recipe as a plain object: the same shape as the YAML file. */
export interface AuditRecipeInput extends AuditDefaultsInput {
  readonly audit?: AuditDefaultsInput | null;
  /** Alias of `audit` (the original's alternative format). */
  readonly defaults?: AuditDefaultsInput | null;
  readonly process_recipes?: Readonly<Record<string, AuditProcessInput | null>> | null;
  readonly rules?: readonly AuditRuleGroupInput[] | null;
}
