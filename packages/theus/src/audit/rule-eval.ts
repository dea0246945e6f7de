/**
 * Evaluating a rule's checks against one value. Every check is evaluated (a rule fails if any
 * fails) and each violation says what was expected and what was found.
 *
 * - `min`/`max`: numbers only (and bigints); any other value, NaN included, fails with "expected
 *   a number". Strings are never compared numerically or lexically.
 * - `eq`/`neq`/`in`: deep equality for any JSON-like value, without coercion ({@link deepEqual}).
 * - `min_len`/`max_len`: strings (code points), arrays, plain objects (key count), Maps and Sets;
 *   any other value fails with "has no length".
 * - `regex`: strings only, RE2 syntax, an unanchored search (write `^`/`$`) in linear time; other
 *   values fail, and so does a string longer than the check examines ({@link AuditRegex.maxInput}).
 *
 * @packageDocumentation
 */
import type { AuditRule, RuleCheck, RuleKind } from './recipe-types.js';
import type { AuditRegex } from './regex-check.js';
import { deepEqual, lengthOf } from './value-compare.js';
import { PREVIEW_LENGTH, previewValue } from './value-preview.js';

/** One failed check of a rule. */
export interface RuleViolation {
  readonly check: RuleKind;
  /** The bound, in words: `>= 0.01`, `== "READY"`, `length <= 20`, `matches /^U/`, `one of [1,2]`. */
  readonly expected: string;
  /** The sentence: what was found against what was expected. */
  readonly text: string;
}

const NONE: readonly RuleViolation[] = Object.freeze([]);

/** The violations of `rule` by `value`; an empty list means the rule passes. */
export function evaluateRule(rule: AuditRule, value: unknown): readonly RuleViolation[] {
  let violations: RuleViolation[] | undefined;
  for (const check of rule.checks) {
    if (!passesCheck(check, value)) (violations ??= []).push(violationOf(check, value));
  }
  return violations ?? NONE;
}

/** Whether `value` passes every check of `rule`: the allocation-free path for the common case. */
export function rulePasses(rule: AuditRule, value: unknown): boolean {
  const checks = rule.checks;
  for (let i = 0; i < checks.length; i++) if (!passesCheck(checks[i] as RuleCheck, value)) return false;
  return true;
}

/** The violation of one check by `value`, or `undefined` when it passes. */
export function evaluateCheck(check: RuleCheck, value: unknown): RuleViolation | undefined {
  return passesCheck(check, value) ? undefined : violationOf(check, value);
}

/** Whether `value` passes `check` (the hot path: no strings are built). */
function passesCheck(check: RuleCheck, value: unknown): boolean {
  switch (check.kind) {
    case 'min':
      return isNumeric(value) && value >= check.bound;
    case 'max':
      return isNumeric(value) && value <= check.bound;
    case 'eq':
      return deepEqual(value, check.value);
    case 'neq':
      return !deepEqual(value, check.value);
    case 'min_len': {
      const length = lengthOf(value);
      return length !== undefined && length >= check.bound;
    }
    case 'max_len': {
      const length = lengthOf(value);
      return length !== undefined && length <= check.bound;
    }
    case 'regex':
      return typeof value === 'string' && check.regex.test(value);
    case 'in':
      return check.values.some((allowed) => deepEqual(value, allowed));
  }
}

/** Describes a failed check. */
function violationOf(check: RuleCheck, value: unknown): RuleViolation {
  const found = previewValue(value);
  switch (check.kind) {
    case 'min':
    case 'max': {
      const expected = `${check.kind === 'min' ? '>=' : '<='} ${String(check.bound)}`;
      if (!isNumeric(value)) return { check: check.kind, expected, text: `expected a number ${expected}, got ${found}` };
      return {
        check: check.kind,
        expected,
        text: `${found} is ${check.kind === 'min' ? 'below min' : 'above max'} ${String(check.bound)}`,
      };
    }
    case 'eq':
      return { check: 'eq', expected: `== ${previewValue(check.value)}`, text: `${found} is not equal to ${previewValue(check.value)}` };
    case 'neq':
      return { check: 'neq', expected: `!= ${previewValue(check.value)}`, text: `${found} is forbidden` };
    case 'min_len':
    case 'max_len': {
      const expected = `length ${check.kind === 'min_len' ? '>=' : '<='} ${String(check.bound)}`;
      const length = lengthOf(value);
      if (length === undefined) return { check: check.kind, expected, text: `${found} has no length (expected a string, list or mapping)` };
      const side = check.kind === 'min_len' ? 'below min_len' : 'above max_len';
      return { check: check.kind, expected, text: `length ${String(length)} is ${side} ${String(check.bound)}` };
    }
    case 'regex': {
      const pattern = `/${previewPattern(check.pattern)}/`;
      const expected = `matches ${pattern}`;
      if (typeof value !== 'string') return { check: 'regex', expected, text: `expected a string matching ${pattern}, got ${found}` };
      if (value.length > check.regex.maxInput) return { check: 'regex', expected, text: tooLong(value, check.regex, pattern) };
      return { check: 'regex', expected, text: `${found} does not match ${pattern}` };
    }
    case 'in': {
      const expected = `one of ${previewValue(check.values)}`;
      return { check: 'in', expected, text: `${found} is not ${expected}` };
    }
  }
}

/** A pattern as messages quote it: cut to the preview length. */
function previewPattern(pattern: string): string {
  return pattern.length > PREVIEW_LENGTH ? `${pattern.slice(0, PREVIEW_LENGTH - 1)}…` : pattern;
}

function tooLong(value: string, regex: AuditRegex, pattern: string): string {
  const length = String(value.length);
  const limit = String(regex.maxInput);
  return `a string of ${length} characters is longer than the ${limit} that ${pattern} examines, so it was not matched: cap the field with a max_len rule, or simplify the pattern`;
}

/** Numbers and bigints, NaN excluded: the only values `min`/`max` compare. */
function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && !Number.isNaN(value));
}
