/**
 * Where a `parallel: true` process lives, so that a worker thread can import it: the module that
 * called `process()` (found from the call stack at definition), or the `module` option. Checked
 * when the process is registered (see {@link checkProcessModule}). Node only in effect, but free
 * of Node imports: the core entry must bundle for browsers, so Node's modules are reached through
 * `process.getBuiltinModule` (Node >= 20.16) when the host has it.
 *
 * @packageDocumentation
 */
import { ContractViolationError } from '../errors/index.js';

/** Frames read from the stack when looking for the defining module (the caller is a few frames up). */
const STACK_FRAMES = 30;

/** The directory of this module: `process()` and `createTheus()` live here in `src/contract/` and in `dist/` alike. */
const OWN_DIRECTORY = directoryOf(import.meta.url);

interface CallSiteLike {
  getFileName(): string | null | undefined;
}

/**
 * The file URL of the first module on the call stack outside Theus's own files: the module whose
 * top level (or function) called `process()`. `undefined` when no frame names a file (code run by
 * `eval`, a REPL, a host without V8's structured stack traces).
 */
export function callerModule(): string | undefined {
  // V8's stack API, typed here (and absent outside V8): the core is not typed against Node's.
  const ErrorCtor = Error as unknown as {
    prepareStackTrace?: ((error: Error, sites: unknown[]) => unknown) | undefined;
    stackTraceLimit: number;
    captureStackTrace?: (target: object) => void;
  };
  if (typeof ErrorCtor.captureStackTrace !== 'function') return undefined;
  const savedPrepare = ErrorCtor.prepareStackTrace;
  const savedLimit = ErrorCtor.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    // V8's structured stack (call sites), read once and restored at once: no user code runs in between.
    ErrorCtor.prepareStackTrace = (_error, sites) => sites;
    ErrorCtor.stackTraceLimit = STACK_FRAMES;
    ErrorCtor.captureStackTrace(holder);
    const sites = holder.stack;
    if (!Array.isArray(sites)) return undefined;
    for (const site of sites as CallSiteLike[]) {
      const name = typeof site.getFileName === 'function' ? site.getFileName() : undefined;
      const url = typeof name === 'string' ? toFileUrl(name) : undefined;
      if (url !== undefined && directoryOf(url) !== OWN_DIRECTORY) return url;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    ErrorCtor.prepareStackTrace = savedPrepare;
    ErrorCtor.stackTraceLimit = savedLimit;
  }
}

/** A stack frame's file as a `file:` URL: URLs as they are, absolute paths (Vite's, CommonJS) converted; `undefined` for `node:` and the like. */
function toFileUrl(name: string): string | undefined {
  if (name.startsWith('file:')) return name;
  if (!name.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(name)) return undefined;
  const url = nodeModule<{ pathToFileURL(path: string): URL }>('node:url');
  if (url !== undefined) return url.pathToFileURL(name).href;
  return `file://${name.startsWith('/') ? '' : '/'}${encodeURI(name.replace(/\\/g, '/')).replace(/[?#]/g, encodeURIComponent)}`;
}

function directoryOf(url: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/** A Node built-in module, when the host is Node (20.16+); `undefined` elsewhere. */
function nodeModule<T>(id: string): T | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return host?.getBuiltinModule?.(id) as T | undefined;
}

/**
 * Checks that a worker thread can import the module of a parallel process: a `file:` URL of an
 * existing file, on a host with worker threads.
 *
 * @throws ContractViolationError (`CONTRACT_PARALLEL_MODULE`) saying why and how to fix it.
 */
export function checkProcessModule(process: string, module: string | undefined): void {
  const fs = nodeModule<{ existsSync(path: string): boolean }>('node:fs');
  const url = nodeModule<{ fileURLToPath(url: string): string }>('node:url');
  if (fs === undefined || url === undefined || nodeModule('node:worker_threads') === undefined) {
    moduleError(process, module, 'this host has no Node worker threads (parallel processes run on Node only; drop parallel: true here)');
  }
  if (module === undefined) {
    moduleError(process, module, 'the module that defined it could not be found (was it defined by eval, in a REPL or in generated code?)');
  }
  if (!module.startsWith('file:'))
    moduleError(process, module, `its module '${module}' is not a file: URL, which is all a worker can import`);
  let path: string | undefined;
  try {
    path = url.fileURLToPath(module);
  } catch {
    path = undefined;
  }
  if (path === undefined || !fs.existsSync(path)) moduleError(process, module, `its module '${module}' is not an existing file`);
}

function moduleError(process: string, module: string | undefined, why: string): never {
  throw new ContractViolationError(
    'CONTRACT_PARALLEL_MODULE',
    `Parallel process '${process}' cannot run in a worker thread: ${why}. Define the process at the top level of a module file and export it (export const p = process({ ..., parallel: true }, ...)), or pass module: import.meta.url of the module that exports it.`,
    { details: { process, ...(module === undefined ? {} : { module }) } },
  );
}
