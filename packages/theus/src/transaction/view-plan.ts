import type { PathSegments } from '../context/paths.js';
import type { AccessTree } from '../contract/access-tree.js';
import type { CompiledContract } from '../contract/process.js';
import type { DraftSession } from './draft-session.js';
import type { RunHelpers } from './run-helpers.js';
import { violation, type Actor } from './violations.js';
import { Identity } from '../util/identity.js';

/** Probes that libraries and `await` make on any object; they answer `undefined` instead of throwing. */
const HARMLESS_PROBES = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType']);

/**
 * What a view's target answers with `undefined` when read directly, which only Theus and
 * `util.inspect` do (it reads '0' and 'constructor' of a proxy's target around its hook). User
 * code reads through the proxy, whose trap refuses them.
 */
const TARGET_PROBES = new Set([...HARMLESS_PROBES, '0', 'constructor']);

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
  /**
   * The traps of the views of a level that holds declared outputs (drafts): their reads, writes,
   * deletes and definitions, so that `delete ctx.domain.x` deletes a declared output and any
   * other write or delete is refused with its path. Levels holding only inputs are plain objects
   * (`undefined` here): their reads stay native, which is the promise for declared inputs.
   */
  readonly handler: ProxyHandler<object> | undefined;
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

/** Ties a freshly created view of `plan` (the target behind its proxy) to its run. */
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
  const writable = new Set<string>();
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
      if (node.write) writable.add(key);
    } else {
      entries.push({ key, path: childPath, kind: 'branch', plan: buildPlan(node, childPath, pure, actor) });
    }
  }
  accessors[INSPECT] = { enumerable: false, value: inspectView(entries) };
  const proto = Object.freeze(Object.create(denyMisses(actor, path, level), accessors) as object);
  const drafts = entries.some((entry) => entry.kind === 'draft');
  return { level, proto, entries, handler: drafts ? viewHandler(path, entries, writable, actor, level) : undefined };
}

/** The actor to blame for an access through `view`: its run's session (which remembers the violation), else the plan's actor. */
function blame(view: unknown, level: object, actor: Actor): Actor {
  return ViewStamp.runOf(view, level)?.session ?? actor;
}

function viewHandler(
  path: PathSegments,
  entries: readonly ViewEntry[],
  writable: ReadonlySet<string>,
  actor: Actor,
  level: object,
): ProxyHandler<object> {
  const kinds = new Map(entries.map((entry) => [entry.key, entry.kind]));
  const drafts = new Map(entries.filter((entry) => entry.kind === 'draft').map((entry) => [entry.key, entry.path]));
  const root = path.length === 0;
  const refuse = (target: object, key: string | symbol, what: string): never => {
    const at = typeof key === 'symbol' ? path : [...path, key];
    const kind = typeof key === 'symbol' ? undefined : kinds.get(key);
    const actorOf = blame(target, level, actor);
    if (kind === 'value' || kind === 'draft') throw violation('CONTRACT_ILLEGAL_WRITE', actorOf, at, `may not ${what} the input-only path`);
    if (kind === 'branch')
      throw violation(
        'CONTRACT_ILLEGAL_WRITE',
        actorOf,
        at,
        `may not ${what} the partly declared path`,
        'write the declared paths below it one by one',
      );
    if (path.length === 0 && typeof key === 'string' && HELPERS.has(key)) {
      throw violation(
        'CONTRACT_ILLEGAL_WRITE',
        actorOf,
        at,
        `may not ${what} the run helper`,
        'ctx.local, ctx.outbox, ctx.log and ctx.signal are fixed',
      );
    }
    throw violation('CONTRACT_ILLEGAL_WRITE', actorOf, at, `may not ${what} the undeclared path`);
  };
  // The run is found through the target, which is stamped; stamping the proxy too would cost a
  // slow private-field insert on a proxy in every run.
  return {
    get(target, key) {
      if (typeof key === 'string') {
        const draftPath = drafts.get(key);
        if (draftPath !== undefined) {
          const session = runOf(target, level, actor, draftPath).session;
          session.assertLive(draftPath);
          return session.valueAt(draftPath);
        }
        if (root && HELPERS.has(key)) return runOf(target, level, actor, [key]).helpers[key as HelperName];
        if (!kinds.has(key) && !HARMLESS_PROBES.has(key)) {
          throw violation('CONTRACT_ILLEGAL_READ', blame(target, level, actor), [...path, key], 'may not read the undeclared path');
        }
      }
      // Declared values and branches are the target's own; symbols answer from the shared prototype.
      return Reflect.get(target, key) as unknown;
    },
    set(target, key, value) {
      const draftPath = typeof key === 'string' ? drafts.get(key) : undefined;
      if (draftPath === undefined) return refuse(target, key, 'write');
      const session = runOf(target, level, actor, draftPath).session;
      session.assertLive(draftPath);
      if (!writable.has(key as string))
        throw violation('CONTRACT_ILLEGAL_WRITE', session, draftPath, 'may not replace the input-only path');
      session.writeAt(draftPath, value);
      return true;
    },
    deleteProperty(target, key) {
      if (typeof key !== 'string' || !writable.has(key)) return refuse(target, key, 'delete');
      const run = runOf(target, level, actor, [...path, key]);
      run.session.assertLive([...path, key]);
      run.session.writeAt([...path, key], undefined, true);
      return true;
    },
    defineProperty(target, key) {
      return refuse(target, key, 'define a property at');
    },
    setPrototypeOf(target) {
      throw violation(
        'CONTRACT_ILLEGAL_WRITE',
        blame(target, level, actor),
        path,
        'may not change the prototype of',
        'ctx is fixed by the contract',
      );
    },
  };
}

type HelperName = 'local' | 'outbox' | 'log' | 'signal';
const HELPERS = new Set<string>(['local', 'outbox', 'log', 'signal'] satisfies HelperName[]);

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * What `util.inspect` (and so `console.log`) shows for a view: its declared entries (drafts and
 * nested views inspect themselves the same way), never the run behind it. Node calls it with the
 * view's proxy as `this`.
 */
function inspectView(entries: readonly ViewEntry[]): (this: unknown) => unknown {
  return function (this: unknown): unknown {
    const shown: Record<string, unknown> = {};
    for (const { key } of entries) {
      let value: unknown;
      try {
        value = (this as Record<string, unknown>)[key];
      } catch {
        value = '[revoked]';
      }
      Object.defineProperty(shown, key, { value, enumerable: true });
    }
    return shown;
  };
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
function denyMisses(actor: Actor, path: PathSegments, level: object): object {
  return new Proxy(Object.create(null) as object, {
    get(_, key, receiver) {
      if (typeof key === 'symbol' || TARGET_PROBES.has(key)) return undefined;
      throw violation('CONTRACT_ILLEGAL_READ', blame(receiver, level, actor), [...path, key], 'may not read the undeclared path');
    },
    has: () => false,
    set(_, key, _value, receiver) {
      const at = typeof key === 'symbol' ? path : [...path, key];
      throw violation('CONTRACT_ILLEGAL_WRITE', blame(receiver, level, actor), at, 'may not write the undeclared path');
    },
  });
}
