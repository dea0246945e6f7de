import { describe } from '../../context/paths.js';
import { TheusError } from '../../errors/index.js';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The database, as a connection URL: `postgres://user:password@host:5432/database` (or
   * `postgresql://`; query parameters such as `sslmode` are passed to the driver). The password
   * never appears in an error.
   */
  readonly url: string;
  /**
   * The schema holding the store's tables, created on first use (default `theus`): lowercase
   * letters, digits and `_`, not starting with a digit, at most 63 characters. Engines sharing a
   * state give the same database and schema; one database holds several stores in several schemas.
   */
  readonly schema?: string;
  /**
   * How many of the commits this node has seen `engine.history()` lists at most (default 1,000):
   * the ones replayed when it opened, its own and the other nodes' it applied, newest kept.
   */
  readonly historyCapacity?: number;
  /**
   * How long a node holds an outbox message it claimed for one delivery attempt, in milliseconds
   * (default 30,000). Past it, another node may claim the message (a node that crashed mid-attempt
   * loses it so): make it longer than a handler's slowest delivery.
   */
  readonly outboxLeaseMs?: number;
  /** The most connections the node opens for commits and reads (default 10), besides the one that listens. */
  readonly pool?: number;
}

/** Where the store's database is, from its URL: for messages (never the user or password). */
export interface PostgresLocation {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly schema: string;
}

/** {@link PostgresStoreOptions} checked, with the defaults filled in. */
export interface ResolvedPostgresOptions {
  readonly url: string;
  readonly schema: string;
  readonly historyCapacity: number;
  readonly outboxLeaseMs: number;
  readonly pool: number;
  readonly location: PostgresLocation;
  /** The URL's password (percent-encoded and decoded), to redact from messages; empty without one. */
  readonly secrets: readonly string[];
}

const KNOWN = ['url', 'schema', 'historyCapacity', 'outboxLeaseMs', 'pool'];
/** The schema is interpolated into SQL as an identifier: only names this pattern accepts are. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_HISTORY = 10_000_000;
/** The longest lease accepted: the longest delay a Node timer takes. */
const MAX_LEASE_MS = 2_147_483_647;
const MAX_POOL = 1_000;
const DEFAULT_PORT = 5432;

/**
 * Checks the options of `postgresStore()` (untrusted: any value) and fills in the defaults.
 *
 * @throws TheusError `ENGINE_INVALID_OPTION` naming the first bad option and what it must be (a
 *   bad URL is never quoted: it may hold a password).
 */
export function readPostgresOptions(options: unknown): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    bad('options', `must be an object such as { url: 'postgres://user@host/database' }, got ${describe(options)}`);
  }
  const input = options as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key)) bad(key, `unknown option (known: ${KNOWN.join(', ')})`);
  }
  const { url, schema = 'theus', historyCapacity = 1_000, outboxLeaseMs = 30_000, pool = 10 } = input;
  if (typeof url !== 'string') bad('url', `must be a connection URL such as 'postgres://user@host:5432/database', got ${describe(url)}`);
  const parsed = parseUrl(url);
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    bad(
      'schema',
      `must be a schema name of lowercase letters, digits and '_', not starting with a digit, at most 63 characters, got ${describe(schema)}`,
    );
  }
  integer('historyCapacity', historyCapacity, 1, MAX_HISTORY);
  integer('outboxLeaseMs', outboxLeaseMs, 1, MAX_LEASE_MS);
  integer('pool', pool, 1, MAX_POOL);
  const password = parsed.password;
  const secrets = password === '' ? [] : [...new Set([password, safeDecode(password)])];
  return Object.freeze({
    url,
    schema,
    historyCapacity,
    outboxLeaseMs,
    pool,
    location: Object.freeze({ ...where(parsed), schema }),
    secrets: Object.freeze(secrets),
  });
}

function parseUrl(url: string): URL {
  if (!url.startsWith('postgres://') && !url.startsWith('postgresql://')) {
    bad('url', "must start with 'postgres://' or 'postgresql://' (the URL given is not quoted: it may hold a password)");
  }
  try {
    return new URL(url);
  } catch {
    return bad('url', 'is not a valid URL (the URL given is not quoted: it may hold a password)');
  }
}

/** Host, port and database as the driver will use them (`localhost`, 5432 and the user's name by default). */
function where(url: URL): Omit<PostgresLocation, 'schema'> {
  const host = url.hostname !== '' ? url.hostname : (url.searchParams.get('host') ?? 'localhost');
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  const name = safeDecode(url.pathname.slice(1));
  const user = safeDecode(url.username);
  return { host, port, database: name !== '' ? name : user !== '' ? user : '(the default database)' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function integer(option: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    bad(option, `must be an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got ${describe(value)}`);
  }
}

function bad(option: string, problem: string): never {
  throw new TheusError('ENGINE_INVALID_OPTION', `postgresStore() option '${option}': ${problem}.`, {
    details: { option: option === 'options' ? 'postgresStore' : `postgresStore.${option}` },
  });
}
