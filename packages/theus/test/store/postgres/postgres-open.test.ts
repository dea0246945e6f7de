/**
 * Opening a PostgreSQL store: the first open creates the tables and seeds the log, later ones
 * (and concurrent ones) read that seed and replay the log; the undelivered outbox is ready at
 * once; a schema of another application or of a newer theus is refused.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors/index.js';
import { NEEDS_PG, pgAvailable, sql } from './pg-test-db.js';
import { pgFixture, write } from './pg-units.js';

const available = await pgAvailable();
const fixture = pgFixture();

const SEED = { domain: { z: 1, a: { y: [1, 2, { q: null }], b: 'text é ☃' } }, global: { flag: false } };

describe.skipIf(!available)(`postgresStore: opening ${available ? '' : NEEDS_PG}`.trim(), () => {
  it('creates the tables and the function, and seeds the log at version 0', async () => {
    const { shared, store } = fixture.store();
    const contents = await shared.open(SEED);
    expect(contents.version).toBe(0);
    expect(contents.state).toEqual(SEED);
    // Key order survives (JSON text, not jsonb).
    expect(JSON.stringify(contents.state)).toBe(JSON.stringify(SEED));
    expect([...contents.tail]).toEqual([]);
    expect(store.oldestVersion()).toBe(0);
    expect(store.outbox.undelivered()).toEqual([]);
    const tables = await sql<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [fixture.schema],
    );
    expect(tables.map((row) => row.name)).toEqual(['commits', 'head', 'meta', 'outbox', 'paths', 'seed', 'turns']);
    expect(await sql(`SELECT key, value FROM "${fixture.schema}".meta ORDER BY key`)).toEqual([
      { key: 'format_version', value: '1' },
      { key: 'store', value: 'theus' },
    ]);
    expect(await sql(`SELECT version FROM "${fixture.schema}".head`)).toEqual([{ version: '0' }]);
    expect(await sql('SELECT to_regprocedure($1)::text AS f', [`"${fixture.schema}".commit_group(jsonb, bigint)`])).toEqual([
      { f: `${fixture.schema}.commit_group(jsonb,bigint)` },
    ]);
  });

  it('gives a second store on the schema the stored seed and log, whatever its own initial state', async () => {
    const first = fixture.store();
    await first.shared.open(SEED);
    await first.shared.commit([write(['domain', 'z'], 2, 0, { args: { n: 1 } }), write(['domain', 'a', 'b'], 'new', 0)], 0);
    const second = fixture.store();
    const contents = await second.shared.open({ domain: { other: true } });
    expect(contents.version).toBe(0);
    expect(contents.state).toEqual(SEED);
    const tail = [...contents.tail];
    expect(tail.map((record) => [record.version, record.args, record.patches])).toEqual([
      [1, { n: 1 }, [{ op: 'replace', path: ['domain', 'z'], value: 2 }]],
      [2, undefined, [{ op: 'replace', path: ['domain', 'a', 'b'], value: 'new' }]],
    ]);
    expect(Object.isFrozen(tail[0])).toBe(true);
    expect(Object.isFrozen(tail[0]!.patches[0])).toBe(true);
    // The replayed commits are the second store's history.
    expect(second.store.history({}).map((record) => record.version)).toEqual([1, 2]);
    expect(second.store.oldestVersion()).toBe(2);
  });

  it('seeds once when two nodes open an empty store at once', async () => {
    const nodes = [fixture.store(), fixture.store(), fixture.store()];
    const opened = await Promise.all(nodes.map(({ shared }, i) => shared.open({ domain: { node: i } })));
    const states = opened.map((contents) => JSON.stringify(contents.state));
    expect(new Set(states).size).toBe(1);
    expect(await sql(`SELECT count(*)::int AS n FROM "${fixture.schema}".seed`)).toEqual([{ n: 1 }]);
  });

  it('has the undelivered outbox messages ready when it opens, in commit order', async () => {
    const first = fixture.store();
    await first.shared.open(SEED);
    await first.shared.commit(
      [
        write(['domain', 'z'], 2, 0, {
          topics: [
            { topic: 'a', payload: { i: 1 } },
            { topic: 'b', payload: [true] },
          ],
        }),
        write(['domain', 'z'], 3, 0, { topics: [{ topic: 'a', payload: 'x' }] }),
      ],
      0,
    );
    const second = fixture.store();
    await second.shared.open(SEED);
    const entries = second.store.outbox.undelivered();
    expect(entries).toEqual([
      { id: 'v1.0', topic: 'a', payload: { i: 1 }, version: 1, attempts: 0, status: 'pending', lastError: undefined, nextAttemptAt: 0 },
      { id: 'v1.1', topic: 'b', payload: [true], version: 1, attempts: 0, status: 'pending', lastError: undefined, nextAttemptAt: 0 },
      { id: 'v2.0', topic: 'a', payload: 'x', version: 2, attempts: 0, status: 'pending', lastError: undefined, nextAttemptAt: 0 },
    ]);
    expect(Object.isFrozen(entries[0])).toBe(true);
    expect(Object.isFrozen(entries[0]!.payload)).toBe(true);
  });

  it('refuses a store of a newer format, naming the schema and database', async () => {
    const first = fixture.store();
    await first.shared.open(SEED);
    await first.shared.close();
    await sql(`UPDATE "${fixture.schema}".meta SET value = '2' WHERE key = 'format_version'`);
    const error = (await fixture
      .store()
      .shared.open(SEED)
      .catch((failure: unknown) => failure)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_FORMAT_NEWER');
    expect(error.message).toContain(`schema '${fixture.schema}'`);
    expect(error.message).toContain("database 'theus_test'");
    expect(error.details).toMatchObject({ schema: fixture.schema, format: 2, supported: 1 });
  });

  it('refuses a schema holding tables of another application, and writes nothing to it', async () => {
    await sql(`CREATE SCHEMA "${fixture.schema}"`);
    await sql(`CREATE TABLE "${fixture.schema}".customers (id int)`);
    await sql(`CREATE TABLE "${fixture.schema}".meta (name text)`);
    const error = (await fixture
      .store()
      .shared.open(SEED)
      .catch((failure: unknown) => failure)) as StoreError;
    expect(error.code).toBe('STORE_NOT_THEUS');
    expect(error.details).toMatchObject({ tables: ['customers', 'meta'] });
    const tables = await sql('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [fixture.schema]);
    expect(tables).toHaveLength(2);
  });

  it('refuses a Theus store missing a table as corrupt', async () => {
    const first = fixture.store();
    await first.shared.open(SEED);
    await first.shared.close();
    await sql(`DROP TABLE "${fixture.schema}".paths`);
    await expect(fixture.store().shared.open(SEED)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: /paths/ });
  });

  it('closes once: the store and the log refuse calls afterwards', async () => {
    const { shared, store } = fixture.store();
    await shared.open(SEED);
    await Promise.all([shared.close(), shared.close()]);
    store.close();
    await expect(shared.commit([write(['domain', 'z'], 1, 0)], 0)).rejects.toMatchObject({
      code: 'STORE_WRITE_FAILED',
      details: { closed: true },
    });
    await expect(shared.since(0, 1)).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    await expect(store.outbox.delivered('v1.0')).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
  });
});
