import type { SourceIssue, SourcePosition } from '../yaml/source-issue.js';
import { entryOf, type YamlMap, type YamlNode } from '../yaml/yaml-tree.js';
import type { EntryAction } from './machine-definition.js';

/** What the state readers share while validating one definition. */
export interface FsmContext {
  readonly file: string;
  readonly issues: SourceIssue[];
  readonly warnings: SourceIssue[];
  readonly processes: ReadonlySet<string> | undefined;
}

/**
 * The keys of a state's transitions: `events`, `on` and `transitions` are synonyms; `true` is how a
 * YAML 1.1 reader (or an object built from one) spells a bare `on:` key.
 */
const EVENT_KEYS = ['events', 'on', 'true', 'transitions'];
/** Keys a state may use (checked, and listed by the unknown-key message). `process` is an alias of `entry`. */
const STATE_KEYS = ['entry', 'process', ...EVENT_KEYS, 'description'];

function at(ctx: FsmContext, pos: SourcePosition, message: string): void {
  ctx.issues.push({ file: ctx.file, line: pos.line, column: pos.column, message });
}

/** Reads a state's transitions from whichever synonym it uses, checking every target state. */
export function readEvents(ctx: FsmContext, state: string, body: YamlMap, states: ReadonlySet<string>): Record<string, string> {
  for (const entry of body.entries) {
    if (!STATE_KEYS.includes(entry.key))
      at(ctx, entry.keyPos, `state '${state}': unknown key '${entry.key}' (allowed: ${STATE_KEYS.join(', ')})`);
  }
  const present = body.entries.filter((e) => EVENT_KEYS.includes(e.key) && !(e.value.kind === 'scalar' && e.value.value === null));
  const events: Record<string, string> = {};
  const second = present[1];
  if (second !== undefined) at(ctx, second.keyPos, `state '${state}': use one of events / on / transitions, not several`);
  const chosen = present[0]?.value;
  if (chosen === undefined) return events;
  if (chosen.kind !== 'map') {
    at(ctx, chosen.pos, `state '${state}': transitions must be a mapping of event names to target states`);
    return events;
  }
  for (const { key, value } of chosen.entries) {
    if (value.kind !== 'scalar' || typeof value.value !== 'string') {
      at(ctx, value.pos, `state '${state}': the target of event '${key}' must be a state name`);
    } else if (!states.has(value.value)) {
      at(ctx, value.pos, `state '${state}': event '${key}' targets unknown state '${value.value}' (states: ${[...states].join(', ')})`);
    } else {
      // defineProperty: an event named '__proto__' is an event, not the object's prototype.
      Object.defineProperty(events, key, { value: value.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return events;
}

/** Reads `entry` (or its alias `process`): a process name, a list, or `{ workflow: file }`. */
export function readEntry(ctx: FsmContext, state: string, body: YamlMap): EntryAction[] {
  const entry = entryOf(body, 'entry');
  const alias = entryOf(body, 'process');
  if (entry !== undefined && alias !== undefined) at(ctx, alias.keyPos, `state '${state}': use 'entry' or 'process', not both`);
  const node = (entry ?? alias)?.value;
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  const actions: EntryAction[] = [];
  for (const item of items) {
    const action = readAction(ctx, state, item);
    if (action !== undefined) actions.push(action);
  }
  return actions;
}

/** One entry action: `name`, `{ process: name }` or `{ workflow: file }`. */
function readAction(ctx: FsmContext, state: string, node: YamlNode): EntryAction | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') return processAction(ctx, state, node.value, node.pos);
  if (node.kind === 'map' && node.entries.length === 1) {
    const [only] = node.entries;
    if (only !== undefined && only.value.kind === 'scalar' && typeof only.value.value === 'string') {
      if (only.key === 'workflow') return { kind: 'workflow', file: only.value.value };
      if (only.key === 'process') return processAction(ctx, state, only.value.value, only.value.pos);
    }
  }
  at(ctx, node.pos, `state '${state}': an entry action is a process name, { process: name } or { workflow: file }`);
  return undefined;
}

/** A process action; `undefined` (with an issue) for an empty or blank name, which names no process. */
function processAction(ctx: FsmContext, state: string, name: string, pos: SourcePosition): EntryAction | undefined {
  if (name.trim() === '') {
    at(ctx, pos, `state '${state}': an entry process name must not be empty or blank`);
    return undefined;
  }
  if (ctx.processes !== undefined && !ctx.processes.has(name)) {
    at(ctx, pos, `state '${state}': unknown entry process '${name}': register it or fix the name`);
  }
  return { kind: 'process', process: name };
}
