/**
 * The PostgreSQL store when things fail: a commit whose backend is terminated while it waits for
 * the head lock rejects and leaves nothing of its group; a lost listening connection comes back
 * and calls the watchers; rows no commit could have made are `STORE_CORRUPT` when read.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors/index.js';
import { NEEDS_PG, pgAvailable, sql, withClient } from './pg-test-db.js';
import { pgFixture, write } from './pg-units.js';

const available = await pgAvailable();
const fixture = pgFixture();

const SEED = { domain: { a: 1 } };

/** Polls `probe` until it returns a value other than `undefined` (fails after `ms`). */
async function eventually<T>(probe: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The pid of the backend running a statement that contains `text`, in the state `waiting` says. */
async function backendRunning(text: string, waiting: 'Lock' | 'Client'): Promise<number> {
  return eventually(async () => {
    const found = await sql<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND position($1 in query) > 0 AND wait_event_type = $2`,
      [text, waiting],
    );
    return found[0]?.pid;
  });
}

/** A store holding two commits, the second with an outbox message, closed again. */
async function storeWithCommits(): Promise<void> {
  const { shared } = fixture.store();
  await shared.open(SEED);
  await shared.commit(
    [write(['domain', 'a'], 2, 0, { args: { i: 1 } }), write(['domain', 'a'], 3, 0, { topics: [{ topic: 't', payload: { i: 2 } }] })],
    0,
  );
  await shared.close();
}

/** What opening a new store and replaying its log fails with. */
async function openFailure(): Promise<StoreError> {
  const { shared } = fixture.store();
  const failure = await shared
    .open(SEED)
    .then((contents) => [...contents.tail])
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(failure).toBeInstanceOf(StoreError);
  return failure as StoreError;
}

describe.skipIf(!available)(`postgresStore: failures ${available ? '' : NEEDS_PG}`.trim(), () => {
  it('rejects a commit whose backend is terminated, leaving nothing of its group', async () => {
    const { shared } = fixture.store();
    await shared.open(SEED);
    const s = `"${fixture.schema}"`;
    await withClient(async (holder) => {
      await holder.query('BEGIN');
      await holder.query(`SELECT version FROM ${s}.head WHERE id = 1 FOR UPDATE`);
      const commit = shared
        .commit([write(['domain', 'a'], 2, 0, { topics: [{ topic: 't', payload: 1 }] }), write(['domain', 'b'], 1, 0)], 0)
        .catch((error: unknown) => error);
      const pid = await backendRunning(`${s}.commit_group`, 'Lock');
      await holder.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = (await commit) as StoreError;
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe('STORE_WRITE_FAILED');
      expect(error.message).toMatch(/a group of 2 commits/);
      await holder.query('ROLLBACK');
    });
    for (const table of ['commits', 'outbox', 'paths']) expect(await sql(`SELECT * FROM ${s}.${table}`)).toEqual([]);
    expect(await sql(`SELECT version FROM ${s}.head`)).toEqual([{ version: '0' }]);
    // The pool replaced the connection: the next commit goes through.
    expect((await shared.commit([write(['domain', 'a'], 2, 0)], 0)).versions).toEqual([1]);
  });

  it('listens again after the listening connection is lost, and calls the watchers', async () => {
    const [a, b] = [fixture.store(), fixture.store()];
    await a.shared.open(SEED);
    await b.shared.open(SEED);
    let calls = 0;
    b.shared.watch(() => calls++);
    const pids = await sql<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND application_name = 'theus'`,
      [`LISTEN "${fixture.schema}"`],
    );
    expect(pids).toHaveLength(2);
    // Terminates both listeners: b's comes back, and says so.
    await sql('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids.map((row) => row.pid)]);
    await eventually(async () => (calls >= 1 ? true : undefined));
    const before = calls;
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    await eventually(async () => (calls > before ? true : undefined));
  });

  it('gives a notification that came before any watcher to the first watcher', async () => {
    const [a, b] = [fixture.store(), fixture.store()];
    await a.shared.open(SEED);
    await b.shared.open(SEED);
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    // Let the notification arrive before b watches.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise<void>((resolve) => {
      b.shared.watch(resolve);
    });
  });

  it('is corrupt when a stored value is outside the value model', async () => {
    await storeWithCommits();
    const s = `"${fixture.schema}"`;
    await sql(`UPDATE ${s}.commits SET patches = '[{"op":"replace","path":["domain","a"],"value":1e400}]' WHERE version = 2`);
    const error = await openFailure();
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('version 2');
    expect(error.details).toMatchObject({ schema: fixture.schema, database: 'theus_test' });
  });

  it('is corrupt when since() or a commit meets such a row', async () => {
    await storeWithCommits();
    const s = `"${fixture.schema}"`;
    const { shared } = fixture.store();
    await shared.open(SEED);
    await sql(`UPDATE ${s}.commits SET args = '{"__proto__":{"x":1}}' WHERE version = 1`);
    await expect(shared.since(0, 10)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: /version 1/ });
    await sql(`UPDATE ${s}.commits SET args = NULL, patches = 'not json' WHERE version = 1`);
    await expect(shared.since(0, 10)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: /not valid JSON/ });
    await expect(shared.commit([write(['domain', 'b'], 1, 2)], 0)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('is corrupt when a version is missing, a patch is malformed, or an outbox message is bad', async () => {
    const s = `"${fixture.schema}"`;
    await storeWithCommits();
    await sql(`DELETE FROM ${s}.commits WHERE version = 1`);
    expect((await openFailure()).message).toMatch(/version 1 is missing/);

    fixture.next();
    await storeWithCommits();
    const t = `"${fixture.schema}"`;
    await sql(`UPDATE ${t}.commits SET patches = '[{"op":"move","path":["domain"]}]' WHERE version = 1`);
    expect((await openFailure()).message).toMatch(/patch 0 is not/);

    fixture.next();
    await storeWithCommits();
    const u = `"${fixture.schema}"`;
    await sql(`UPDATE ${u}.outbox SET payload = '{"a":1e999}'`);
    expect((await openFailure()).code).toBe('STORE_CORRUPT');

    fixture.next();
    await storeWithCommits();
    const v = `"${fixture.schema}"`;
    await sql(`UPDATE ${v}.outbox SET id = 'v9.0', version = 9`);
    expect((await openFailure()).message).toMatch(/no stored commit/);

    fixture.next();
    await storeWithCommits();
    const w = `"${fixture.schema}"`;
    await sql(`UPDATE ${w}.seed SET state = '[1]'`);
    expect((await openFailure()).message).toMatch(/not an object/);
  });
});
