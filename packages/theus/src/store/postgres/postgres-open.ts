import type pg from 'pg';
import { EncodeProblem, encodeValue, showPath } from '../sqlite/sqlite-codec.js';
import type { CommitRecord, OutboxEntry } from '../store.js';
import { corrupt, writeFailed } from './postgres-errors.js';
import type { ResolvedPostgresOptions } from './postgres-options.js';
import {
  COMMIT_COLUMNS,
  decodeCommit,
  decodeOutboxEntry,
  decodeSeed,
  gap,
  guard,
  integerOf,
  OUTBOX_COLUMNS,
  type CommitRow,
  type OutboxRow,
} from './postgres-rows.js';
import { ensureSchema, quoted } from './postgres-schema.js';

/** The version of the seed: the log starts at 1. */
const SEED_VERSION = 0;

/**
 * Makes the store ready in one transaction that holds the schema's advisory lock (so nodes
 * opening at once take turns): creates or checks the tables, and seeds an empty log with
 * `initial` (when another node seeded it first, its seed stays).
 *
 * @throws StoreError `STORE_NOT_THEUS`, `STORE_FORMAT_NEWER`, `STORE_CORRUPT`, or
 *   `STORE_WRITE_FAILED` when `initial` holds a value JSON cannot represent; the driver's error
 *   when the database fails. Nothing is written then.
 */
export async function prepareStore(pool: pg.Pool, options: ResolvedPostgresOptions, initial: object): Promise<void> {
  await transaction(pool, 'BEGIN', async (client) => {
    await client.query('SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 0))', [`theus.schema.${options.schema}`]);
    await ensureSchema(client, options);
    await seedIfEmpty(client, options, initial);
  });
}

async function seedIfEmpty(client: pg.ClientBase, options: ResolvedPostgresOptions, initial: object): Promise<void> {
  const s = quoted(options.schema);
  const { rows } = await client.query<{ seeds: unknown; head: unknown }>(
    `SELECT (SELECT count(*) FROM ${s}.seed) AS seeds, (SELECT version FROM ${s}.head WHERE id = 1) AS head`,
  );
  const { seeds, head } = rows[0] ?? {};
  if (integerOf(seeds) !== 0) return;
  if (integerOf(head) !== SEED_VERSION) throw corrupt(options, `it has no seed (initial state), but its head is version ${String(head)}`);
  let text: string;
  try {
    text = encodeValue(initial) as string;
  } catch (error) {
    if (!(error instanceof EncodeProblem)) throw error;
    const at = showPath(error.at);
    throw writeFailed(
      options,
      `could not store the initial state: it holds, at '${at}', ${error.problem}. Nothing was stored; keep such values out of the state.`,
      { at, what: 'the initial state' },
    );
  }
  await client.query(`INSERT INTO ${s}.seed (id, version, state) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`, [SEED_VERSION, text]);
}

/** What a store holds when it opens, decoded (the log lazily). */
export interface OpenedContents {
  /** The seed's version (0). */
  readonly version: number;
  /** The seed's state: plain parsed data (the engine seals it). */
  readonly state: object;
  /** The newest version. */
  readonly head: number;
  /** The commits after the seed, decoded and checked for gaps as they are iterated. */
  readonly tail: Iterable<CommitRecord>;
  /** The undelivered outbox messages, in commit order. */
  readonly outbox: readonly OutboxEntry[];
}

/**
 * Reads the whole store in one consistent snapshot (a `REPEATABLE READ` transaction): the head,
 * the seed, the log and the outbox.
 *
 * @throws StoreError `STORE_CORRUPT` when the seed or an outbox message does not decode (the log
 *   throws it as it is iterated); the driver's error when the database fails.
 */
export async function readStore(pool: pg.Pool, options: ResolvedPostgresOptions): Promise<OpenedContents> {
  const s = quoted(options.schema);
  const read = await transaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
    const head = await client.query<{ version: unknown }>(`SELECT version FROM ${s}.head WHERE id = 1`);
    const seed = await client.query<{ version: unknown; state: unknown }>(`SELECT version, state FROM ${s}.seed WHERE id = 1`);
    const commits = await client.query<CommitRow>(`SELECT ${COMMIT_COLUMNS} FROM ${s}.commits ORDER BY version`);
    const outbox = await client.query<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox ORDER BY version, idx`);
    return { head: head.rows[0]?.version, seed: seed.rows[0], commits: commits.rows, outbox: outbox.rows };
  });
  const head = integerOf(read.head);
  if (head === undefined || head < SEED_VERSION) throw corrupt(options, 'its head row is missing or holds no version');
  if (read.seed === undefined || integerOf(read.seed.version) !== SEED_VERSION) {
    throw corrupt(options, `its seed (initial state) is missing or not of version ${SEED_VERSION}`);
  }
  const seedText = read.seed.state;
  const state = guard(options, () => decodeSeed(seedText));
  const outbox = guard(options, () => read.outbox.map((row) => decodeOutboxEntry(row, head)));
  return { version: SEED_VERSION, state, head, tail: decodeLog(options, read.commits, head), outbox };
}

/** Decodes the log as it is iterated, checking that it runs from the seed to the head without a gap. */
function* decodeLog(options: ResolvedPostgresOptions, rows: readonly CommitRow[], head: number): Generator<CommitRecord> {
  let reached = SEED_VERSION;
  for (const row of rows) {
    const record = guard(options, () => decodeCommit(row));
    if (record.version !== reached + 1 || record.version > head) {
      throw record.version > head && record.version === reached + 1
        ? corrupt(options, `it holds the commit of version ${record.version}, after its head (version ${head})`)
        : gap(options, reached + 1, record.version);
    }
    reached = record.version;
    yield record;
  }
  if (reached !== head) throw gap(options, reached + 1, undefined);
}

/**
 * Runs `work` in a transaction on a connection of the pool (`begin` starts it), commits, and
 * returns what `work` returned; rolls back on a failure and throws it. A connection that failed is
 * closed rather than returned to the pool.
 */
async function transaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: unknown;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failure === undefined ? undefined : true);
  }
}
