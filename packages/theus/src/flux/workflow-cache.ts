import type { ResolvedInputLimits } from '../yaml/limits.js';
import { checkedLimits, loadWorkflow, nameSet, type WorkflowLoadOptions } from './load-workflow.js';
import type { Workflow, WorkflowStep } from './workflow-ir.js';

/** The bounds of a {@link WorkflowCache}; every text it holds counts toward them. */
export interface WorkflowCacheBounds {
  /** The most workflows kept; past it, the least recently used one is dropped. */
  readonly entries: number;
  /** The longest text kept, in UTF-16 code units; a longer text is loaded on every call. */
  readonly maxTextLength: number;
  /** The most text kept over all entries, in UTF-16 code units. */
  readonly totalTextLength: number;
}

/** 64 workflows, of at most 64 Ki code units each and 256 Ki in all. */
export const DEFAULT_WORKFLOW_CACHE_BOUNDS: WorkflowCacheBounds = Object.freeze({
  entries: 64,
  maxTextLength: 65_536,
  totalTextLength: 262_144,
});

/**
 * Options of {@link WorkflowCache.load}: those of {@link loadWorkflow}, with the known names given
 * as functions, called only when a load or a check needs them (building them has a cost).
 */
export interface CachedLoadOptions extends Omit<WorkflowLoadOptions, 'processes' | 'scopeNames'> {
  /** The known process names (see {@link WorkflowLoadOptions.processes}). */
  readonly processes?: () => Iterable<string>;
  /** The names a condition may read (see {@link WorkflowLoadOptions.scopeNames}). */
  readonly scopeNames?: () => Iterable<string>;
}

/** One loaded text, with what its load depended on. */
interface CachedWorkflow {
  readonly workflow: Workflow;
  readonly limits: ResolvedInputLimits;
  /** Every name the workflow's conditions read, checked against `scopeNames` on each use. */
  readonly names: readonly string[];
}

/**
 * Workflows loaded from YAML text, kept by text so that running the same text again skips parsing
 * and compiling. A cached workflow is the deeply frozen IR {@link loadWorkflow} returned, shared
 * by every run (a run never writes to it). Bounded (least recently used out first) so that texts
 * from untrusted callers cannot grow memory without limit.
 *
 * Only successful loads are kept: bad text is loaded, and refused, again on every call, so that
 * every caller gets its own `WorkflowError` with the same file/line issues. A cached workflow is
 * used only when the file name and the limits are the same, and when every process it names and
 * every name its conditions read are still known; otherwise the text is loaded again and reports
 * what changed exactly as a first load would.
 */
export class WorkflowCache {
  /** Least recently used first (a Map keeps insertion order). */
  readonly #entries = new Map<string, CachedWorkflow>();
  readonly #bounds: WorkflowCacheBounds;
  #textLength = 0;
  /** The text used last (already at the most recent end of the order). */
  #newest: string | undefined;

  constructor(bounds: WorkflowCacheBounds = DEFAULT_WORKFLOW_CACHE_BOUNDS) {
    this.#bounds = bounds;
  }

  /** How many workflows are kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The same result (or error) as `loadWorkflow(text, options)` with the names `options` gives,
   * from the cache when it can be.
   */
  load(text: string, options: CachedLoadOptions = {}): Workflow {
    const file = options.file ?? '<inline>';
    const limits = checkedLimits(options.limits, file);
    const cached = this.#entries.get(text);
    if (cached !== undefined && cached.workflow.file === file && sameLimits(cached.limits, limits) && stillValid(cached, options, file)) {
      if (this.#newest !== text) {
        this.#entries.delete(text);
        this.#entries.set(text, cached);
        this.#newest = text;
      }
      return cached.workflow;
    }
    const { processes, scopeNames, ...rest } = options;
    const workflow = loadWorkflow(text, {
      ...rest,
      file,
      limits,
      ...(processes === undefined ? {} : { processes: processes() }),
      ...(scopeNames === undefined ? {} : { scopeNames: scopeNames() }),
    });
    this.#keep(text, { workflow, limits, names: conditionNames(workflow.steps) });
    return workflow;
  }

  #keep(text: string, entry: CachedWorkflow): void {
    const bounds = this.#bounds;
    const previous = this.#entries.get(text);
    if (previous !== undefined) {
      this.#entries.delete(text);
      this.#textLength -= text.length;
    }
    if (text.length > bounds.maxTextLength) return;
    this.#entries.set(text, entry);
    this.#newest = text;
    this.#textLength += text.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= bounds.entries && this.#textLength <= bounds.totalTextLength) break;
      this.#entries.delete(oldest);
      this.#textLength -= oldest.length;
    }
  }
}

function sameLimits(a: ResolvedInputLimits, b: ResolvedInputLimits): boolean {
  return a.maxInputBytes === b.maxInputBytes && a.maxNodes === b.maxNodes && a.maxDepth === b.maxDepth && a.maxAliases === b.maxAliases;
}

/** Whether loading again with `options` would find no unknown process and no unknown name. */
function stillValid(cached: CachedWorkflow, options: CachedLoadOptions, file: string): boolean {
  return (
    allKnown(cached.workflow.processes, options.processes, file, 'processes') &&
    allKnown(cached.names, options.scopeNames, file, 'scopeNames')
  );
}

/** Whether every one of `used` is in the names `known` gives (always, when they are not checked). */
function allKnown(used: readonly string[], known: (() => Iterable<string>) | undefined, file: string, option: string): boolean {
  if (known === undefined || used.length === 0) return true;
  const names = nameSet(known(), file, option) as ReadonlySet<string>;
  return used.every((name) => names.has(name));
}

/** The names read by every condition of `steps`, at any depth. */
function conditionNames(steps: readonly WorkflowStep[], names = new Set<string>()): string[] {
  for (const step of steps) {
    switch (step.kind) {
      case 'if':
        for (const name of step.condition.names) names.add(name);
        conditionNames(step.then, names);
        conditionNames(step.else, names);
        break;
      case 'while':
        for (const name of step.condition.names) names.add(name);
        conditionNames(step.do, names);
        break;
      case 'run':
        conditionNames(step.steps, names);
        break;
      case 'parallel':
        for (const branch of step.branches) conditionNames(branch, names);
        break;
      case 'process':
        break;
    }
  }
  return [...names];
}
