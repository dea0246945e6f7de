import { ConditionSyntaxError, parseCondition, type CompiledCondition } from './condition/index.js';
import { rememberCondition } from './compiled-conditions.js';
import { positionInScalar } from './condition-position.js';
import { describe, issue, type ParseContext } from './parse-context.js';
import { entryOf, type YamlMap } from '../yaml/yaml-tree.js';
import type { WorkflowCondition } from './workflow-ir.js';

/**
 * Reads the `condition:` of an `if` / `while` step: it must be present and a scalar, parse, and
 * read only known names. Syntax errors are reported at their position inside the file.
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
    const at = typeof node.value === 'boolean' ? node.pos : positionInScalar(ctx.text, node.pos, error.offset);
    issue(ctx, at, `condition does not parse: ${error.message}`);
    return undefined;
  }
  const names = [...new Set(compiled.names)].sort();
  if (ctx.scopeNames !== undefined) {
    const known = ctx.scopeNames;
    for (const name of names.filter((n) => !known.has(n))) {
      issue(ctx, node.pos, `condition reads unknown name '${name}' (known: ${[...known].sort().join(', ')})`);
    }
  }
  const condition: WorkflowCondition = { source, names, pos: node.pos };
  rememberCondition(condition, compiled);
  return condition;
}
