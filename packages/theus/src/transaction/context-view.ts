import { getIn } from '../context/tree.js';
import { recordReadValue, recordStoreOf } from '../context/persistent-record.js';
import { carriesPrivate } from '../context/private-carriers.js';
import type { CompiledContract, ProcessHelpers } from '../contract/process.js';
import type { DraftSession } from './draft-session.js';
import type { RunEffects } from './run-effects.js';
import { guardPrivate } from './readonly-guard.js';
import { RunHelpers } from './run-helpers.js';
import { attachRun, viewPlanOf, type ViewPlan, type ViewRun } from './view-plan.js';

/**
 * Builds the `ctx` a guarded process receives: exactly its declared paths, plus the helpers.
 * Declared input-only values are the frozen committed values themselves (native reads); declared
 * outputs are copy-on-write drafts reached through accessors shared by every run of the contract;
 * everything else throws at the access.
 */
export function createGuardedContext(session: DraftSession, contract: CompiledContract, root: object, effects: RunEffects): ProcessHelpers {
  const run = { session, helpers: new RunHelpers(session, contract, effects) };
  return fillView(viewPlanOf(contract), run, root) as unknown as ProcessHelpers;
}

/** Builds the `ctx` of a relaxed (`strict: false`) run: every layer readable and writable. */
export function createOpenContext(session: DraftSession, contract: CompiledContract, effects: RunEffects): ProcessHelpers {
  const helpers = new RunHelpers(session, contract, effects);
  const fixed: Record<string, unknown> = { local: helpers.local, outbox: helpers.outbox, log: helpers.log, signal: helpers.signal };
  const isHelper = (key: string | symbol): boolean => typeof key === 'symbol' || Object.hasOwn(fixed, key);
  return new Proxy(fixed, {
    get: (target, key) => (isHelper(key) ? target[key as string] : session.valueAt([key as string])),
    set: (_, key, value) => {
      if (isHelper(key)) return false;
      session.writeAt([key as string], value);
      return true;
    },
    deleteProperty: (_, key) => {
      if (isHelper(key)) return false;
      session.writeAt([key as string], undefined, true);
      return true;
    },
  }) as unknown as ProcessHelpers;
}

/** Creates one level of a view: the plan's shared prototype, this run's values, sealed, behind the plan's traps. */
function fillView(plan: ViewPlan, run: ViewRun, root: object): object {
  const view = Object.create(plan.proto) as object;
  attachRun(view, run, plan);
  const session = run.session;
  for (const entry of plan.entries) {
    if (entry.kind === 'draft') continue;
    let value: unknown;
    if (entry.kind === 'value') {
      value = getIn(root, entry.path);
      session.noteRawRead(entry.path);
      if (carriesPrivate(value)) value = guardPrivate(value as object, entry.path, session);
      else value = readableRecord(value);
    } else {
      value = fillView(entry.plan as ViewPlan, run, root);
    }
    Object.defineProperty(view, entry.key, { value, enumerable: true, writable: false, configurable: false });
  }
  Object.preventExtensions(view);
  return plan.handler === undefined ? view : new Proxy(view, plan.handler);
}

/**
 * What a declared input that is a persistent record reads through: the version's plain view once
 * it pays off (read at native speed; see recordReadValue), else the record facade. Any other
 * value is returned as it is.
 */
function readableRecord(value: unknown): unknown {
  const store = recordStoreOf(value);
  return store === undefined ? value : recordReadValue(store);
}
