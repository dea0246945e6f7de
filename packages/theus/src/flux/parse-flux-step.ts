import { entryOf, type YamlMap, type YamlNode } from '../yaml/yaml-tree.js';
import { checkKeys, describe, issue, warn, type ParseContext } from './parse-context.js';
import { readCondition } from './read-condition.js';
import type { WorkflowStep } from './workflow-ir.js';

/** Parses a step list; passed in to keep this module free of an import cycle. */
type ListParser = (ctx: ParseContext, node: YamlNode, owner: string) => WorkflowStep[];

/** The flux types, the keys each accepts and the parser of each. */
const FLUX_KEYS = {
  if: ['flux', 'condition', 'then', 'else', 'name', 'description'],
  while: ['flux', 'condition', 'do', 'name', 'description'],
  run: ['flux', 'steps', 'name', 'description'],
  parallel: ['flux', 'branches', 'name', 'description'],
} as const;

/** Parses a `flux:` step (`if`, `while`, `run`, or the `parallel` extension). */
export function parseFluxStep(ctx: ParseContext, map: YamlMap, list: ListParser): WorkflowStep | undefined {
  const flux = entryOf(map, 'flux')?.value;
  if (flux?.kind !== 'scalar' || typeof flux.value !== 'string') {
    issue(
      ctx,
      flux?.pos ?? map.pos,
      `'flux' value must be a string (if, while, run, parallel), not ${flux === undefined ? 'missing' : describe(flux)}`,
    );
    return undefined;
  }
  const type = flux.value;
  if (!Object.hasOwn(FLUX_KEYS, type)) {
    issue(ctx, flux.pos, `unknown flux type '${type}' (known: ${Object.keys(FLUX_KEYS).join(', ')})`);
    return undefined;
  }
  const kind = type as keyof typeof FLUX_KEYS;
  checkKeys(ctx, map, FLUX_KEYS[kind], `'flux: ${kind}'`);
  const owner = `'flux: ${kind}'`;
  const block = (key: string, required: boolean): WorkflowStep[] | undefined => {
    const node = entryOf(map, key)?.value;
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) {
      if (required) issue(ctx, map.pos, `${owner} requires a '${key}' block`);
      return required ? undefined : [];
    }
    return list(ctx, node, `'${key}' of ${owner}`);
  };
  const pos = map.pos;
  switch (kind) {
    case 'if': {
      const condition = readCondition(ctx, map, owner);
      const then = block('then', false) ?? [];
      const otherwise = block('else', false) ?? [];
      if (then.length === 0 && otherwise.length === 0) warn(ctx, pos, `${owner} has empty 'then' and 'else' blocks`);
      return condition && { kind, condition, then, else: otherwise, pos };
    }
    case 'while': {
      const condition = readCondition(ctx, map, owner);
      const body = block('do', true);
      if (body?.length === 0) warn(ctx, pos, `${owner} has an empty 'do' block: each iteration still counts one operation`);
      return condition && body && { kind, condition, do: body, pos };
    }
    case 'run': {
      const steps = block('steps', true);
      if (steps?.length === 0) warn(ctx, pos, `${owner} has an empty 'steps' block`);
      return steps && { kind, steps, pos };
    }
    case 'parallel':
      return parseBranches(ctx, map, list);
  }
}

/** Parses `branches:` of `flux: parallel`: a list of step lists. */
function parseBranches(ctx: ParseContext, map: YamlMap, list: ListParser): WorkflowStep | undefined {
  const node = entryOf(map, 'branches')?.value;
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) {
    issue(ctx, map.pos, "'flux: parallel' requires a 'branches' list (a list of step lists)");
    return undefined;
  }
  if (node.kind !== 'seq') {
    issue(ctx, node.pos, `'branches' of 'flux: parallel' must be a list of step lists, not ${describe(node)}`);
    return undefined;
  }
  if (node.items.length === 0) warn(ctx, map.pos, "'flux: parallel' has no branches");
  const branches = node.items.map((branch, i) => list(ctx, branch, `branch ${String(i + 1)} of 'flux: parallel'`));
  return { kind: 'parallel', branches, pos: map.pos };
}
