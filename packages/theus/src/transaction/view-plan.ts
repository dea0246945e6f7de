import { formatPath, type PathSegments } from '../context/paths.js';
import type { AccessTree } from '../contract/access-tree.js';
import type { CompiledContract } from '../contract/process.js';
import type { DraftSession } from './draft-session.js';
import type { RunHelpers } from './run-helpers.js';
import { violation, type Actor } from './violations.js';
import { Identity } from '../util/identity.js';

/** Probes that libraries and `await` make on any object; they answer `undefined` instead of throwing. */
const HARMLESS_PROBES = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType']);

/** One declared key of a view level and how a run exposes it. */
export interface ViewEntry {
  readonly key: string;
  readonly path: PathSegments;
  /** `value`: the frozen committed value; `draft`: a copy-on-write accessor; `branch`: a nested view. */
  readonly kind: 'value' | 'draft' | 'branch';
  /** The nested level of a `branch` entry. */
  readonly plan: ViewPlan | undefined;
}

/** The shape of one level of a process's `ctx`: its entries, and the prototype run views share. */
export interface ViewPlan {
  /** Identifies the level: its accessors act only on views stamped with it. */
  readonly level: object;
  readonly proto: object;
  readonly entries: readonly ViewEntry[];
}

/** What a view's shared accessors need from the run the view belongs to. */
export interface ViewRun {
  readonly session: DraftSession;
  readonly helpers: RunHelpers;
}

/**
 * Stamps each view with the run it belongs to, in a private field: user code cannot reach it
 * (not even through reflection), and it dies with the view. After the run the session is revoked,
 * so the accessors refuse to act.
 */
class ViewStamp extends Identity {
  readonly #run: ViewRun;
  readonly #level: object;

  private constructor(view: object, run: ViewRun, level: object) {
    super(view);
    this.#run = run;
    this.#level = level;
  }

  static attach(view: object, run: ViewRun, level: object): void {
    new ViewStamp(view, run, level);
  }

  /** The run of `view` when it is a view of `level` (an accessor taken from one plan cannot act on another's views). */
  static runOf(view: unknown, level: object): ViewRun | undefined {
    return typeof view === 'object' && view !== null && #run in view && view.#level === level ? view.#run : undefined;
  }
}

/** Ties a freshly created view of `plan` to its run (before the view is sealed). */
export function attachRun(view: object, run: ViewRun, plan: ViewPlan): void {
  ViewStamp.attach(view, run, plan.level);
}

const plans = new WeakMap<CompiledContract, ViewPlan>();

/**
 * The view shape of a contract, computed once per contract: every run then only fills values in.
 * Shared prototypes matter: a fresh Proxy prototype or fresh accessors cost V8 a new hidden class
 * per run, which made building `ctx` the most expensive part of a small run.
 */
export function viewPlanOf(contract: CompiledContract): ViewPlan {
  let plan = plans.get(contract);
  if (plan === undefined) {
    const actor: Actor = { who: `Process '${contract.name}'`, process: contract.name };
    plan = buildPlan(contract.access, [], contract.semantic === 'pure', actor);
    plans.set(contract, plan);
  }
  return plan;
}

function buildPlan(access: AccessTree, path: PathSegments, pure: boolean, actor: Actor): ViewPlan {
  const entries: ViewEntry[] = [];
  const level = Object.freeze({});
  const accessors: PropertyDescriptorMap = path.length === 0 ? helperAccessors(actor, level) : {};
  for (const [key, node] of access.children) {
    if (path.length === 0 && (key === 'signal' || key === 'cmd')) continue;
    const childPath = Object.freeze([...path, key]);
    if (node.read && (!node.writeBelow || pure)) {
      entries.push({ key, path: childPath, kind: 'value', plan: undefined });
    } else if (node.read) {
      entries.push({ key, path: childPath, kind: 'draft', plan: undefined });
      accessors[key] = draftAccessor(childPath, node.write, actor, level);
    } else {
      entries.push({ key, path: childPath, kind: 'branch', plan: buildPlan(node, childPath, pure, actor) });
    }
  }
  return { level, proto: Object.freeze(Object.create(denyMisses(actor, path), accessors) as object), entries };
}

function runOf(view: unknown, level: object, actor: Actor, path: PathSegments): ViewRun {
  const run = ViewStamp.runOf(view, level);
  if (run === undefined) throw violation('CONTRACT_REVOKED', actor, path, 'used a context reference after its run ended, at');
  return run;
}

function draftAccessor(path: PathSegments, write: boolean, actor: Actor, level: object): PropertyDescriptor {
  return {
    enumerable: true,
    get(this: unknown) {
      const session = runOf(this, level, actor, path).session;
      session.assertLive(path);
      return session.valueAt(path);
    },
    set(this: unknown, value: unknown) {
      const session = runOf(this, level, actor, path).session;
      session.assertLive(path);
      if (!write) throw violation('CONTRACT_ILLEGAL_WRITE', session, path, 'may not replace the input-only path');
      session.writeAt(path, value);
    },
  };
}

function helperAccessors(actor: Actor, level: object): PropertyDescriptorMap {
  const helper = (name: keyof RunHelpers & ('local' | 'outbox' | 'log' | 'signal')): PropertyDescriptor => ({
    enumerable: false,
    get(this: unknown) {
      return runOf(this, level, actor, [name]).helpers[name];
    },
  });
  return { local: helper('local'), outbox: helper('outbox'), log: helper('log'), signal: helper('signal') };
}

/** The end of every view's prototype chain: answers any key not declared with an illegal-access error. */
function denyMisses(actor: Actor, path: PathSegments): object {
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (typeof key === 'symbol' || HARMLESS_PROBES.has(key)) return undefined;
      throw violation('CONTRACT_ILLEGAL_READ', actor, [...path, key], 'may not read the undeclared path');
    },
    has: () => false,
    set(_, key) {
      const shown = typeof key === 'symbol' ? formatPath(path) : formatPath([...path, key]);
      throw violation('CONTRACT_ILLEGAL_WRITE', actor, shown === '' ? [] : shown.split('.'), 'may not write the undeclared path');
    },
  });
}
