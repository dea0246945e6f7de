/**
 * The layout of a Theus store in a PostgreSQL schema, and how a schema is recognised. Values are
 * JSON text (see `sqlite-codec.ts`), kept in `text` columns so that key order survives (`jsonb`
 * would reorder keys).
 *
 * - `meta (key, value)`: `store` = `theus` and `format_version` = {@link FORMAT_VERSION}.
 * - `head (id = 1, version)`: the newest version; the row every commit locks `FOR UPDATE`.
 * - `seed (id = 1, version, state)`: the initial state (version 0).
 * - `commits (version, process, args NULL, patches, signals, time)`: the log, gapless, never pruned.
 * - `paths (path COLLATE "C", at, below)`: per path key (`postgres-keys.ts`) the newest version
 *   that wrote exactly it and the newest that wrote it or a path below it; the conflict check
 *   reads it (`postgres-commit-function.ts`).
 * - `outbox (id, version, idx, topic, payload, status 'pending' | 'dead', attempts, last_error,
 *   next_attempt_at, claimed_by, lease_until)`: undelivered messages, claimed by one node at a
 *   time for a lease; a delivered one is deleted.
 * - the function `commit_group(jsonb, bigint)`.
 *
 * @packageDocumentation
 */
import type pg from 'pg';
import { commitFunctionSql } from './postgres-commit-function.js';
import { corrupt, describeLocation, storeError, type ErrorTarget } from './postgres-errors.js';

/** The format version this build writes and reads (`meta.format_version`). */
export const FORMAT_VERSION = 1;

const TABLES = ['meta', 'head', 'seed', 'commits', 'paths', 'outbox', 'turns'] as const;

/** The schema as a quoted identifier, ready to interpolate (its name was checked: `[a-z0-9_]` only). */
export function quoted(schema: string): string {
  return `"${schema}"`;
}

function createSql(schema: string): string {
  const s = quoted(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE ${s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE ${s}.head (id int PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
CREATE TABLE ${s}.seed (id int PRIMARY KEY CHECK (id = 1), version bigint NOT NULL, state text NOT NULL);
CREATE TABLE ${s}.commits (
  version bigint PRIMARY KEY,
  process text NOT NULL,
  args text,
  patches text NOT NULL,
  signals text NOT NULL,
  time bigint NOT NULL
);
CREATE TABLE ${s}.paths (path text COLLATE "C" PRIMARY KEY, at bigint NOT NULL, below bigint NOT NULL);
CREATE TABLE ${s}.outbox (
  id text PRIMARY KEY,
  version bigint NOT NULL,
  idx int NOT NULL,
  topic text NOT NULL,
  payload text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'dead')),
  attempts int NOT NULL,
  last_error text,
  next_attempt_at bigint NOT NULL,
  claimed_by text,
  lease_until bigint
);
CREATE INDEX outbox_in_order ON ${s}.outbox (version, idx);
CREATE TABLE ${s}.turns (seq bigserial PRIMARY KEY, token text NOT NULL UNIQUE, until bigint NOT NULL, pid int);
INSERT INTO ${s}.head (id, version) VALUES (1, 0);
INSERT INTO ${s}.meta (key, value) VALUES ('store', 'theus'), ('format_version', '${FORMAT_VERSION}');
${commitFunctionSql(s, schema)}`;
}

/**
 * Makes the schema ready, inside the caller's transaction (which holds the schema's advisory
 * lock, so two nodes opening at once do not both create it): creates the tables and the
 * function when the schema is absent or empty, and otherwise checks that it is a Theus store of
 * a format this build reads.
 *
 * @throws StoreError `STORE_NOT_THEUS` (tables that are not a Theus store's), `STORE_FORMAT_NEWER`
 *   or `STORE_CORRUPT` (a Theus store missing a table or its function).
 */
export async function ensureSchema(client: pg.ClientBase, target: ErrorTarget): Promise<void> {
  const { schema } = target.location;
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
    [schema],
  );
  const names = rows.map((row) => row.name);
  if (names.length === 0) {
    await client.query(createSql(schema));
    return;
  }
  const format = names.includes('meta') ? await readFormat(client, schema) : undefined;
  if (format === undefined) {
    const holds = `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`;
    throw storeError(
      'STORE_NOT_THEUS',
      target,
      `The ${describeLocation(target.location)} holds tables (${holds}) that are not a Theus store; nothing was written to it. Give the store another schema (the schema option), or drop these tables.`,
      { tables: names },
    );
  }
  if (!/^\d{1,9}$/.test(format)) throw corrupt(target, `its meta table names no format version (format_version '${format}')`);
  if (Number(format) > FORMAT_VERSION) {
    throw storeError(
      'STORE_FORMAT_NEWER',
      target,
      `The Theus store in the ${describeLocation(target.location)} has format ${format}, written by a newer version of theus; this build reads formats up to ${FORMAT_VERSION}. Upgrade theus to open it.`,
      { format: Number(format), supported: FORMAT_VERSION },
    );
  }
  if (Number(format) < 1) throw corrupt(target, `its meta table names format ${format}, which no theus writes`);
  const missing = TABLES.filter((table) => !names.includes(table));
  if (missing.length > 0) throw corrupt(target, `the table(s) ${missing.join(', ')} are missing`);
  const { rows: functions } = await client.query<{ found: string | null }>('SELECT pg_catalog.to_regprocedure($1)::text AS found', [
    `${quoted(schema)}.commit_group(jsonb, bigint)`,
  ]);
  if (functions[0]?.found == null) throw corrupt(target, 'its function commit_group(jsonb, bigint) is missing');
}

/**
 * The `format_version` of a `meta` table, or `undefined` when it is not a Theus store's (other
 * columns, or no `store` = `theus` row). A savepoint keeps the transaction usable when the query
 * fails on a table of another application.
 */
async function readFormat(client: pg.ClientBase, schema: string): Promise<string | undefined> {
  await client.query('SAVEPOINT theus_meta');
  try {
    const { rows } = await client.query<{ key: unknown; value: unknown }>(
      `SELECT key::text AS key, value::text AS value FROM ${quoted(schema)}.meta WHERE key::text IN ('store', 'format_version')`,
    );
    await client.query('RELEASE SAVEPOINT theus_meta');
    const value = (key: string): unknown => rows.find((row) => row.key === key)?.value;
    const format = value('format_version');
    return value('store') === 'theus' && typeof format === 'string' ? format : undefined;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT theus_meta');
    return undefined;
  }
}
