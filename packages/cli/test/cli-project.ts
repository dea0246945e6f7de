import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBin, type RunResult } from './run-bin.js';

/** The repository's root (its node_modules resolve `theus`, `zod` and the CLI's own dependencies). */
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

/** A throwaway project folder (an ES module package whose node_modules is the repository's). */
export interface CliProject {
  readonly dir: string;
  /** Writes files (paths relative to the project; folders are created). */
  write(files: Readonly<Record<string, string>>): void;
  /** Runs `theus <args>` in the project with no terminal attached. */
  run(...args: string[]): Promise<RunResult>;
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
    run: (...args) => runBin(args, { cwd: dir }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  project.write({ 'package.json': JSON.stringify({ name: 'cli-test', private: true, type: 'module' }) });
  return project;
}
