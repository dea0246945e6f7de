/**
 * postgresStore() before any database: its options are checked at once, creating it does no
 * I/O, the calls the engine never makes on a shared store refuse, and a server that cannot be
 * reached is `STORE_OPEN_FAILED` naming host, port and database, never the password. None of these
 * needs a PostgreSQL server.
 */
import { describe, expect, it } from 'vitest';
import { StoreError, TheusError } from '../../../src/errors/index.js';
import { postgresStore } from '../../../src/store/postgres/index.js';

const URL = 'postgres://app@127.0.0.1:1/app_db';

/** What `run` throws (fails the test when it does not throw). */
function thrown(run: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a throw');
}

function invalid(options: unknown, option: string): TheusError {
  const error = thrown(() => postgresStore(options as never));
  expect(error).toBeInstanceOf(TheusError);
  expect(error.code).toBe('ENGINE_INVALID_OPTION');
  expect(error.details).toEqual({ option });
  return error as TheusError;
}

describe('postgresStore: options', () => {
  it('makes a shared store that groups commits, with no I/O', () => {
    // Port 1 refuses connections: creating the store must not try.
    const store = postgresStore({ url: URL });
    expect(store.kind).toBe('postgres');
    expect(store.groupCommits).toBe(true);
    expect(store.shared).toBeDefined();
    expect(store.history({})).toEqual([]);
    expect(store.oldestVersion()).toBe(-1);
    expect(store.stateAt(0, (state) => state)).toBeUndefined();
    store.close();
  });

  it('accepts every option', () => {
    const store = postgresStore({
      url: 'postgresql://u:p@db.example:6543/x',
      schema: 'orders_2',
      historyCapacity: 5,
      outboxLeaseMs: 1,
      pool: 3,
    });
    expect(store.kind).toBe('postgres');
  });

  it('refuses bad options, naming them', () => {
    invalid(undefined, 'postgresStore');
    invalid('postgres://x', 'postgresStore');
    invalid({ url: URL, snapshotEvery: 10 }, 'postgresStore.snapshotEvery');
    invalid({}, 'postgresStore.url');
    invalid({ url: 42 }, 'postgresStore.url');
    invalid({ url: 'mysql://u@h/db' }, 'postgresStore.url');
    for (const schema of ['Theus', '1st', 'a-b', 'x"; DROP TABLE y; --', '', 'a'.repeat(64), 7])
      invalid({ url: URL, schema }, 'postgresStore.schema');
    expect(postgresStore({ url: URL, schema: 'a'.repeat(63) }).kind).toBe('postgres');
    for (const historyCapacity of [0, -1, 1.5, 10_000_001, '10']) invalid({ url: URL, historyCapacity }, 'postgresStore.historyCapacity');
    for (const outboxLeaseMs of [0, 2 ** 31, Number.NaN]) invalid({ url: URL, outboxLeaseMs }, 'postgresStore.outboxLeaseMs');
    for (const pool of [0, 1001, 2.5]) invalid({ url: URL, pool }, 'postgresStore.pool');
  });

  it('never quotes a bad URL (it may hold a password)', () => {
    for (const url of ['mysql://user:hunter2-secret@h/db', 'postgres://user:hunter2-secret@[bad/db']) {
      const error = invalid({ url }, 'postgresStore.url');
      expect(error.message).not.toContain('hunter2-secret');
    }
  });
});

describe('postgresStore: the calls of an unshared store', () => {
  it('refuses open, seed and append: the engine opens and commits through shared', () => {
    const store = postgresStore({ url: URL });
    for (const [run, code] of [
      [() => store.open(), 'STORE_OPEN_FAILED'],
      [() => store.seed({}, 0), 'STORE_WRITE_FAILED'],
      [() => store.append([]), 'STORE_WRITE_FAILED'],
    ] as const) {
      const error = thrown(run);
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/store\.shared/);
    }
  });

  it('refuses the shared log and the outbox before open', async () => {
    const store = postgresStore({ url: URL });
    await expect(store.shared!.commit([], 0)).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', details: { closed: false } });
    await expect(store.shared!.since(0, 10)).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    expect(thrown(() => store.outbox.undelivered()).code).toBe('STORE_WRITE_FAILED');
    await expect(store.outbox.claim!('v1.0')).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
  });
});

describe('postgresStore: a server that cannot be reached', () => {
  it('is STORE_OPEN_FAILED naming host, port and database, never the password', async () => {
    const password = 'pa55-w0rd_S3cret';
    const store = postgresStore({ url: `postgres://theus_user:${password}@127.0.0.1:1/orders_db`, schema: 'orders' });
    const error = (await store.shared!.open({ domain: {} }).catch((failure: unknown) => failure)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_OPEN_FAILED');
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toContain("database 'orders_db'");
    expect(error.message).toContain("schema 'orders'");
    expect(error.message).toMatch(/ECONNREFUSED|refused/);
    expect(error.details).toMatchObject({ host: '127.0.0.1', port: 1, database: 'orders_db', schema: 'orders', pg: 'ECONNREFUSED' });
    const everything = [error.message, JSON.stringify(error.details), JSON.stringify(error), String(error.stack)];
    for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) everything.push(cause.message, String(cause.stack));
    for (const text of everything) {
      expect(text).not.toContain(password);
      expect(text).not.toContain('theus_user:');
    }
    // A failed open leaves the store closed.
    await expect(store.shared!.commit([], 0)).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', details: { closed: true } });
    await store.shared!.close();
  });

  it('refuses a second open of the same store object', async () => {
    const store = postgresStore({ url: URL });
    await expect(store.shared!.open({})).rejects.toMatchObject({ code: 'STORE_OPEN_FAILED' });
    await expect(store.shared!.open({})).rejects.toThrow(/opened already/);
  });
});
