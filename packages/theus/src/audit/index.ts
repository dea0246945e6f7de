/**
 * The audit core: recipes (load, validate, inherit), rule evaluation, levels and thresholds, the
 * audit log, and the gate checker the engine consults. No `node:` imports here: the file loader
 * (`recipe-file.ts`) is exported from Node-only entries.
 *
 * @packageDocumentation
 */
export { AuditTracker } from './audit-tracker.js';
export type { AuditCounter, AuditGateInput, AuditTrackerOptions } from './audit-tracker.js';
export { PASSED } from './audit-outcome.js';
export type { AuditFailure, AuditOutcome } from './audit-outcome.js';
export type { AuditLogEntry } from './audit-log.js';
export { auditProcessOf, fieldsOf, planGate } from './gate-plan.js';
export type { AuditFieldRef, GateFieldPlan } from './gate-plan.js';
export { AUDIT_ACTIONS, AUDIT_LEVELS, LEVEL_ACTIONS, parseLevel } from './levels.js';
export type { AuditAction, AuditLevel } from './levels.js';
export { loadAuditRecipe } from './recipe-loader.js';
export type { LoadAuditRecipeOptions } from './recipe-loader.js';
export { formatRecipeIssue, formatRecipeIssues } from './recipe-issues.js';
export { argumentNames, processIssues, recipeIssues } from './recipe-binding.js';
export type { ArgumentNames, AuditedProcess, RecipeTarget } from './recipe-binding.js';
export type { AuditRecipeIssue } from './recipe-issues.js';
export { BUILT_IN_SETTINGS } from './recipe-settings.js';
export { evaluateCheck, evaluateRule } from './rule-eval.js';
export type { RuleViolation } from './rule-eval.js';
export { deepEqual, lengthOf, MAX_COMPARE_DEPTH } from './value-compare.js';
export { previewValue, PREVIEW_LENGTH, PRIVATE_PREVIEW } from './value-preview.js';
export { AuditRegex, compileAuditRegex, MAX_REGEX_INPUT, MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM, REGEX_WORK_LIMIT } from './regex-check.js';
export type { RegexProblem } from './regex-check.js';
export { MAX_RULE_VALUE_DEPTH } from './recipe-value.js';
export type {
  AuditDefaultsInput,
  AuditGate,
  AuditProcessInput,
  AuditProcessRecipe,
  AuditRecipe,
  AuditRecipeInput,
  AuditRuleGroupInput,
  AuditRuleInput,
  AuditRule,
  AuditSettings,
  AuditSettingsInput,
  RecipeLocation,
  RuleCheck,
  RuleKind,
} from './recipe-types.js';
