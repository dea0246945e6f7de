import { entryOf, toPlain, type YamlMap, type YamlNode } from '../yaml/yaml-tree.js';
import type { SourcePosition } from '../yaml/source-issue.js';
import { parseFluxStep } from './parse-flux-step.js';
import { checkKeys, describe, issue, warn, type ParseContext } from './parse-context.js';
import type { ProcessStep, WorkflowStep } from './workflow-ir.js';

/** Keys a process step may carry; `name` and `description` are labels only. */
const PROCESS_KEYS = ['process', 'args', 'name', 'description', 'on_success', 'on_fail'] as const;
/** Keys of the original's aspirational DSL that it ignored; accepted with a warning. */
const IGNORED_KEYS = new Set(['on_success', 'on_fail']);

/** Parses a list of steps (`steps:`, `then:`, `do:`, a branch); reports a non-list. */
export function parseStepList(ctx: ParseContext, node: YamlNode, owner: string): WorkflowStep[] {
  if (node.kind !== 'seq') {
    issue(ctx, node.pos, `${owner} must be a list of steps, not ${describe(node)}`);
    return [];
  }
  const steps: WorkflowStep[] = [];
  for (const item of node.items) {
    const step = parseStep(ctx, item);
    if (step !== undefined) steps.push(step);
  }
  return steps;
}

/** Parses one step: a bare process name, `{ process, args }` or a `flux:` mapping. */
function parseStep(ctx: ParseContext, node: YamlNode): WorkflowStep | undefined {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'string') return processStep(ctx, node.value, undefined, node.pos);
    issue(ctx, node.pos, `a step must be a process name or a mapping, not ${describe(node)}`);
    return undefined;
  }
  if (node.kind === 'seq') {
    issue(ctx, node.pos, 'a step must be a process name or a mapping, not a list (use `flux: run` to group steps)');
    return undefined;
  }
  const process = entryOf(node, 'process');
  const flux = entryOf(node, 'flux');
  if (process !== undefined && flux !== undefined) {
    issue(ctx, node.pos, "a step has both 'process' and 'flux': split it into two steps");
    return undefined;
  }
  if (flux !== undefined) return parseFluxStep(ctx, node, parseStepList);
  if (process !== undefined) return parseProcessStep(ctx, node);
  issue(ctx, node.pos, "unknown step format: a mapping step needs a 'process' or a 'flux' key");
  return undefined;
}

/** Parses `{ process: name, args: {...} }`. */
function parseProcessStep(ctx: ParseContext, map: YamlMap): ProcessStep | undefined {
  checkKeys(ctx, map, PROCESS_KEYS, 'a process step');
  for (const entry of map.entries) {
    if (IGNORED_KEYS.has(entry.key)) {
      warn(ctx, entry.keyPos, `'${entry.key}' is ignored (as in the original): steps run in list order`);
    }
  }
  const name = entryOf(map, 'process')?.value;
  if (name?.kind !== 'scalar' || typeof name.value !== 'string') {
    issue(
      ctx,
      name?.pos ?? map.pos,
      `'process' value must be a process name string, not ${name === undefined ? 'missing' : describe(name)}`,
    );
    return undefined;
  }
  const args = entryOf(map, 'args')?.value;
  if (args !== undefined && args.kind !== 'map' && !(args.kind === 'scalar' && args.value === null)) {
    issue(ctx, args.pos, `'args' must be a mapping of argument names to values, not ${describe(args)}`);
    return undefined;
  }
  const plainArgs = args?.kind === 'map' ? (toPlain(args) as Record<string, unknown>) : undefined;
  return processStep(ctx, name.value, plainArgs, name.pos);
}

/** Builds a process step after checking the name. */
function processStep(
  ctx: ParseContext,
  name: string,
  args: Record<string, unknown> | undefined,
  pos: SourcePosition,
): ProcessStep | undefined {
  if (name.trim() === '') {
    issue(ctx, pos, 'a process name must not be empty');
    return undefined;
  }
  if (ctx.processes !== undefined && !ctx.processes.has(name)) {
    issue(ctx, pos, `unknown process '${name}': register it with the engine or fix the name`);
  }
  ctx.used.add(name);
  return args === undefined ? { kind: 'process', process: name, pos } : { kind: 'process', process: name, args, pos };
}
