import type { PathSegments } from '../context/paths.js';
import type { CompiledContract, ProcessHelpers } from '../contract/process.js';
import type { AccessTree } from '../contract/access-tree.js';
import { violation } from './violations.js';
import { mapReturnedOutputs, type OutputWriter } from './output-mapping.js';
import { createRunEffects, type RunEffects } from './run-effects.js';
import { assertTopic, signalPath } from './topics.js';
import { ContractViolationError } from '../errors/index.js';
import { formatPath } from '../context/paths.js';
import { translateProcessError } from './attempt.js';

type Tree = Record<string, unknown>;

/**
 * Training mode (`transactional: false`): the process works on the live state in place. No
 * copy, no patches, no rollback: a failing run leaves whatever it wrote. With `strict`, the
 * contract still decides which top-level paths `ctx` exposes.
 */
export async function runTraining(
  live: Tree,
  contract: CompiledContract,
  strict: boolean,
  body: (ctx: ProcessHelpers) => unknown,
): Promise<{ result: unknown; effects: RunEffects }> {
  const who = `Process '${contract.name}'`;
  const writer: OutputWriter = {
    who,
    process: contract.name,
    kind: strict ? 'process' : 'open',
    writeAt: (path, value, remove) => writeLive(live, path, value, remove === true),
  };
  const effects = createRunEffects();
  const helpers = {
    local: {},
    outbox: {
      add: (topic: string, payload?: unknown) => {
        assertTopic(who, contract.name, 'ctx.outbox.add', topic);
        effects.outbox.push({ topic, payload });
      },
    },
    log: (message: string) => void effects.logs.push(String(message)),
    signal: (topic: string, payload: unknown = true) => {
      assertTopic(who, contract.name, 'ctx.signal', topic);
      writeLive(live, signalPath(topic), payload, false);
    },
  };
  const ctx = strict
    ? liveView(live, contract.access, [], writer, helpers)
    : new Proxy(live, { get: (t, k) => (typeof k === 'string' && k in helpers ? helpers[k as keyof typeof helpers] : t[k as string]) });
  try {
    let returned = body(ctx as unknown as ProcessHelpers);
    if (returned instanceof Promise) returned = await returned;
    return { result: mapReturnedOutputs(returned, contract, writer, effects), effects };
  } catch (error) {
    throw translateProcessError(error, contract, who, contract.semantic === 'pure');
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
