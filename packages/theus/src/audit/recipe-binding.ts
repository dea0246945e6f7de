/**
 * Matching a loaded recipe with the processes it audits. A recipe loads on its own, so a typo in
 * a process name or a field is only visible next to the processes: a recipe entry that names no
 * registered process, an argument the process's args schema does not have, a path under no layer
 * of the context schema, or a path that nothing declares and the state does not hold. Each issue
 * carries the position of the name or field in the recipe.
 *
 * Two depths of judgement:
 * - {@link processIssues}: what one process's contract and the engine's schema settle for good
 *   (checked whenever a process registers);
 * - {@link recipeIssues}: also what depends on every registered process and on the current state
 *   (checked when the engine starts, and by `engine.audit.verify()`).
 *
 * @packageDocumentation
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { pathsOverlap, type PathSegments } from '../context/paths.js';
import { getChild } from '../context/tree.js';
import { zoneOfSegment } from '../context/zones.js';
import { auditProcessOf } from './gate-plan.js';
import { closest, suggest, type AuditRecipeIssue } from './recipe-issues.js';
import type { AuditGate, AuditProcessRecipe, AuditRecipe, AuditRule } from './recipe-types.js';

/** What the audit needs to know of a registered process (a compiled contract fits). */
export interface AuditedProcess {
  readonly name: string;
  readonly inputPaths: readonly PathSegments[];
  readonly outputPaths: readonly PathSegments[];
  /** The Standard Schema of its arguments, if any. */
  readonly args?: StandardSchemaV1 | undefined;
}

/** What a recipe is matched against. */
export interface RecipeTarget {
  /** Every registered process. */
  readonly processes: Iterable<AuditedProcess>;
  /** The current state (paths found here resolve). */
  readonly state?: unknown;
  /** The layers the context schema allows, when it can say. */
  readonly layers?: ReadonlySet<string> | undefined;
}

/** The argument names an args schema describes, and whether it passes no other key. */
export interface ArgumentNames {
  readonly names: ReadonlySet<string>;
  /** True when the validated arguments can hold no other key (`additionalProperties: false`). */
  readonly closed: boolean;
}

/** Layers the contract paths may name without being state layers (signals are written as paths). */
const SIGNAL_LAYERS: ReadonlySet<string> = new Set(['signal', 'cmd']);
/** At most this many names are listed in a message. */
const LISTED = 20;
/** At most this many keys of a state node are compared for a suggestion. */
const SUGGESTION_KEYS = 1000;

interface JsonSchemaCapable {
  readonly '~standard': {
    readonly jsonSchema?: {
      readonly input?: (options: { target: string }) => unknown;
      readonly output?: (options: { target: string }) => unknown;
    };
  };
}

const argumentCache = new WeakMap<object, ArgumentNames | null>();

/**
 * The argument names of an args schema, when the schema can say (Standard JSON Schema, as zod and
 * arktype provide). The output side is read: it is what the process and the audit receive (zod's
 * `z.object` strips unknown keys, so its output is closed).
 */
export function argumentNames(schema: StandardSchemaV1 | undefined): ArgumentNames | undefined {
  if (schema === undefined) return undefined;
  const cached = argumentCache.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  let found: ArgumentNames | undefined;
  try {
    const json = (schema as JsonSchemaCapable)['~standard'].jsonSchema;
    const convert = json?.output ?? json?.input;
    found = typeof convert === 'function' ? objectNames(convert({ target: 'draft-2020-12' }), 0) : undefined;
  } catch {
    found = undefined;
  }
  argumentCache.set(schema, found ?? null);
  return found;
}

function objectNames(json: unknown, depth: number): ArgumentNames | undefined {
  if (typeof json !== 'object' || json === null || depth > 4) return undefined;
  const node = json as {
    anyOf?: unknown;
    oneOf?: unknown;
    properties?: unknown;
    additionalProperties?: unknown;
    patternProperties?: unknown;
  };
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) {
    const parts = branches.map((branch) => objectNames(branch, depth + 1));
    if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
    const names = new Set(parts.flatMap((part) => [...(part as ArgumentNames).names]));
    return { names, closed: parts.every((part) => (part as ArgumentNames).closed) };
  }
  if (typeof node.properties !== 'object' || node.properties === null) return undefined;
  return {
    names: new Set(Object.keys(node.properties)),
    closed: node.additionalProperties === false && node.patternProperties === undefined,
  };
}

/**
 * The problems one process's recipe has that its own contract and the context schema settle: an
 * argument its closed args schema does not list, a path under a layer the schema does not have.
 */
export function processIssues(recipe: AuditRecipe, process: AuditedProcess, layers?: ReadonlySet<string>): AuditRecipeIssue[] {
  const entry = auditProcessOf(recipe, process.name);
  if (entry === undefined) return [];
  const args = argumentNames(process.args);
  const issues: AuditRecipeIssue[] = [];
  for (const rule of rulesOf(entry)) {
    const problem = settledProblem(rule.field, process, args, layers);
    if (problem !== undefined) issues.push(fieldIssue(recipe, entry, rule, problem));
  }
  return issues;
}

/**
 * Every problem of the recipe against what is registered now: entries that name no registered
 * process (unless `only` is given), and fields of the processes in `only` (default: all) that
 * cannot resolve, including paths that no registered contract declares (or a parent or child of)
 * and that the state does not hold.
 *
 * @example
 * ```ts
 * const issues = recipeIssues(recipe, { processes: [transfer.contract], state: { domain: { balance: 0 } } });
 * if (issues.length > 0) console.log(formatRecipeIssues(issues));
 * ```
 */
export function recipeIssues(recipe: AuditRecipe, target: RecipeTarget, only?: ReadonlySet<string>): AuditRecipeIssue[] {
  const processes = new Map<string, AuditedProcess>();
  for (const process of target.processes) processes.set(process.name, process);
  const issues: AuditRecipeIssue[] = [];
  if (only === undefined) {
    for (const entry of Object.values(recipe.processes)) {
      if (!processes.has(entry.name)) issues.push(nameIssue(recipe, entry, [...processes.keys()]));
    }
  }
  const declared = [...processes.values()].flatMap((p) => [...p.inputPaths, ...p.outputPaths]);
  for (const process of processes.values()) {
    if (only !== undefined && !only.has(process.name)) continue;
    const entry = auditProcessOf(recipe, process.name);
    if (entry === undefined) continue;
    const args = argumentNames(process.args);
    for (const rule of rulesOf(entry)) {
      const problem =
        settledProblem(rule.field, process, args, target.layers) ?? unreachableProblem(rule.field, args, declared, target.state);
      if (problem !== undefined) issues.push(fieldIssue(recipe, entry, rule, problem));
    }
  }
  return issues;
}

/**
 * True when a field is known to name something real for its process (an argument its args
 * schema lists, or a path equal to or a parent of one it declares), so that finding it absent
 * at run time is data, not a typo.
 */
export function isDeclaredField(field: string, process: AuditedProcess): boolean {
  if (argumentNames(process.args)?.names.has(field) === true) return true;
  const segments = field.split('.');
  if (segments.length < 2) return false;
  const covers = (path: PathSegments): boolean => path.length >= segments.length && pathsOverlap(segments, path);
  return process.inputPaths.some(covers) || process.outputPaths.some(covers);
}

/**
 * Why a field was absent at run time, in words, with a suggestion: the argument or the path
 * segment the run did not have.
 */
export function describeAbsence(field: string, kind: 'argument' | 'path', args: unknown, root: unknown): string {
  const argKeys = typeof args === 'object' && args !== null ? Object.keys(args) : [];
  if (kind === 'argument') {
    const listed = argKeys.length === 0 ? 'none' : list(argKeys);
    return `the run's arguments have no '${field}' (arguments: ${listed})${suggest(field, argKeys)}`;
  }
  const segments = field.split('.');
  const { depth, node } = walk(root, segments);
  if (depth === segments.length) return `the value at '${field}' is undefined`;
  const missing = segments[depth] ?? '';
  const prefix = segments.slice(0, depth).join('.');
  const near = closest(missing, keysOf(node));
  const hint = near === undefined ? '' : ` (did you mean '${prefix === '' ? near : `${prefix}.${near}`}'?)`;
  return depth === 0
    ? `neither the run's arguments nor the state have '${field}' (the state has no layer '${missing}')${hint}`
    : `neither the run's arguments nor the state have '${field}' (no '${missing}' under '${prefix}')${hint}`;
}

function rulesOf(entry: AuditProcessRecipe): readonly AuditRule[] {
  return entry.outputs.length === 0 ? entry.inputs : [...entry.inputs, ...entry.outputs];
}

/** What the process's own contract and the context schema settle about a field. */
function settledProblem(
  field: string,
  process: AuditedProcess,
  args: ArgumentNames | undefined,
  layers: ReadonlySet<string> | undefined,
): string | undefined {
  if (args?.names.has(field) === true) return undefined;
  const segments = field.split('.');
  if (segments.length === 1) {
    if (args === undefined || !args.closed) return undefined;
    const names = [...args.names];
    return (
      `names no argument of process '${process.name}': its args schema has ${names.length === 0 ? 'no argument' : list(names)}` +
      `${suggest(field, names)}. A field without a dot is an argument; a context path starts with its layer (domain.${field})`
    );
  }
  const layer = segments[0] ?? '';
  if (layers === undefined || layers.has(layer) || SIGNAL_LAYERS.has(layer)) return undefined;
  if (layer === 'local') return LOCAL_PROBLEM;
  return `is under '${layer}', which is not a layer of the context schema (layers: ${list([...layers])})${suggest(layer, layers)}`;
}

const LOCAL_PROBLEM =
  "reads 'local', the per-run scratch space, which is never committed: the audit sees the arguments and the state (committed at the input gate, about to be committed at the output gate) only";

/** A dotted field that no registered contract reaches and the state does not hold. */
function unreachableProblem(
  field: string,
  args: ArgumentNames | undefined,
  declared: readonly PathSegments[],
  state: unknown,
): string | undefined {
  if (args?.names.has(field) === true) return undefined;
  const segments = field.split('.');
  // An argument name, or a PRIVATE path a loaded recipe cannot hold (a hand-built one is never read).
  if (segments.length === 1 || segments.some((s) => zoneOfSegment(s) === 'PRIVATE')) return undefined;
  if (declared.some((path) => pathsOverlap(path, segments))) return undefined;
  const found = walk(state, segments);
  if (found.depth === segments.length) return undefined;
  // How deep the field is known, by the state or by a contract (which may create what the state lacks).
  const shared = (path: PathSegments): number => {
    let n = 0;
    while (n < path.length && n < segments.length && String(path[n]) === segments[n]) n++;
    return n;
  };
  const depth = Math.max(found.depth, ...declared.map(shared));
  const missing = segments[depth] ?? '';
  if (depth === 0) {
    if (missing === 'local') return LOCAL_PROBLEM;
    const layers = new Set([...keysOf(state), ...declared.map((p) => String(p[0]))]);
    return (
      `is under '${missing}', which is neither a layer of the state nor in any registered process's contract ` +
      `(layers: ${layers.size === 0 ? 'none' : list([...layers])})${suggest(missing, layers)}`
    );
  }
  const prefix = segments.slice(0, depth).join('.');
  const candidates = new Set(found.depth === depth ? keysOf(found.node) : []);
  for (const path of declared) if (path.length > depth && shared(path) === depth) candidates.add(String(path[depth]));
  const near = closest(missing, candidates);
  const hint = near === undefined ? '' : ` (did you mean '${prefix}.${near}'?)`;
  return (
    `names nothing: neither the state nor any registered process's contract has '${missing}' under '${prefix}'${hint}. ` +
    `Fix the field, or register the process that writes it before the engine starts`
  );
}

function walk(root: unknown, segments: readonly string[]): { depth: number; node: unknown } {
  let node = root;
  let depth = 0;
  for (; depth < segments.length; depth++) {
    const child = getChild(node, segments[depth] as string);
    if (child === undefined) break;
    node = child;
  }
  return { depth, node };
}

function keysOf(node: unknown): string[] {
  if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node)) return [];
  const keys: string[] = [];
  for (const key of Object.keys(node)) {
    if (keys.length >= SUGGESTION_KEYS) break;
    // PRIVATE keys are never suggested: a message must not reveal them.
    if (zoneOfSegment(key) !== 'PRIVATE') keys.push(key);
  }
  return keys;
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown}, … (${String(names.length)} in all)` : shown;
}

function nameIssue(recipe: AuditRecipe, entry: AuditProcessRecipe, registered: readonly string[]): AuditRecipeIssue {
  const known = registered.length === 0 ? 'none' : list(registered);
  return at(
    recipe,
    entry.at,
    `process_recipes.${entry.name}`,
    `the recipe of '${entry.name}' matches no registered process${suggest(entry.name, registered)} (registered: ${known}): ` +
      `fix the name, or register the process before the engine starts. Recipes that are only inherited start with '_'`,
  );
}

function fieldIssue(recipe: AuditRecipe, entry: AuditProcessRecipe, rule: AuditRule, problem: string): AuditRecipeIssue {
  const gate: AuditGate = rule.gate;
  return at(
    recipe,
    rule.fieldAt,
    `process_recipes.${entry.name}.${gate}s[${String(rule.index)}].field`,
    `field '${rule.field}' of process '${entry.name}' (${gate} gate) ${problem}`,
  );
}

function at(recipe: AuditRecipe, where: AuditProcessRecipe['at'], fallbackPath: string, message: string): AuditRecipeIssue {
  return { file: recipe.file, line: where?.line ?? 0, column: where?.column ?? 0, path: where?.path ?? fallbackPath, message };
}
