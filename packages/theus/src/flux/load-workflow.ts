import { WorkflowError } from '../errors/index.js';
import { resolveInputLimits, type InputLimits, type ResolvedInputLimits } from '../yaml/limits.js';
import { formatIssues, type SourceIssue } from '../yaml/source-issue.js';
import { entryOf, parseYamlTree, type YamlNode } from '../yaml/yaml-tree.js';
import { checkKeys, describe, issue, type ParseContext } from './parse-context.js';
import { parseStepList } from './parse-steps.js';
import type { Workflow, WorkflowStep } from './workflow-ir.js';

/** Options of {@link loadWorkflow}. */
export interface WorkflowLoadOptions {
  /** The file name used in positions and messages (default `<inline>`). */
  readonly file?: string;
  /**
   * Known process names (any iterable: `engine.processes`, an array, a Set); every process step
   * is checked against them. Undefined = not checked.
   */
  readonly processes?: Iterable<string>;
  /** Names a condition may read (the layers, `signal`, `cmd`; any iterable). Undefined = not checked. */
  readonly scopeNames?: Iterable<string>;
  /**
   * Bounds on the workflow (text size, nesting depth, node count, alias expansions); a workflow
   * past one is refused with `WORKFLOW_INVALID` naming the file and the bound. Defaults: 1 MiB,
   * depth 100, 100,000 nodes, 100 aliases.
   */
  readonly limits?: InputLimits;
}

/** Top-level keys: `steps` is run; the others are metadata, as in the original files. */
const TOP_KEYS = ['steps', 'name', 'version', 'description'] as const;

/**
 * Loads workflow text (Flux DSL) in stages: YAML → positioned tree → validation → a deeply
 * frozen IR. Every problem of the file is collected first; if there is any, one `WorkflowError`
 * (`WORKFLOW_INVALID`) lists them all as `file:line:column: message` (details: `{ issues }`).
 * A file without `steps` is a valid, empty workflow; a bare list of steps is accepted too.
 * Text past `options.limits` (size, depth, nodes, aliases) is refused the same way, before it is
 * parsed or walked.
 *
 * @example
 * ```ts
 * const wf = loadWorkflow('steps: [validate, { process: charge, args: { currency: EUR } }]');
 * const result = await runWorkflow(wf, runtime, { maxOps: 1000 });
 * ```
 */
export function loadWorkflow(text: string, options: WorkflowLoadOptions = {}): Workflow {
  const file = options.file ?? '<inline>';
  const limits = checkedLimits(options.limits, file);
  if (typeof text !== 'string') {
    throw invalidWorkflow(file, [{ file, line: 1, column: 1, message: `a workflow is YAML text, not ${typeof text}` }]);
  }
  const tree = parseYamlTree(text, file, limits);
  const ctx: ParseContext = {
    file,
    text,
    issues: [...tree.issues],
    warnings: [],
    processes: nameSet(options.processes, file, 'processes'),
    scopeNames: nameSet(options.scopeNames, file, 'scopeNames'),
    used: new Set(),
  };
  let steps: WorkflowStep[] = [];
  let name: string | undefined;
  if (tree.issues.length === 0 && tree.root !== undefined) ({ steps, name } = readRoot(ctx, tree.root));
  if (ctx.issues.length > 0) throw invalidWorkflow(file, ctx.issues);
  const workflow: Workflow = {
    file,
    ...(name === undefined ? {} : { name }),
    steps,
    processes: [...ctx.used].sort(),
    warnings: ctx.warnings,
  };
  return deepFreeze(workflow);
}

/** Reads the document root: a mapping with `steps`, or a bare list of steps. */
function readRoot(ctx: ParseContext, root: YamlNode): { steps: WorkflowStep[]; name: string | undefined } {
  if (root.kind === 'seq') return { steps: parseStepList(ctx, root, 'the workflow'), name: undefined };
  if (root.kind === 'scalar') {
    if (root.value !== null) issue(ctx, root.pos, `a workflow must be a mapping with a 'steps' list, not ${describe(root)}`);
    return { steps: [], name: undefined };
  }
  checkKeys(ctx, root, TOP_KEYS, 'a workflow');
  const nameNode = entryOf(root, 'name')?.value;
  const name = nameNode?.kind === 'scalar' && nameNode.value !== null ? String(nameNode.value) : undefined;
  if (nameNode !== undefined && nameNode.kind !== 'scalar') issue(ctx, nameNode.pos, `'name' must be a string, not ${describe(nameNode)}`);
  const stepsNode = entryOf(root, 'steps')?.value;
  const empty = stepsNode === undefined || (stepsNode.kind === 'scalar' && stepsNode.value === null);
  return { steps: empty ? [] : parseStepList(ctx, stepsNode, "'steps'"), name };
}

/** Fills in the defaults of workflow limits; malformed limits throw `WORKFLOW_INVALID`. */
export function checkedLimits(limits: InputLimits | undefined, file: string): ResolvedInputLimits {
  const resolved = resolveInputLimits(limits);
  if (typeof resolved !== 'string') return resolved;
  throw new WorkflowError('WORKFLOW_INVALID', `Invalid workflow limits for ${file}: ${resolved}.`, { details: { file, option: 'limits' } });
}

/**
 * A list of names given as any iterable (an array such as `engine.processes`, a Set), as a Set: a
 * plain Set is used as it is (it is only read, during the load), anything else is copied into one.
 */
export function nameSet(names: Iterable<string> | undefined, file: string, option: string): ReadonlySet<string> | undefined {
  if (names === undefined) return undefined;
  if (typeof names !== 'object' || names === null || typeof (names as Partial<Iterable<string>>)[Symbol.iterator] !== 'function') {
    throw new WorkflowError(
      'WORKFLOW_INVALID',
      `Invalid workflow option '${option}' for ${file}: give an iterable of names (an array or a Set), not ${typeof names}.`,
      { details: { file, option } },
    );
  }
  return Object.getPrototypeOf(names) === Set.prototype ? (names as ReadonlySet<string>) : new Set(names);
}

/** The `WORKFLOW_INVALID` error for a list of issues: its message is every issue, one per line. */
export function invalidWorkflow(file: string, issues: readonly SourceIssue[]): WorkflowError {
  const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
  return new WorkflowError('WORKFLOW_INVALID', formatIssues(sorted), {
    details: { file, issues: sorted },
  });
}

/** Freezes a plain data tree in place and returns it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
