/**
 * Reading one process recipe: `process_recipes.<name>` in the usual format, or one entry of the
 * original's alternative `rules:` list (`process`, `input_rules`, `output_rules`).
 *
 * @packageDocumentation
 */
import type { SourcePosition } from '../yaml/source-issue.js';
import type { YamlMap, YamlNode } from '../yaml/yaml-tree.js';
import type { IssueList } from './recipe-issues.js';
import { asMap, asSeq, checkKeys, itemPath, keyPath, readString, readStrings, type Sourced } from './recipe-nodes.js';
import { readRule, type RuleDraft } from './recipe-rule.js';
import { readSettings, settingsKeys, type SettingsDraft } from './recipe-settings.js';

/** A process recipe as read, before inheritance. Names starting with `_` are bases. */
export interface ProcessDraft {
  readonly name: string;
  readonly inherits?: Sourced<string>;
  readonly settings: SettingsDraft;
  readonly inputs: readonly RuleDraft[];
  readonly outputs: readonly RuleDraft[];
  readonly sideEffects: readonly string[];
  readonly errors: readonly string[];
  readonly pos: SourcePosition;
  readonly path: string;
  /** Where the process name is written: the key under `process_recipes`, or the value of `process:`. */
  readonly namePos: SourcePosition;
  readonly namePath: string;
}

const COMMON_KEYS = ['inherits', 'side_effects', 'errors', ...settingsKeys('process')];
const PROCESS_KEYS: ReadonlySet<string> = new Set([...COMMON_KEYS, 'inputs', 'outputs']);
const GROUP_KEYS: ReadonlySet<string> = new Set([...COMMON_KEYS, 'process', 'input_rules', 'output_rules']);

/** Reads `process_recipes.<name>` (its key at `namePos`); a null value is an empty recipe. */
export function readProcess(
  name: string,
  node: YamlNode,
  path: string,
  namePos: SourcePosition,
  issues: IssueList,
): ProcessDraft | undefined {
  const named = { pos: namePos, path };
  if (node.kind === 'scalar' && node.value === null)
    return readBody(name, named, { kind: 'map', entries: [], pos: node.pos }, path, ['inputs', 'outputs'], issues);
  const map = asMap(node, path, `the recipe of process '${name}'`, issues);
  if (map === undefined) return undefined;
  checkKeys(map, path, PROCESS_KEYS, 'process recipe', issues);
  return readBody(name, named, map, path, ['inputs', 'outputs'], issues);
}

/** Reads one entry of the alternative `rules:` list. */
export function readRuleGroup(node: YamlNode, path: string, issues: IssueList): ProcessDraft | undefined {
  const map = asMap(node, path, 'an entry of rules', issues);
  if (map === undefined) return undefined;
  checkKeys(map, path, GROUP_KEYS, 'rules entry', issues);
  const nameEntry = map.entries.find((e) => e.key === 'process');
  if (nameEntry === undefined) {
    issues.add(map.pos, path, "an entry of rules needs 'process': the name of the process it audits");
    return undefined;
  }
  const namePath = keyPath(path, 'process');
  const name = readString(nameEntry.value, namePath, "'process'", issues);
  const named = { pos: nameEntry.value.pos, path: namePath };
  return name === undefined ? undefined : readBody(name, named, map, path, ['input_rules', 'output_rules'], issues);
}

function readBody(
  name: string,
  named: { readonly pos: SourcePosition; readonly path: string },
  map: YamlMap,
  path: string,
  gateKeys: readonly [string, string],
  issues: IssueList,
): ProcessDraft {
  const [inputKey, outputKey] = gateKeys;
  const value = (key: string): YamlNode | undefined => map.entries.find((e) => e.key === key)?.value;
  const inheritsNode = value('inherits');
  const inheritsPath = keyPath(path, 'inherits');
  const inherits = inheritsNode === undefined ? undefined : readString(inheritsNode, inheritsPath, "'inherits'", issues);
  const sideEffects = value('side_effects');
  const errors = value('errors');
  const draft: ProcessDraft = {
    name,
    settings: readSettings(map, path, 'process', issues),
    inputs: readRules(value(inputKey), keyPath(path, inputKey), inputKey, issues),
    outputs: readRules(value(outputKey), keyPath(path, outputKey), outputKey, issues),
    sideEffects: sideEffects === undefined ? [] : readStrings(sideEffects, keyPath(path, 'side_effects'), "'side_effects'", issues),
    errors: errors === undefined ? [] : readStrings(errors, keyPath(path, 'errors'), "'errors'", issues),
    pos: map.pos,
    path,
    namePos: named.pos,
    namePath: named.path,
  };
  return inherits === undefined || inheritsNode === undefined
    ? draft
    : { ...draft, inherits: { value: inherits, pos: inheritsNode.pos, path: inheritsPath } };
}

function readRules(node: YamlNode | undefined, path: string, key: string, issues: IssueList): RuleDraft[] {
  if (node === undefined) return [];
  const seq = asSeq(node, path, `'${key}'`, issues);
  if (seq === undefined) return [];
  const rules: RuleDraft[] = [];
  seq.items.forEach((item, i) => {
    const rule = readRule(item, itemPath(path, i), issues);
    if (rule !== undefined) rules.push(rule);
  });
  return rules;
}
