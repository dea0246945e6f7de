import type Database from 'better-sqlite3';
import type { ResolvedSqliteOptions } from './sqlite-options.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';

/** One commit unit as the rows it becomes. */
export interface EncodedUnit {
  readonly version: number;
  readonly process: string;
  readonly args: string | null;
  readonly patches: string;
  readonly signals: string;
  readonly time: number;
  readonly outbox: readonly (readonly [id: string, topic: string, payload: string, attempts: number])[];
  /** The state as JSON, when this version takes a periodic snapshot. */
  readonly snapshot: string | undefined;
}

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
  /** Writes encoded units in one transaction (built once: better-sqlite3 makes a wrapper per call of `db.transaction`). */
  readonly writeUnits: Database.Transaction<(units: readonly EncodedUnit[]) => void>;
}

/** A session on a connection whose tables are ready. */
export function createSession(db: Database.Database, options: ResolvedSqliteOptions): SqliteSession {
  const statements = prepareStatements(db);
  return {
    db,
    path: options.path,
    snapshotEvery: options.snapshotEvery,
    statements,
    historyStatements: new Map(),
    seedVersion: undefined,
    lastVersion: undefined,
    writeUnits: db.transaction((units: readonly EncodedUnit[]) => {
      for (const unit of units) {
        statements.insertCommit.run(unit.version, unit.process, unit.args, unit.patches, unit.signals, unit.time);
        for (const [idx, [id, topic, payload, attempts]] of unit.outbox.entries()) {
          statements.insertOutbox.run(id, unit.version, idx, topic, payload, attempts);
        }
        if (unit.snapshot !== undefined) {
          statements.insertSnapshot.run(unit.version, 'periodic', unit.snapshot);
          statements.pruneSnapshots.run();
        }
      }
    }),
  };
}
