import type pg from 'pg';
import type { ResolvedPostgresOptions } from './postgres-options.js';

/** An open PostgreSQL store: its pool, where it is, and who this node is. */
export interface PostgresSession {
  /** The connections for commits, reads and the outbox (not the listening one). */
  readonly pool: pg.Pool;
  readonly options: ResolvedPostgresOptions;
  /** The schema as a quoted identifier, ready to interpolate into SQL. */
  readonly schema: string;
  /** This store object's random id: the `claimed_by` of the outbox messages it claims. */
  readonly nodeId: string;
}

/** The database's clock in milliseconds since the epoch (leases use it: one clock for every node). */
export const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
