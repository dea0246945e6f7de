/**
 * Settings shared by the worker-pool tests.
 *
 * The fixtures are TypeScript, so worker threads load tsx. tsx resolves `theus` through the
 * nearest tsconfig's `paths` (the repository's maps it to the sources): in the vitest project
 * `built`, where the engine and the worker entry come from `dist/`, the threads are pointed at
 * another tsconfig (`tsconfig.built.json`), so that a process module imports the same `dist/`
 * the pool runs.
 *
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import { afterEach, TestRunner } from 'vitest';
import { Engine, type EngineOptions } from 'theus';

/** The `workers` option of every test engine: two threads, with tsx to load the fixtures. */
export const WORKERS = { size: 2, execArgv: ['--import', 'tsx'] } as const;

/** True in the vitest project `built` (the package under test is `dist/`). */
export const inBuiltProject = (): boolean => TestRunner.getCurrentSuite().file.projectName === 'built';

/**
 * The tsconfig a child or worker compiles the fixtures with when the test runs on `dist/`: no
 * `paths` (so `theus` resolves to `dist/`), and the fixtures included, so that tsx applies the
 * strict options to them (outside a tsconfig's `include`, tsx compiles a file in sloppy mode,
 * where a write to a frozen input fails silently instead of throwing).
 */
export const BUILD_TSCONFIG = fileURLToPath(new URL('./tsconfig.built.json', import.meta.url));

/** Makes worker threads (and child processes) resolve `theus` as this project does; call it at the top of a test file. */
export function resolveTheusLikeThisProject(): void {
  if (inBuiltProject()) process.env['TSX_TSCONFIG_PATH'] = BUILD_TSCONFIG;
}

/**
 * For one test file: a function making engines with the test workers, each closed (its pool
 * stopped) after the test that made it.
 */
export function workerEngines(): (options?: EngineOptions) => Engine {
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
  });
  return (options = {}) => {
    const engine = new Engine({ workers: WORKERS, ...options });
    engines.push(engine);
    return engine;
  };
}
