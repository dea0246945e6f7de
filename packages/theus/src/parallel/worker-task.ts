/**
 * One attempt of a parallel process, inside a worker thread: import the process's module, find
 * the process among its exports, seal the state it was sent, run the attempt with the same guards
 * as the main thread (`runAttempt`), and reply with its writes as plain data. Everything thrown
 * is encoded (error-codec.ts): the reply itself never fails.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TheusError } from '../errors/index.js';
import { sealValue } from '../context/value-model.js';
import { toPlain } from '../context/to-plain.js';
import { isProcess, process as defineProcess, type AnyProcess, type CompiledContract } from '../contract/process.js';
import { runAttempt, type Attempt, type ProcessBody } from '../transaction/attempt.js';
import { runArguments } from '../transaction/frozen-output.js';
import { encodeError } from './error-codec.js';
import { assertCloneable } from './cloneable.js';
import type { TaskReply, TaskRequest, WireContract, WirePatch } from './wire.js';

/** The process functions found so far, by module and name (a module is imported once per worker). */
const found = new Map<string, { readonly fn: ProcessBody; readonly contract: CompiledContract }>();

/** Runs one attempt (see the module comment). */
export async function runTask(request: TaskRequest): Promise<TaskReply> {
  try {
    const { contract, fn } = await processOf(request.module, request.contract);
    const root = sealValue(request.state, { who: `Process '${contract.name}' (its worker state)`, path: [], zone: 'DATA' }) as object;
    const attempt = await runAttempt(request.kind, contract, root, fn, runArguments(request.args).given);
    return reply(contract.name, attempt);
  } catch (error) {
    return { ok: false, error: encodeError(error) };
  }
}

function reply(process: string, attempt: Attempt): TaskReply {
  const patches: WirePatch[] = attempt.patches.map((patch) =>
    patch.op === 'remove' ? { op: 'remove', path: patch.path } : { op: patch.op, path: patch.path, value: toPlain(patch.value) },
  );
  const result = plainResult(attempt.result);
  assertCloneable(process, 'result', result);
  return {
    ok: true,
    patches,
    result,
    outbox: attempt.effects.outbox,
    logs: attempt.effects.logs,
    readPaths: attempt.readPaths,
    presenceReads: attempt.presenceReads,
  };
}

/** The result as plain data when it is (records made plain objects), else as it is: the clone check decides. */
function plainResult(result: unknown): unknown {
  if (typeof result !== 'object' || result === null) return result;
  try {
    return toPlain(result);
  } catch {
    return result;
  }
}

/**
 * The process to run: the module's export named as the main thread's process, run under the
 * main thread's contract (compiled again here), so both threads enforce the same rules.
 */
async function processOf(module: string, wire: WireContract): Promise<{ fn: ProcessBody; contract: CompiledContract }> {
  const key = `${wire.name}\u0000${module}`;
  const known = found.get(key);
  if (known !== undefined) return known;
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(module);
  } catch (error) {
    const typescript = /\.[cm]?tsx?$/.test(module)
      ? " A TypeScript module needs a loader in the worker threads too: run the app under tsx, or pass the engine option workers: { execArgv: ['--import', 'tsx'] }."
      : '';
    throw new TheusError(
      'POOL_IMPORT_FAILED',
      `Parallel process '${wire.name}' cannot run: its worker could not import the module ${module} (${error instanceof Error ? error.message : String(error)}). Fix the module so that it imports on its own in a worker thread (no main-thread state is there), or point the process's 'module' option at one that does.${typescript}`,
      { details: { process: wire.name, module }, cause: error },
    );
  }
  const definition = exportedProcess(namespace, wire.name);
  if (definition === undefined) {
    throw new TheusError(
      'POOL_PROCESS_NOT_EXPORTED',
      `Parallel process '${wire.name}' cannot run: its module ${module} does not export it at the top level, so a worker cannot find it. Export it (export const ${safeIdentifier(wire.name)} = process({ ..., parallel: true }, ...)) from that module, or pass module: import.meta.url of the module that does.`,
      { details: { process: wire.name, module } },
    );
  }
  const declared = definition.contract;
  if (!sameList(declared.inputs, wire.inputs) || !sameList(declared.outputs, wire.outputs) || declared.semantic !== wire.semantic) {
    throw new TheusError(
      'POOL_PROCESS_NOT_EXPORTED',
      `Parallel process '${wire.name}' cannot run: its module ${module} exports a different process of that name (its contract declares other paths). Give each process its own name, and define parallel processes once, at the top level of their module.`,
      { details: { process: wire.name, module } },
    );
  }
  const contract = defineProcess(
    {
      name: wire.name,
      inputs: wire.inputs,
      outputs: wire.outputs,
      semantic: wire.semantic,
      parallel: true,
      module,
      ...(wire.errors === undefined ? {} : { errors: wire.errors }),
    },
    definition.fn as ProcessBody,
  ).contract;
  const entry = { fn: definition.fn as unknown as ProcessBody, contract };
  found.set(key, entry);
  return entry;
}

/**
 * Imports a process module as piscina loaded this worker's entry: with `require()` first (an ES
 * module loads through it on Node >= 20.19, TypeScript through tsx's `require` hook, which on
 * Node 20 is the only tsx hook that reaches worker threads), with `import()` for an ES module
 * `require()` cannot load (top-level await). Loading both the same way gives the worker one copy
 * of Theus: the one the process's module imports is the one that runs it.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return createRequire(url)(fileURLToPath(url)) as Record<string, unknown>;
  } catch (error) {
    if (!hasCode(error, 'ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE')) throw error;
  }
  const load = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
  return (await load(url)) as Record<string, unknown>;
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && codes.includes(code);
}

/**
 * The exported process named `name`: a definition of this copy of Theus, or one made by another
 * copy the module imported (recognised by its shape: a name, a compiled contract and a function).
 */
function exportedProcess(namespace: Record<string, unknown>, name: string): AnyProcess | undefined {
  let lookalike: AnyProcess | undefined;
  for (const value of Object.values(namespace)) {
    if (typeof value !== 'object' || value === null) continue;
    const candidate = value as Partial<AnyProcess>;
    if (candidate.name !== name) continue;
    if (isProcess(value)) return value;
    if (typeof candidate.fn === 'function' && typeof candidate.contract === 'object' && candidate.contract !== null) {
      lookalike ??= value as AnyProcess;
    }
  }
  return lookalike;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function safeIdentifier(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : 'myProcess';
}
