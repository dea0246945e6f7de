import { relative } from 'node:path';
import { Engine, type EngineOptions } from 'theus';
import { loadAuditRecipeFile } from 'theus/node';
import { CliError, EXIT } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { existingDirectory, existingFile } from '../input-files.js';
import { loadContextFile } from '../load-context-file.js';
import { loadProcesses } from '../load-processes.js';
import { openSqliteStore } from '../open-store.js';
import { isInteractive, say, sayJson } from '../output.js';
import { registerTypeScript } from '../typescript-loader.js';
import { showProgress } from './progress.js';

/** The options of `theus run`, as commander parses them. */
export interface RunOptions {
  readonly processes: string;
  readonly context?: string;
  readonly audit?: string;
  readonly store?: string;
  readonly maxOps?: number;
  readonly json?: boolean;
}

/**
 * `theus run`: checks every input first (bad usage exits 2 before anything runs), then opens the
 * engine, scans the processes, runs the workflow and prints one summary line (or JSON). A failed
 * run exits 1 with the error's code and the position it names.
 */
export async function runWorkflowCommand(workflow: string, options: RunOptions): Promise<void> {
  const workflowFile = existingFile(workflow, 'The workflow file');
  existingDirectory(options.processes, 'The processes directory', 'pass --processes <dir>.');
  const context = options.context === undefined ? {} : loadContextFile(options.context);
  const engineOptions: EngineOptions = { context };
  registerTypeScript();
  const audit = options.audit === undefined ? undefined : await loadRecipe(options.audit);
  const store = options.store === undefined ? undefined : await openSqliteStore(options.store);
  const engine = await openEngine({
    ...engineOptions,
    ...(audit === undefined ? {} : { audit }),
    ...(store === undefined ? {} : { store }),
  });
  const shown = relative(process.cwd(), workflowFile) || workflowFile;
  try {
    await scan(engine, options.processes);
    const startVersion = engine.version;
    const started = performance.now();
    const stopProgress = isInteractive(options.json) ? showProgress(engine) : undefined;
    try {
      const run = await engine.executeWorkflow(workflowFile, options.maxOps === undefined ? {} : { maxOps: options.maxOps });
      stopProgress?.();
      const ms = Math.round(performance.now() - started);
      if (options.json === true)
        sayJson({ workflow: shown, status: run.status, executed: run.executed, ops: run.ops, version: engine.version, ms });
      else
        say(
          `${shown}: complete, ${plural(run.executed.length, 'step')}, ${plural(run.ops, 'op')}, version ${startVersion} -> ${engine.version} (${ms} ms)`,
        );
    } catch (error) {
      stopProgress?.();
      if (options.json === true) sayJson({ workflow: shown, status: 'failed', version: engine.version, error: errorJson(error) });
      throw new CliError(`${shown}: failed: ${describeError(error)}`, EXIT.failure);
    }
  } finally {
    await engine.close();
  }
}

async function loadRecipe(path: string): Promise<Awaited<ReturnType<typeof loadAuditRecipeFile>>> {
  const file = existingFile(path, 'The audit recipe');
  try {
    return await loadAuditRecipeFile(file);
  } catch (error) {
    throw new CliError(describeError(error));
  }
}

async function openEngine(options: EngineOptions): Promise<Engine> {
  try {
    return await Engine.open(options);
  } catch (error) {
    throw new CliError(describeError(error));
  }
}

async function scan(engine: Engine, dir: string): Promise<void> {
  const processes = await loadProcesses(dir);
  try {
    engine.register(processes);
  } catch (error) {
    throw new CliError(describeError(error));
  }
}

function errorJson(error: unknown): { code?: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? { code, message } : { message };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
