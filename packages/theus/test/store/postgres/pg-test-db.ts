/**
 * The PostgreSQL server the PostgreSQL store's tests use: `THEUS_PG_URL`, by default
 * `postgres://postgres@127.0.0.1:5432/theus_test` (create the database once with
 * `psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE theus_test'`). Every test works in a schema
 * of its own ({@link uniqueSchema}) and drops it afterwards. The suites skip, by name, when the
 * server cannot be reached, unless `THEUS_PG_REQUIRED=1` (CI): then they fail loudly.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test database. */
export const PG_URL = process.env.THEUS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/theus_test';

/** The title suffix of a suite that needs the server. */
export const NEEDS_PG = `(needs PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')}; set THEUS_PG_URL, or THEUS_PG_REQUIRED=1 to fail without it)`;

/** A random schema name, for one test. */
export function uniqueSchema(): string {
  return `theus_test_${randomBytes(6).toString('hex')}`;
}

/** Runs `work` on a fresh connection to the test database, closed afterwards. */
export async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs one statement on a fresh connection and returns its rows. */
export async function sql<Row extends Record<string, unknown> = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  return withClient(async (client) => (await client.query<Row>(text, values)).rows);
}

/** Drops a test schema and everything in it. */
export async function dropSchema(name: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
}

/**
 * Whether the test database can be reached. With `THEUS_PG_REQUIRED=1` an unreachable server
 * throws instead (the suite fails rather than skipping).
 */
export async function pgAvailable(): Promise<boolean> {
  try {
    await sql('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.THEUS_PG_REQUIRED === '1') {
      throw new Error(
        `THEUS_PG_REQUIRED=1, but the PostgreSQL test database cannot be reached (${error instanceof Error ? error.message : String(error)}). Start PostgreSQL, create the database, or set THEUS_PG_URL.`,
        { cause: error },
      );
    }
    return false;
  }
}
