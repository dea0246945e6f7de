import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `theus` bin of this checkout (it runs the built `dist/main.js`). */
export const BIN = fileURLToPath(new URL('../bin/theus.js', import.meta.url));

/** The user id and group id of `nobody`, to run the bin without root's power to write anywhere. */
const NOBODY = 65534;

/** How a command ended. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run} and {@link runBin}. */
export interface RunOptions {
  readonly cwd: string;
  /** Run as an unprivileged user (as `nobody` when the tests run as root), so permissions apply. */
  readonly unprivileged?: boolean;
  readonly timeoutMs?: number;
}

/**
 * The environment for child commands: the tests' own, without the `npm_*` variables an
 * enclosing `npm test` sets (an inherited `npm_config_*` would change what a nested npm does).
 */
export function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'));
}

/** Runs a command to its end (no shell, no terminal) and resolves to its exit code and output. */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: childEnv(),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the real `theus` bin with `args`, with Node, in `options.cwd`. */
export function runBin(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], options);
}
