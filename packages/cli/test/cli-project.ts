import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (its node_modules resolve `theus`, `zod` and the CLI's own dependencies). */
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
/** The real bin, as npm links it. */
export const BIN = join(REPOSITORY, 'packages/cli/bin/theus.js');

/** What a run of the bin printed and how it exited. */
export interface BinResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A throwaway project folder (an ES module package whose node_modules is the repository's). */
export interface CliProject {
  readonly dir: string;
  /** Writes files (paths relative to the project; folders are created). */
  write(files: Readonly<Record<string, string>>): void;
  /** Runs `theus <args>` in the project with no terminal attached. */
  run(...args: string[]): Promise<BinResult>;
  remove(): void;
}

/** Makes a project in a new temporary folder. */
export function cliProject(): CliProject {
  const dir = mkdtempSync(join(tmpdir(), 'theus-cli-'));
  symlinkSync(join(REPOSITORY, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const project: CliProject = {
    dir,
    write(files) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    },
    run: (...args) => runBin(dir, args),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  project.write({ 'package.json': JSON.stringify({ name: 'cli-test', private: true, type: 'module' }) });
  return project;
}

/** Runs the bin with `args` in `cwd` (standard input closed, not a terminal, CI unset so output is the plain kind). */
export function runBin(cwd: string, args: readonly string[]): Promise<BinResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1' };
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
