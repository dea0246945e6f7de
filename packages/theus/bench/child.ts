/**
 * Running a bench file in a process of its own. The parent spawns
 * `node --import tsx bench/<file> <args>` with `NODE_ENV=production`; the child measures, then
 * prints its result as one JSON line on stdout (`emit`). Errors cross the process boundary as
 * {@link ErrorInfo} and come back as `Error`s the parent can print with `printError`.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** An error as it crosses the process boundary. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: unknown;
  readonly details?: unknown;
}

/** How to start a child. */
export interface ChildOptions {
  /** Start node with `--expose-gc` (for heap measurements). */
  readonly exposeGc?: boolean;
}

/** The serialisable form of anything thrown. */
export function errorInfo(error: unknown): ErrorInfo {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const extra = error as Error & { code?: unknown; details?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(extra.code === undefined ? {} : { code: extra.code }),
    ...(extra.details === undefined ? {} : { details: extra.details }),
  };
}

/** An `Error` carrying what a child reported (name, message, stack, code, details). */
export function reviveError(info: ErrorInfo): Error {
  const error = Object.assign(new Error(info.message), { code: info.code, details: info.details });
  error.name = info.name;
  error.stack = info.stack ?? `${info.name}: ${info.message}`;
  return error;
}

/** Whether the module at `url` is the script node was started with (the child side of a bench file). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && url === pathToFileURL(script).href;
}

/** The child side: prints `result` as the one JSON line the parent reads. */
export function emit(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Runs `bench/<file> <args>` in its own node process (`NODE_ENV=production`) and resolves to the
 * JSON value of the last line it printed. Other lines are passed through, indented. Rejects with
 * the child's stderr when it exits without a result.
 */
export function runChild<T>(file: string, args: readonly string[], options: ChildOptions = {}): Promise<T> {
  const flags = ['--import', 'tsx', ...(options.exposeGc === true ? ['--expose-gc'] : [])];
  const label = ['bench/' + file, ...args].join(' ');
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, `bench/${file}`, ...args], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const lines = out.trimEnd().split('\n');
      const last = lines.pop() ?? '';
      for (const line of lines) console.log(`  [${label}] ${line}`);
      if (code === 0 && last.startsWith('{')) {
        try {
          resolve(JSON.parse(last) as T);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      const why = (err.trim() || last).slice(-4000);
      reject(new Error(`${label} exited with ${String(code ?? signal)} and no result:\n${why}`));
    });
  });
}
