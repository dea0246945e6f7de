/**
 * Reading the top of a recipe: `audit:` defaults (or `defaults:`, or settings keys at the root
 * as the original allowed), `process_recipes:`, and the alternative `rules:` list.
 *
 * @packageDocumentation
 */
import type { YamlMap, YamlNode } from '../yaml/yaml-tree.js';
import { locate, type IssueList } from './recipe-issues.js';
import { asMap, asSeq, checkKeys, itemPath, keyPath, oneOf } from './recipe-nodes.js';
import { readProcess, readRuleGroup, type ProcessDraft } from './recipe-process.js';
import { readSettings, settingsKeys, type SettingsDraft } from './recipe-settings.js';

/** A recipe as read: top-level defaults and every process or base by name. */
export interface RootDraft {
  readonly defaults: SettingsDraft;
  readonly processes: ReadonlyMap<string, ProcessDraft>;
}

const TOP_SETTINGS: ReadonlySet<string> = new Set(settingsKeys('top'));
const SECTION_KEYS: ReadonlySet<string> = new Set(['audit', 'defaults', 'process_recipes', 'rules']);
const DEFAULTS_KEYS: ReadonlySet<string> = new Set([...SECTION_KEYS, ...TOP_SETTINGS]);

/** Reads the whole recipe tree; an empty document is an empty recipe. */
export function readRoot(root: YamlNode | undefined, issues: IssueList): RootDraft {
  const processes = new Map<string, ProcessDraft>();
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return { defaults: {}, processes };
  const map = asMap(root, '', 'an audit recipe', issues);
  if (map === undefined) return { defaults: {}, processes };
  checkKeys(map, '', DEFAULTS_KEYS, 'top-level', issues);
  const defaults = readDefaults(map, issues);
  const recipes = map.entries.find((e) => e.key === 'process_recipes');
  const recipesMap =
    recipes === undefined || isNull(recipes.value) ? undefined : asMap(recipes.value, 'process_recipes', "'process_recipes'", issues);
  for (const entry of recipesMap?.entries ?? []) {
    const path = keyPath('process_recipes', entry.key);
    if (entry.key.trim() === '') issues.add(entry.keyPos, path, 'a process name must not be empty');
    const draft = readProcess(entry.key, entry.value, path, entry.keyPos, issues);
    if (draft !== undefined) processes.set(draft.name, draft);
  }
  const groups = map.entries.find((e) => e.key === 'rules');
  const groupSeq = groups === undefined ? undefined : asSeq(groups.value, 'rules', "'rules'", issues);
  groupSeq?.items.forEach((item, i) => {
    const draft = readRuleGroup(item, itemPath('rules', i), issues);
    if (draft === undefined) return;
    const earlier = processes.get(draft.name);
    if (earlier !== undefined) {
      issues.add(
        draft.pos,
        draft.path,
        `process '${draft.name}' already has a recipe at ${locate(issues.file, earlier.pos, earlier.path)}: merge the two`,
      );
    } else processes.set(draft.name, draft);
  });
  return { defaults, processes };
}

function readDefaults(map: YamlMap, issues: IssueList): SettingsDraft {
  const section = oneOf(map, '', ['audit', 'defaults'], issues);
  const atRoot = map.entries.filter((e) => TOP_SETTINGS.has(e.key));
  if (section === undefined || isNull(section.node)) return readSettings(map, '', 'top', issues);
  for (const entry of atRoot) {
    issues.add(
      entry.keyPos,
      entry.key,
      `'${entry.key}' cannot be set at the root when the recipe has a '${section.key}:' section: move it into '${section.key}:'`,
    );
  }
  const defaults = asMap(section.node, section.key, `'${section.key}'`, issues);
  if (defaults === undefined) return {};
  checkKeys(defaults, section.key, TOP_SETTINGS, `'${section.key}'`, issues);
  return readSettings(defaults, section.key, 'top', issues);
}

function isNull(node: YamlNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}
