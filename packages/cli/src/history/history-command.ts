import { Engine, type CommitEntry } from 'theus';
import { CliError } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { existingFile } from '../input-files.js';
import { openSqliteStore } from '../open-store.js';
import { say, sayJson, table } from '../output.js';

/** The options of `theus history`. */
export interface HistoryOptions {
  readonly store: string;
  readonly limit: number;
  readonly process?: string;
  readonly json?: boolean;
}

/** At most this many written paths are listed per commit in the table. */
const SHOWN_PATHS = 4;

/**
 * `theus history`: opens the store (never creating one: a missing file is bad usage), reads the
 * newest commits and prints them: paths written, never the values (PRIVATE data stays private).
 */
export async function historyCommand(options: HistoryOptions): Promise<void> {
  const file = existingFile(options.store, 'The store');
  const store = await openSqliteStore(file);
  let engine: Engine;
  try {
    engine = await Engine.open({ store });
  } catch (error) {
    throw new CliError(describeError(error));
  }
  try {
    const newest = engine.version;
    const query = options.process === undefined ? { limit: options.limit } : { limit: options.limit, process: options.process };
    const entries = [...engine.history(query)].reverse();
    if (options.json === true) sayJson({ store: options.store, version: newest, commits: entries.map(summaryOf) });
    else printTable(options.store, newest, entries);
  } finally {
    await engine.close();
  }
}

/** A commit without its patches: patch values may hold PRIVATE (`internal_`) data, which the CLI never prints. */
function summaryOf(entry: CommitEntry): { version: number; time: string; process: string; args: unknown; writes: readonly string[] } {
  return {
    version: entry.version,
    time: new Date(entry.time).toISOString(),
    process: entry.process,
    args: entry.args,
    writes: entry.writes,
  };
}

function printTable(store: string, version: number, entries: readonly CommitEntry[]): void {
  say(`${store}: version ${version}, ${entries.length} commit${entries.length === 1 ? '' : 's'} shown (newest first)`);
  if (entries.length === 0) return;
  const rows = entries.map((e) => [String(e.version), new Date(e.time).toISOString(), e.process, writes(e.writes)]);
  say(table(['Version', 'Time', 'Process', 'Wrote'], rows));
}

function writes(paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).join(', ');
  return paths.length > SHOWN_PATHS ? `${shown}, ... (${paths.length} paths)` : shown;
}
