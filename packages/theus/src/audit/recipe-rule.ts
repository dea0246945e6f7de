/**
 * Reading one rule (`{ field, min, max, ..., level, message }`) from the recipe tree.
 *
 * @packageDocumentation
 */
import { FORBIDDEN_KEYS } from '../context/paths.js';
import { zoneOfSegment } from '../context/zones.js';
import type { SourcePosition } from '../yaml/source-issue.js';
import type { YamlMap, YamlNode } from '../yaml/yaml-tree.js';
import type { IssueList } from './recipe-issues.js';
import { asMap, asSeq, checkKeys, itemPath, keyPath, oneOf, readNumber, readString } from './recipe-nodes.js';
import { readRuleValue } from './recipe-value.js';
import { compileAuditRegex } from './regex-check.js';
import { readSettings, settingsKeys, type SettingsDraft } from './recipe-settings.js';
import type { RuleCheck, RuleKind } from './recipe-types.js';

/** A rule as read, before defaults and inheritance are applied. */
export interface RuleDraft {
  readonly field: string;
  readonly checks: readonly RuleCheck[];
  readonly settings: SettingsDraft;
  readonly message?: string;
  readonly pos: SourcePosition;
  readonly path: string;
  /** Where the `field` (or `key`) value is written. */
  readonly fieldPos: SourcePosition;
  readonly fieldPath: string;
}

/** The check keys, in the order they are evaluated. */
export const CHECK_KINDS: readonly RuleKind[] = ['min', 'max', 'eq', 'neq', 'min_len', 'max_len', 'regex', 'in'];

const RULE_KEYS: ReadonlySet<string> = new Set(['field', 'key', 'message', ...CHECK_KINDS, ...settingsKeys('rule')]);

/** Reads a rule, collecting every problem; `undefined` when the rule cannot be used. */
export function readRule(node: YamlNode, path: string, issues: IssueList): RuleDraft | undefined {
  const map = asMap(node, path, 'a rule', issues);
  if (map === undefined) return undefined;
  checkKeys(map, path, RULE_KEYS, 'rule', issues);
  const fieldEntry = oneOf(map, path, ['field', 'key'], issues);
  const fieldPath = fieldEntry === undefined ? path : keyPath(path, fieldEntry.key);
  const field = fieldEntry === undefined ? undefined : readField(fieldEntry.node, fieldPath, issues);
  if (fieldEntry === undefined)
    issues.add(map.pos, path, "a rule needs a 'field': an argument name or a dotted context path such as domain.total");
  const checks = readChecks(map, path, issues);
  if (!map.entries.some((e) => (CHECK_KINDS as readonly string[]).includes(e.key)))
    issues.add(map.pos, path, `a rule needs at least one check: ${CHECK_KINDS.join(', ')}`);
  const settings = readSettings(map, path, 'rule', issues);
  const messageEntry = map.entries.find((e) => e.key === 'message');
  const message = messageEntry === undefined ? undefined : readString(messageEntry.value, keyPath(path, 'message'), "'message'", issues);
  if (field === undefined) return undefined;
  const draft = { field, checks, settings, pos: map.pos, path, fieldPos: fieldEntry?.node.pos ?? map.pos, fieldPath };
  return message === undefined ? draft : { ...draft, message };
}

/**
 * The field as written, or `undefined` (with an issue) when a segment is empty, has spaces around
 * it or is `__proto__` / `prototype` / `constructor`, or when a path reaches PRIVATE data. The
 * checks see the segments exactly as the run resolves them (split at dots, never trimmed: see
 * gate-plan.ts), so a padded segment is refused rather than read as a different key than it seems.
 */
function readField(node: YamlNode, path: string, issues: IssueList): string | undefined {
  const field = readString(node, path, "'field'", issues);
  if (field === undefined) return undefined;
  const segments = field.split('.');
  const bad = segments.find((segment) => segment === '' || segment.trim() !== segment || FORBIDDEN_KEYS.has(segment));
  if (bad !== undefined) {
    issues.add(
      node.pos,
      path,
      `field '${field}' has an invalid segment '${bad}': a segment is not empty, has no spaces around it and is not __proto__, prototype or constructor; use an argument name or a dotted path such as domain.total`,
    );
    return undefined;
  }
  const hidden = segments.length > 1 ? segments.find((segment) => zoneOfSegment(segment) === 'PRIVATE') : undefined;
  if (hidden === undefined) return field;
  issues.add(
    node.pos,
    path,
    `field '${field}' is in the PRIVATE zone (segment '${hidden}'): audit rules cannot read 'internal_' data, whose values must never reach the audit log, events or errors; audit a non-private field instead`,
  );
  return undefined;
}

function readChecks(map: YamlMap, path: string, issues: IssueList): RuleCheck[] {
  const checks: RuleCheck[] = [];
  const bounds = new Map<RuleKind, { value: number; pos: SourcePosition; path: string }>();
  for (const kind of CHECK_KINDS) {
    const entry = map.entries.find((e) => e.key === kind);
    if (entry === undefined) continue;
    const at = keyPath(path, kind);
    const check = readCheck(kind, entry.value, at, issues);
    if (check === undefined) continue;
    checks.push(check);
    if ('bound' in check) bounds.set(kind, { value: check.bound, pos: entry.value.pos, path: at });
  }
  for (const [low, high] of [
    ['min', 'max'],
    ['min_len', 'max_len'],
  ] as const) {
    const lo = bounds.get(low);
    const hi = bounds.get(high);
    if (lo !== undefined && hi !== undefined && lo.value > hi.value) {
      issues.add(hi.pos, hi.path, `${high} (${String(hi.value)}) is below ${low} (${String(lo.value)}): no value could pass`);
    }
  }
  return checks;
}

function readCheck(kind: RuleKind, node: YamlNode, path: string, issues: IssueList): RuleCheck | undefined {
  switch (kind) {
    case 'min':
    case 'max': {
      const bound = readNumber(node, path, `'${kind}'`, issues);
      return bound === undefined ? undefined : { kind, bound };
    }
    case 'min_len':
    case 'max_len': {
      const bound = readNumber(node, path, `'${kind}'`, issues, { min: 0 });
      return bound === undefined ? undefined : { kind, bound };
    }
    case 'eq':
    case 'neq': {
      const read = readRuleValue(node, path, `'${kind}'`, issues);
      return read === undefined ? undefined : { kind, value: read.value };
    }
    case 'in': {
      const seq = asSeq(node, path, "'in'", issues);
      if (seq === undefined) return undefined;
      if (seq.items.length === 0) {
        issues.add(node.pos, path, "'in' must list at least one allowed value");
        return undefined;
      }
      const values = seq.items.map((item, i) => readRuleValue(item, itemPath(path, i), "an 'in' value", issues));
      return values.every((v) => v !== undefined) ? { kind, values: values.map((v) => v.value) } : undefined;
    }
    case 'regex': {
      const pattern = readString(node, path, "'regex'", issues);
      if (pattern === undefined) return undefined;
      const regex = compileAuditRegex(pattern);
      if ('problem' in regex) {
        issues.add(node.pos, path, regex.problem);
        return undefined;
      }
      return { kind, pattern, regex };
    }
  }
}
