/**
 * `theus/store/postgres`: a store that several engines share through one PostgreSQL database
 * (through the optional peer dependency `pg`).
 *
 * @packageDocumentation
 */
import type { Store } from '../store.js';
import type { PostgresStoreOptions } from './postgres-options.js';
import { postgresStore as createPostgresStore } from './postgres-store.js';

export type { PostgresStoreOptions } from './postgres-options.js';

/**
 * A store that several engines ("nodes", in one process or on many machines) share through one
 * PostgreSQL database, with the guarantees of one engine: one gapless version order, path-level
 * conflict detection across nodes (a run conflicts with another node's commit, made since it
 * started, that wrote an equal, ancestor or descendant path; any such commit with `strictCas`),
 * no lost update, and outbox messages held by one node at a time and delivered at least once.
 *
 * Each node sends the commits it has ready as one group, in one round trip: a function in the
 * database locks the head of the log (`FOR UPDATE`: groups of all nodes queue there, none is
 * aborted), checks each commit against the commits it has not seen, appends the accepted ones with
 * their outbox messages in one transaction, and notifies the other nodes (`LISTEN/NOTIFY`), which
 * read the new commits from the log and apply them. A commit that conflicts with another node's
 * is not stored: its run catches up and runs again. A run resolves once its commit is durable.
 *
 * The tables (`commits`, `outbox`, ...) are created on first use in `schema` (default `theus`),
 * with the format version in `meta`; the first node to open an empty store seeds it with its
 * `context`, and later nodes start from the stored state (their `context` is ignored). Values are
 * stored as JSON text: `-0` comes back as `0`; HEAVY binaries (`ArrayBuffer`, typed arrays) are
 * not persisted (a commit holding one fails with `STORE_WRITE_FAILED`, with nothing stored). What
 * the database holds is checked as it is read: a value outside the value model, or a patch no
 * commit could make, is `STORE_CORRUPT`.
 *
 * `engine.history()` lists the commits this node has seen since it opened (the ones it replayed,
 * made or applied; at most `historyCapacity`, newest kept), and `engine.stateAt()` answers for the
 * current version only: the log itself stays in the database. Dead letters are shared: any node's
 * `engine.outbox.retry(id)` revives one.
 *
 * Creating the store does no I/O; the engine opens it (`await engine.ready`), which rejects with a
 * `StoreError` naming the host, port, database and schema (never the password) when the server
 * cannot be reached or refuses (`STORE_OPEN_FAILED`), the schema holds tables of something else
 * (`STORE_NOT_THEUS`), or a newer theus wrote it (`STORE_FORMAT_NEWER`). A commit whose transaction
 * fails (a lost connection, a terminated backend) fails its runs with `STORE_WRITE_FAILED`: the
 * group is one transaction, so none of it is stored. (As with any database, a connection lost
 * while the server commits leaves the outcome unknown to the node: such a commit, if it was
 * stored, comes back to the node as one from the log.)
 *
 * @throws TheusError `ENGINE_INVALID_OPTION` naming a bad or unknown option (a bad URL is never quoted).
 * @example
 * ```ts
 * import { Engine } from 'theus';
 * import { postgresStore } from 'theus/store/postgres';
 *
 * const store = postgresStore({ url: process.env.DATABASE_URL!, schema: 'orders' });
 * const engine = new Engine({ context, processes, store });
 * await engine.ready; // creates the tables, or joins the nodes already running
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): Store {
  return createPostgresStore(options);
}
