import type { PathSegments } from '../context/paths.js';
import type { CompiledContract, ProcessHelpers } from '../contract/process.js';
import type { AccessTree } from '../contract/access-tree.js';
import { violation } from './violations.js';
import { mapReturnedOutputs, type OutputWriter } from './output-mapping.js';
import { createRunEffects } from './run-effects.js';
import { assertTopic, outboxPayload, signalPath } from './topics.js';
import { ContractViolationError } from '../errors/index.js';
import { formatPath } from '../context/paths.js';
import { translateProcessError } from './attempt.js';

type Tree = Record<string, unknown>;

/** What a process sees in training mode, built once per contract: the live tree never changes identity. */
interface TrainingView {
  /** A fresh `ctx` for one run: the shared view plus this run's own `ctx.local`. */
  readonly ctx: () => object;
  readonly writer: OutputWriter;
  readonly who: string;
}

/**
 * Training mode (`transactional: false`): processes work on the live state in place. No copy, no
 * patches, no rollback: a failing run leaves whatever it wrote. With `strict`, the contract still
 * decides which top-level paths `ctx` exposes. The `ctx` of each contract is built on its first
 * run and reused, so a run costs the process's own work plus a few property lookups. Nothing of a
 * run is kept: `ctx.log` and `ctx.outbox.add` check their arguments and drop them (there is no
 * commit to deliver them with).
 */
export class TrainingRunner {
  readonly #views = new WeakMap<CompiledContract, TrainingView>();

  constructor(
    private readonly live: Tree,
    private readonly strict: boolean,
  ) {}

  /** Runs `body` on the live tree; a promise only when the process returned one. */
  run(contract: CompiledContract, body: (ctx: ProcessHelpers, args: unknown) => unknown, args: unknown): unknown {
    const view = this.#views.get(contract) ?? this.#build(contract);
    let returned: unknown;
    try {
      returned = body(view.ctx() as ProcessHelpers, args);
    } catch (error) {
      throw translateProcessError(error, contract, view.who, contract.semantic === 'pure');
    }
    if (!(returned instanceof Promise)) return this.#map(returned, contract, view);
    return returned.then(
      (value: unknown) => this.#map(value, contract, view),
      (error: unknown) => {
        throw translateProcessError(error, contract, view.who, contract.semantic === 'pure');
      },
    );
  }

  #map(returned: unknown, contract: CompiledContract, view: TrainingView): unknown {
    if (returned === undefined) return undefined;
    try {
      return mapReturnedOutputs(returned, contract, view.writer, createRunEffects());
    } catch (error) {
      throw translateProcessError(error, contract, view.who, contract.semantic === 'pure');
    }
  }

  #build(contract: CompiledContract): TrainingView {
    const live = this.live;
    const who = `Process '${contract.name}'`;
    const writer: OutputWriter = {
      who,
      process: contract.name,
      kind: this.strict ? 'process' : 'open',
      writeAt: (path, value, remove) => writeLive(live, path, value, remove === true),
    };
    const helpers = {
      outbox: {
        add: (topic: string, payload?: unknown): void => {
          assertTopic(who, contract.name, 'ctx.outbox.add', topic);
          outboxPayload(who, topic, payload);
        },
      },
      log: (message: string): void => void String(message),
      signal: (topic: string, payload: unknown = true): void => {
        assertTopic(who, contract.name, 'ctx.signal', topic);
        writeLive(live, signalPath(topic), payload, false);
      },
    };
    let ctx: () => object;
    if (this.strict) {
      // The shared view is the prototype of each run's ctx, which holds only `local` and takes no new keys.
      const RunContext = class {
        readonly local = {};
      };
      Object.setPrototypeOf(RunContext.prototype, liveView(live, contract.access, [], writer, helpers));
      ctx = () => Object.preventExtensions(new RunContext());
    } else {
      ctx = () => {
        const local = {};
        return new Proxy(live, {
          get: (t, k) =>
            k === 'local' ? local : typeof k === 'string' && k in helpers ? helpers[k as keyof typeof helpers] : t[k as string],
        });
      };
    }
    const view: TrainingView = { ctx, writer, who };
    this.#views.set(contract, view);
    return view;
  }
}

function liveView(live: Tree, access: AccessTree, path: PathSegments, writer: OutputWriter, helpers?: object): object {
  const view: Tree = { ...(helpers ?? {}) };
  for (const [key, node] of access.children) {
    // The bare signal outputs grant ctx.signal(); they are not views of the state.
    if (path.length === 0 && (key === 'signal' || key === 'cmd')) continue;
    const childPath = [...path, key];
    if (node.read) {
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => readLive(live, childPath),
        set: (value: unknown) => {
          if (!node.write) throw violation('CONTRACT_ILLEGAL_WRITE', writer, childPath, 'may not replace the input-only path');
          writeLive(live, childPath, value, false);
        },
      });
    } else {
      Object.defineProperty(view, key, { value: liveView(live, node, childPath, writer), enumerable: true });
    }
  }
  return new Proxy(Object.freeze(view), {
    get(target, key) {
      if (typeof key === 'symbol' || key in target || key === 'then') return (target as Record<string | symbol, unknown>)[key];
      throw violation('CONTRACT_ILLEGAL_READ', writer, [...path, key], 'may not read the undeclared path');
    },
  });
}

function readLive(live: Tree, path: PathSegments): unknown {
  let node: unknown = live;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Tree)[key] : undefined;
  return node;
}

/** Keys that reach JavaScript's object machinery instead of data: never written, even in training mode. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function writeLive(live: Tree, path: PathSegments, value: unknown, remove: boolean): void {
  if (path.some((key) => UNSAFE_KEYS.has(String(key)))) {
    throw new ContractViolationError(
      'CONTRACT_ILLEGAL_WRITE',
      `A process may not write '${formatPath(path)}': '__proto__', 'constructor' and 'prototype' are not data keys.`,
      { details: { path: formatPath(path) } },
    );
  }
  let node: Tree = live;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  }
  const last = path[path.length - 1] as string;
  if (remove) delete node[last];
  else node[last] = value;
}
