/**
 * Level and threshold settings, readable at three scopes (top-level `audit:`, a process, a rule)
 * and resolved nearest-first: rule, process, its bases, the top-level defaults, built-ins.
 *
 * @packageDocumentation
 */
import type { YamlMap } from '../yaml/yaml-tree.js';
import { parseLevel, type AuditLevel } from './levels.js';
import type { IssueList } from './recipe-issues.js';
import { keyPath, oneOf, readBoolean, readNumber, readString, type Sourced } from './recipe-nodes.js';
import type { AuditSettings } from './recipe-types.js';

/** Where settings are read: the legacy `default_*` and `max_retries` spellings exist only at the top. */
export type SettingsScope = 'top' | 'process' | 'rule';

/** Settings as written at one scope; absent keys fall through to the next scope. */
export interface SettingsDraft {
  readonly level?: Sourced<AuditLevel>;
  readonly minThreshold?: Sourced<number>;
  readonly maxThreshold?: Sourced<number>;
  readonly resetOnSuccess?: Sourced<boolean>;
}

/** The settings used when no scope sets them: block on the first failure, reset on success. */
export const BUILT_IN_SETTINGS: AuditSettings = Object.freeze({ level: 'B', minThreshold: 0, maxThreshold: 1, resetOnSuccess: true });

const LEVEL_KEYS = { any: ['level'], top: ['default_level'] };
const MIN_KEYS = { any: ['min_threshold', 'threshold_min'], top: [] };
const MAX_KEYS = { any: ['max_threshold', 'threshold_max'], top: ['max_retries', 'default_threshold_max'] };
const RESET_KEYS = { any: ['reset_on_success'], top: [] };

function keysAt(keys: { any: readonly string[]; top: readonly string[] }, scope: SettingsScope): readonly string[] {
  return scope === 'top' ? [...keys.any, ...keys.top] : keys.any;
}

/** Every settings key accepted at `scope`. */
export function settingsKeys(scope: SettingsScope): readonly string[] {
  return [LEVEL_KEYS, MIN_KEYS, MAX_KEYS, RESET_KEYS].flatMap((keys) => keysAt(keys, scope));
}

/** Reads the settings keys of `map` (other keys are left to the caller). */
export function readSettings(map: YamlMap, path: string, scope: SettingsScope, issues: IssueList): SettingsDraft {
  const draft: { -readonly [K in keyof SettingsDraft]: SettingsDraft[K] } = {};
  const level = oneOf(map, path, keysAt(LEVEL_KEYS, scope), issues);
  if (level !== undefined) {
    const at = keyPath(path, level.key);
    const text = readString(level.node, at, `'${level.key}'`, issues);
    const parsed = text === undefined ? undefined : parseLevel(text);
    if (parsed !== undefined) draft.level = { value: parsed, pos: level.node.pos, path: at };
    else if (text !== undefined) {
      issues.add(level.node.pos, at, `unknown level '${text}': use S (stop), A (abort), B (block), C (count) or I (info)`);
    }
  }
  const min = oneOf(map, path, keysAt(MIN_KEYS, scope), issues);
  if (min !== undefined) {
    const at = keyPath(path, min.key);
    const value = readNumber(min.node, at, `'${min.key}'`, issues, { min: 0 });
    if (value !== undefined) draft.minThreshold = { value, pos: min.node.pos, path: at };
  }
  const max = oneOf(map, path, keysAt(MAX_KEYS, scope), issues);
  if (max !== undefined) {
    const at = keyPath(path, max.key);
    const value = readNumber(max.node, at, `'${max.key}'`, issues, { min: 1 });
    if (value !== undefined) draft.maxThreshold = { value, pos: max.node.pos, path: at };
  }
  const reset = oneOf(map, path, keysAt(RESET_KEYS, scope), issues);
  if (reset !== undefined) {
    const at = keyPath(path, reset.key);
    const value = readBoolean(reset.node, at, `'${reset.key}'`, issues);
    if (value !== undefined) draft.resetOnSuccess = { value, pos: reset.node.pos, path: at };
  }
  return draft;
}

/** Resolves a chain of drafts (nearest first) to settings, reporting `min_threshold > max_threshold`. */
export function resolveSettings(chain: readonly SettingsDraft[], issues: IssueList): AuditSettings {
  const pick = <K extends keyof SettingsDraft>(key: K): SettingsDraft[K] | undefined => chain.find((d) => d[key] !== undefined)?.[key];
  const min = pick('minThreshold');
  const max = pick('maxThreshold');
  const settings: AuditSettings = {
    level: pick('level')?.value ?? BUILT_IN_SETTINGS.level,
    minThreshold: min?.value ?? BUILT_IN_SETTINGS.minThreshold,
    maxThreshold: max?.value ?? BUILT_IN_SETTINGS.maxThreshold,
    resetOnSuccess: pick('resetOnSuccess')?.value ?? BUILT_IN_SETTINGS.resetOnSuccess,
  };
  if (settings.minThreshold > settings.maxThreshold) {
    // Report where the nearer of the two was written: that is the line to fix.
    const minDepth = chain.findIndex((d) => d.minThreshold !== undefined);
    const maxDepth = max === undefined ? chain.length : chain.findIndex((d) => d.maxThreshold !== undefined);
    const at = min !== undefined && (minDepth <= maxDepth || max === undefined) ? min : max;
    if (at !== undefined) {
      issues.add(
        at.pos,
        at.path,
        `min_threshold (${String(settings.minThreshold)}) must not exceed max_threshold (${String(settings.maxThreshold)}): warnings start at min_threshold, the action fires at max_threshold`,
      );
    }
  }
  return settings;
}
