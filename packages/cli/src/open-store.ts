import type { Store } from 'theus';
import { CliError } from './cli-error.js';

/**
 * A SQLite store on `path` (`theus/store/sqlite`, which needs the optional peer better-sqlite3).
 *
 * @throws CliError (exit 1) saying how to install better-sqlite3 when it is missing.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  let module: typeof import('theus/store/sqlite');
  try {
    module = await import('theus/store/sqlite');
  } catch (error) {
    const missing =
      error instanceof Error && (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && error.message.includes('better-sqlite3');
    if (missing) throw new CliError('--store needs the SQLite driver: run `npm install better-sqlite3` in your project.');
    throw error;
  }
  return module.sqliteStore({ path });
}
