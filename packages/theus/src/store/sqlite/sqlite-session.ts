import type Database from 'better-sqlite3';
import type { ResolvedSqliteOptions } from './sqlite-options.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';

/** An open store: its connection, its statements, and what it knows of the log without reading it. */
export interface SqliteSession {
  readonly db: Database.Database;
  readonly path: string;
  readonly snapshotEvery: number;
  readonly statements: Statements;
  /** History statements by query shape, prepared on first use. */
  readonly historyStatements: Map<string, Database.Statement>;
  /** The seed's version, once seeded: the oldest version the store can rebuild. */
  seedVersion: number | undefined;
  /** The newest stored version (the seed's before the first commit). Changed only after a write committed. */
  lastVersion: number | undefined;
}

/** A session on a connection whose tables are ready. */
export function createSession(db: Database.Database, options: ResolvedSqliteOptions): SqliteSession {
  return {
    db,
    path: options.path,
    snapshotEvery: options.snapshotEvery,
    statements: prepareStatements(db),
    historyStatements: new Map(),
    seedVersion: undefined,
    lastVersion: undefined,
  };
}
