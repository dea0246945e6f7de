import pg from 'pg';
import type { ResolvedPostgresOptions } from './postgres-options.js';

/** How long connecting may take before it fails (a host that drops packets would otherwise hang for minutes). */
const CONNECT_TIMEOUT_MS = 15_000;

/** The driver's settings for one connection to the store's database. */
export function clientConfig(options: ResolvedPostgresOptions): pg.ClientConfig {
  return {
    connectionString: options.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'theus',
  };
}

/**
 * The pool of connections for commits, reads and the outbox. An idle connection the server
 * closes (a restart, a terminated backend) is dropped by the pool and replaced on the next
 * query; the error it reports then is ignored here (without a listener, Node would end the
 * process on it): the query that needs a connection reports its own failure.
 */
export function createPool(options: ResolvedPostgresOptions): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(options), max: options.pool });
  pool.on('error', ignore);
  return pool;
}

/** A new connection (not yet connected) for the listener; errors are the caller's to listen to. */
export function createClient(options: ResolvedPostgresOptions): pg.Client {
  return new pg.Client(clientConfig(options));
}

function ignore(): void {
  // See createPool: a connection that failed while idle is already out of the pool.
}
