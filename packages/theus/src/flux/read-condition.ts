import { zoneOfSegment } from '../context/zones.js';
import { ConditionSyntaxError, parseCondition, type CompiledCondition } from './condition/index.js';
import { rememberCondition } from './compiled-conditions.js';
import { positionInScalar, splitLines } from './condition-position.js';
import { describe, issue, type ParseContext } from './parse-context.js';
import { entryOf, type YamlMap } from '../yaml/yaml-tree.js';
import type { WorkflowCondition } from './workflow-ir.js';

/** What is computed once per file however many conditions it holds: its lines, the visible names. */
interface FileFacts {
  lines?: readonly string[];
  visible?: { readonly names: ReadonlySet<string>; readonly listed: string };
}

const facts = new WeakMap<ParseContext, FileFacts>();

function factsOf(ctx: ParseContext): FileFacts {
  let found = facts.get(ctx);
  if (found === undefined) {
    found = {};
    facts.set(ctx, found);
  }
  return found;
}

/** The file's lines, split once per file however many conditions fail to parse. */
function linesOf(ctx: ParseContext): readonly string[] {
  const known = factsOf(ctx);
  known.lines ??= splitLines(ctx.text);
  return known.lines;
}

/** The names a condition may read (PRIVATE layers left out) and their sorted list for messages. */
function visibleNames(
  ctx: ParseContext,
  scopeNames: ReadonlySet<string>,
): { readonly names: ReadonlySet<string>; readonly listed: string } {
  const known = factsOf(ctx);
  if (known.visible === undefined) {
    const names = [...scopeNames].filter((n) => zoneOfSegment(n) !== 'PRIVATE').sort();
    known.visible = { names: new Set(names), listed: names.join(', ') };
  }
  return known.visible;
}

/**
 * Reads the `condition:` of an `if` / `while` step: it must be present and a scalar, parse, and
 * read only known names (a PRIVATE `internal_...` layer is never one). Syntax errors are reported
 * at their position inside the file.
 */
export function readCondition(ctx: ParseContext, map: YamlMap, owner: string): WorkflowCondition | undefined {
  const entry = entryOf(map, 'condition');
  if (entry === undefined) {
    issue(ctx, map.pos, `${owner} requires a 'condition' (an expression such as "domain['count'] < 3")`);
    return undefined;
  }
  const node = entry.value;
  if (node.kind !== 'scalar' || node.value === null || typeof node.value === 'number') {
    issue(ctx, node.pos, `the 'condition' of ${owner} must be an expression string, not ${describe(node)}`);
    return undefined;
  }
  // A YAML boolean (`condition: true`) is the literal it spells.
  const source = typeof node.value === 'boolean' ? (node.value ? 'True' : 'False') : node.value;
  let compiled: CompiledCondition;
  try {
    compiled = parseCondition(source);
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    const at = typeof node.value === 'boolean' ? node.pos : positionInScalar(linesOf(ctx), node.pos, error.offset);
    issue(ctx, at, `condition does not parse: ${error.message}`);
    return undefined;
  }
  const names = [...new Set(compiled.names)].sort();
  for (const name of names.filter((n) => zoneOfSegment(n) === 'PRIVATE')) {
    issue(ctx, node.pos, `condition reads '${name}': names starting with 'internal_' are PRIVATE and invisible to conditions`);
  }
  if (ctx.scopeNames !== undefined) {
    const visible = visibleNames(ctx, ctx.scopeNames);
    for (const name of names.filter((n) => !visible.names.has(n) && zoneOfSegment(n) !== 'PRIVATE')) {
      issue(ctx, node.pos, `condition reads unknown name '${name}' (known: ${visible.listed})`);
    }
  }
  const condition: WorkflowCondition = { source, names, pos: node.pos };
  rememberCondition(condition, compiled);
  return condition;
}
