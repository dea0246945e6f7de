import { ContractViolationError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import { getIn } from '../context/tree.js';
import { carriesPrivate } from '../context/private-carriers.js';
import type { AccessTree } from '../contract/access-tree.js';
import type { CompiledContract, ProcessHelpers } from '../contract/process.js';
import type { DraftSession } from './draft-session.js';
import type { RunEffects } from './run-effects.js';
import { guardPrivate } from './readonly-guard.js';
import { violation } from './violations.js';

/** Probes that libraries and `await` make on any object; they answer `undefined` instead of throwing. */
const HARMLESS_PROBES = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType']);

/** The signal path for a topic: a dotted SIGNAL path as given, else `signal.<topic>`. */
export function signalPath(topic: string): PathSegments {
  return topic.includes('.') ? topic.split('.') : ['signal', topic];
}

/**
 * Builds the `ctx` a guarded process receives: exactly its declared paths, plus the helpers.
 * Declared input-only values are the frozen committed values themselves (native reads); declared
 * outputs are copy-on-write drafts created on first access; everything else throws at the access.
 */
export function createGuardedContext(session: DraftSession, contract: CompiledContract, root: object, effects: RunEffects): ProcessHelpers {
  const ctx = Object.create(denyMisses(session, [])) as Record<string, unknown>;
  addHelpers(ctx, session, contract, effects);
  fillView(ctx, session, contract.access, [], root);
  return Object.freeze(ctx) as unknown as ProcessHelpers;
}

/** Builds the `ctx` of a relaxed (`strict: false`) run: every layer readable and writable. */
export function createOpenContext(session: DraftSession, contract: CompiledContract, effects: RunEffects): ProcessHelpers {
  const helpers = Object.create(null) as Record<string, unknown>;
  addHelpers(helpers, session, contract, effects);
  return new Proxy(helpers, {
    get: (target, key) => (typeof key === 'symbol' || key in target ? target[key as string] : session.valueAt([key])),
    set: (target, key, value) => {
      if (typeof key === 'symbol' || key in target) return false;
      session.writeAt([key], value);
      return true;
    },
    deleteProperty: (target, key) => {
      if (typeof key === 'symbol' || key in target) return false;
      session.writeAt([key], undefined, true);
      return true;
    },
  }) as unknown as ProcessHelpers;
}

function addHelpers(ctx: Record<string, unknown>, session: DraftSession, contract: CompiledContract, effects: RunEffects): void {
  const pure = contract.semantic === 'pure';
  const live = (what: string): void => {
    session.assertLive([what]);
    if (pure) throw violation('CONTRACT_PURE_WRITE', session, [what], 'is pure and cannot use');
  };
  const outbox = Object.freeze({
    add(topic: string, payload?: unknown): void {
      live('outbox');
      if (typeof topic !== 'string' || topic === '') {
        throw new ContractViolationError(
          'CONTRACT_BAD_ARGS',
          `${session.who} called ctx.outbox.add with an invalid topic: pass a non-empty string.`,
          { details: { process: session.process } },
        );
      }
      effects.outbox.push({ topic, payload });
    },
  });
  const define = (key: string, value: unknown): void => {
    Object.defineProperty(ctx, key, { value, enumerable: false, writable: false, configurable: false });
  };
  define('local', {});
  define('outbox', outbox);
  define('log', (message: string): void => {
    session.assertLive(['log']);
    effects.logs.push(String(message));
  });
  define('signal', (topic: string, payload: unknown = true): void => {
    live('signal');
    if (!contract.emitsSignals && session.kind === 'process') {
      throw violation(
        'CONTRACT_ILLEGAL_WRITE',
        session,
        ['signal', String(topic)],
        'may not emit the signal',
        "declare 'signal' (or a 'sig_'/'cmd_' path) among the outputs",
      );
    }
    if (typeof topic !== 'string' || topic === '') {
      throw new ContractViolationError(
        'CONTRACT_BAD_ARGS',
        `${session.who} called ctx.signal with an invalid topic: pass a non-empty string.`,
        { details: { process: session.process } },
      );
    }
    session.writeAt(signalPath(topic), payload);
  });
}

function fillView(view: Record<string, unknown>, session: DraftSession, access: AccessTree, path: PathSegments, root: object): void {
  const pure = session.pure;
  for (const [key, node] of access.children) {
    if (key === 'signal' || key === 'cmd') continue;
    const childPath = [...path, key];
    if (node.read && (!node.writeBelow || pure)) {
      const value = getIn(root, childPath);
      session.rawReads.push(childPath);
      const shown = carriesPrivate(value) ? guardPrivate(value as object, childPath, session) : value;
      Object.defineProperty(view, key, { value: shown, enumerable: true, writable: false, configurable: false });
    } else if (node.read) {
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => {
          session.assertLive(childPath);
          return session.valueAt(childPath);
        },
        set: (value: unknown) => {
          session.assertLive(childPath);
          if (!node.write) throw violation('CONTRACT_ILLEGAL_WRITE', session, childPath, 'may not replace the input-only path');
          session.writeAt(childPath, value);
        },
      });
    } else {
      const sub = Object.create(denyMisses(session, childPath)) as Record<string, unknown>;
      fillView(sub, session, node, childPath, root);
      Object.defineProperty(view, key, { value: Object.freeze(sub), enumerable: true, writable: false, configurable: false });
    }
  }
}

/** The prototype of every view: answers any key the view does not hold with an illegal-access error. */
function denyMisses(session: DraftSession, path: PathSegments): object {
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (typeof key === 'symbol' || HARMLESS_PROBES.has(key)) return undefined;
      throw violation('CONTRACT_ILLEGAL_READ', session, [...path, key], 'may not read the undeclared path');
    },
    has: () => false,
    set(_, key) {
      const shown = typeof key === 'symbol' ? formatPath(path) : formatPath([...path, key]);
      throw violation('CONTRACT_ILLEGAL_WRITE', session, shown === '' ? [] : shown.split('.'), 'may not write the undeclared path');
    },
  });
}
