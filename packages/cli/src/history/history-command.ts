import { statSync } from 'node:fs';
import { Engine, type CommitEntry } from 'theus';
import { PRIVATE_PREVIEW } from 'theus/audit';
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
 * `theus history`: opens the store (never creating one: a missing file is bad usage, an empty one
 * is no store), reads the newest commits and prints them: paths written, never the values, and
 * arguments with their PRIVATE values hidden.
 */
export async function historyCommand(options: HistoryOptions): Promise<void> {
  const file = existingFile(options.store, 'The store');
  // SQLite would take an empty file for a new database, and the engine would make it a store.
  if (statSync(file).size === 0) throw new CliError(`The store '${options.store}' is an empty file, not a Theus store.`);
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
    if (options.json === true) sayJson({ store: options.store, version: newest, commits: entries.map(summaryOf) }, hidePrivate);
    else printTable(options.store, newest, entries);
  } finally {
    await engine.close();
  }
}

/** A commit without its patches: patch values may hold PRIVATE (`internal_`) data, which the CLI never prints. */
function summaryOf(entry: CommitEntry): { version: number; time: string; process: string; args: unknown; writes: readonly string[] } {
  return {
    version: entry.version,
    time: timeText(entry.time),
    process: entry.process,
    args: entry.args,
    writes: entry.writes,
  };
}

function printTable(store: string, version: number, entries: readonly CommitEntry[]): void {
  say(`${store}: version ${version}, ${entries.length} commit${entries.length === 1 ? '' : 's'} shown (newest first)`);
  if (entries.length === 0) return;
  const rows = entries.map((e) => [String(e.version), timeText(e.time), e.process, writes(e.writes)]);
  say(table(['Version', 'Time', 'Process', 'Wrote'], rows));
}

function writes(paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).join(', ');
  return paths.length > SHOWN_PATHS ? `${shown}, ... (${paths.length} paths)` : shown;
}

/** A commit's time in ISO 8601, or as the number it is when no date has it (a damaged or hand-made store). */
function timeText(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}

/** A `JSON.stringify` replacer that shows the value of a PRIVATE (`internal_`) key, at any depth, as `[private]` (as audit previews do). */
function hidePrivate(key: string, value: unknown): unknown {
  return key.startsWith('internal_') ? PRIVATE_PREVIEW : value;
}
