import { WorkflowError } from '../errors/index.js';
import { resolveInputLimits, type InputLimits } from '../yaml/limits.js';
import { formatIssues, type SourceIssue, type SourcePosition } from '../yaml/source-issue.js';
import { entryOf, parseYamlTree, type YamlMap, type YamlNode } from '../yaml/yaml-tree.js';
import type { MachineDefinition, MachineStateDefinition } from './machine-definition.js';
import { objectToTree } from './object-tree.js';
import { readEntry, readEvents, type FsmContext } from './read-state.js';

/** Options of {@link loadMachine}. */
export interface MachineLoadOptions {
  /** The file name used in positions (default `<inline>` for text, `<object>` for objects). */
  readonly file?: string;
  /**
   * Known process names (any iterable: `engine.processes`, an array, a Set), checked against
   * every `entry`; undefined = not checked (an empty or blank name is refused either way).
   */
  readonly processes?: Iterable<string>;
  /**
   * Bounds on the definition (text size, nesting depth, node count, alias expansions); a
   * definition past one is refused with `FSM_INVALID`. Defaults: 1 MiB, depth 100, 100,000 nodes,
   * 100 aliases.
   */
  readonly limits?: InputLimits;
}

const TOP_KEYS = ['initial', 'states', 'name', 'description', 'version'];

/**
 * Loads a state machine definition from YAML text or a plain object, collecting every problem
 * (unknown keys, unknown target or initial state, an empty or blank entry process name, an unknown
 * entry process) with its position; any problem throws one `WorkflowError` with code `FSM_INVALID`
 * and `details.issues`. Without `initial`, the machine starts in `IDLE` if there is such a state,
 * else in the first state. Definitions past `options.limits` (too large, too deep, too many nodes
 * or aliases) are refused the same way, before they are parsed or walked.
 *
 * @example
 * ```ts
 * const def = loadMachine(`
 * initial: IDLE
 * states:
 *   IDLE: { events: { CMD_TX: PROCESSING } }
 *   PROCESSING: { entry: transfer, events: { EVT_CHAIN_DONE: IDLE, EVT_CHAIN_FAIL: IDLE } }
 * `);
 * ```
 */
export function loadMachine(source: string | object, options: MachineLoadOptions = {}): MachineDefinition {
  const file = options.file ?? (typeof source === 'string' ? '<inline>' : '<object>');
  const limits = resolveInputLimits(options.limits);
  if (typeof limits === 'string') {
    throw new WorkflowError('FSM_INVALID', `Invalid state machine limits for ${file}: ${limits}.`, { details: { file, option: 'limits' } });
  }
  const issues: SourceIssue[] = [];
  let root: YamlNode | undefined;
  if (typeof source === 'string') {
    const tree = parseYamlTree(source, file, limits);
    issues.push(...tree.issues);
    root = tree.root;
  } else {
    root = objectToTree(source, file, issues, limits);
  }
  const ctx: FsmContext = { file, issues, warnings: [], processes: processNames(options.processes, file) };
  const definition = issues.length === 0 ? readMachine(ctx, root) : undefined;
  if (definition === undefined || issues.length > 0) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new WorkflowError('FSM_INVALID', formatIssues(sorted), { details: { file, issues: sorted } });
  }
  return deepFreeze(definition);
}

/** The known process names given as any iterable (an array such as `engine.processes`, a Set), as a Set. */
function processNames(names: Iterable<string> | undefined, file: string): ReadonlySet<string> | undefined {
  if (names === undefined) return undefined;
  if (typeof names !== 'object' || names === null || typeof (names as Partial<Iterable<string>>)[Symbol.iterator] !== 'function') {
    throw new WorkflowError(
      'FSM_INVALID',
      `Invalid state machine option 'processes' for ${file}: give an iterable of names (an array or a Set), not ${typeof names}.`,
      { details: { file, option: 'processes' } },
    );
  }
  return new Set(names);
}

/** Validates the root mapping and builds the definition. */
function readMachine(ctx: FsmContext, root: YamlNode | undefined): MachineDefinition | undefined {
  const at = (pos: SourcePosition, message: string): void => void ctx.issues.push({ file: ctx.file, ...pos, message });
  if (root?.kind !== 'map') {
    at(root?.pos ?? { line: 1, column: 1 }, "a state machine must be a mapping with 'states' (and optionally 'initial')");
    return undefined;
  }
  for (const entry of root.entries)
    if (!TOP_KEYS.includes(entry.key)) at(entry.keyPos, `unknown key '${entry.key}' (allowed: ${TOP_KEYS.join(', ')})`);
  const statesNode = entryOf(root, 'states')?.value;
  if (statesNode?.kind !== 'map' || statesNode.entries.length === 0) {
    at(statesNode?.pos ?? root.pos, "'states' must be a non-empty mapping of state names to states");
    return undefined;
  }
  const names = new Set(statesNode.entries.map((e) => e.key));
  const states: Record<string, MachineStateDefinition> = {};
  const events = new Set<string>();
  for (const { key, keyPos, value } of statesNode.entries) {
    let body: YamlMap;
    if (value.kind === 'map') body = value;
    else if (value.kind === 'scalar' && value.value === null) body = { kind: 'map', entries: [], pos: keyPos };
    else {
      at(value.pos, `state '${key}' must be a mapping (entry, events), not a ${value.kind}`);
      continue;
    }
    const transitions = readEvents(ctx, key, body, names);
    for (const event of Object.keys(transitions)) events.add(event);
    // A defined property, not an assignment: a state named `__proto__` must stay an own state.
    Object.defineProperty(states, key, {
      value: { name: key, entry: readEntry(ctx, key, body), events: transitions, pos: keyPos },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const initialNode = entryOf(root, 'initial')?.value;
  let initial = names.has('IDLE') ? 'IDLE' : (statesNode.entries[0]?.key ?? '');
  if (initialNode !== undefined) {
    if (initialNode.kind !== 'scalar' || typeof initialNode.value !== 'string') at(initialNode.pos, "'initial' must be a state name");
    else if (!names.has(initialNode.value))
      at(initialNode.pos, `unknown initial state '${initialNode.value}' (states: ${[...names].join(', ')})`);
    else initial = initialNode.value;
  }
  return { file: ctx.file, initial, states, events: [...events].sort(), warnings: ctx.warnings };
}

/** Freezes a plain data tree in place and returns it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
