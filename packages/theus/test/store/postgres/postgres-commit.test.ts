/**
 * Committing through the shared log: gapless versions across nodes, the conflict check run in the
 * database (equal, ancestor and descendant paths; presence; strict), the other nodes' commits
 * returned with each group, since(), watch() and the history a node keeps.
 */
import { describe, expect, it } from 'vitest';
import type { PathSegments } from '../../../src/context/paths.js';
import { StoreError } from '../../../src/errors/index.js';
import { NEEDS_PG, pgAvailable, sql } from './pg-test-db.js';
import { check, pgFixture, replace, unit, write, type TestStore } from './pg-units.js';
import { REMOTE_LIMIT } from '../../../src/store/postgres/postgres-commit-function.js';

const available = await pgAvailable();
const fixture = pgFixture();

const SEED = { domain: { a: 1, b: { c: 2 }, list: [1, 2, 3] }, global: {} };

/** Two nodes on one fresh store (in a schema of its own). */
async function twoNodes(): Promise<[TestStore, TestStore]> {
  fixture.next();
  const a = fixture.store();
  const b = fixture.store();
  await a.shared.open(SEED);
  await b.shared.open(SEED);
  return [a, b];
}

/** Node `a` commits a write of `written` at version 1; node `b` then commits a unit checked from version 0. */
async function conflictAfter(written: PathSegments, checked: Parameters<typeof check>[2] & { touched?: PathSegments[] }) {
  const [a, b] = await twoNodes();
  expect((await a.shared.commit([write(written, 'new', 0)], 0)).versions).toEqual([1]);
  const { touched = [], ...more } = checked;
  return b.shared.commit([unit([replace(['global', 'mine'], 1)], check(0, touched, more))], 0);
}

const rows = async (table: string): Promise<Record<string, unknown>[]> => sql(`SELECT * FROM "${fixture.schema}".${table} ORDER BY 1`);

describe.skipIf(!available)(`postgresStore: commits ${available ? '' : NEEDS_PG}`.trim(), () => {
  it('assigns gapless versions to the groups of several nodes, in one order', async () => {
    const [a, b] = await twoNodes();
    const first = await a.shared.commit([write(['domain', 'a'], 2, 0), write(['domain', 'a'], 3, 0)], 0);
    expect(first).toEqual({ versions: [1, 2], remote: [] });
    const second = await b.shared.commit([write(['domain', 'x'], 1, 0, { process: 'other' })], 0);
    expect(second.versions).toEqual([3]);
    expect(second.conflict).toBeUndefined();
    const third = await a.shared.commit([write(['domain', 'y'], 1, 2)], 2);
    expect(third.versions).toEqual([4]);
    expect(third.remote.map((record) => [record.version, record.process])).toEqual([[3, 'other']]);
    expect((await rows('commits')).map((row) => row.version)).toEqual(['1', '2', '3', '4']);
    expect(await rows('head')).toEqual([{ id: 1, version: '4' }]);
  });

  it('numbers concurrent groups without a gap or a duplicate', async () => {
    const nodes = [fixture.store(), fixture.store(), fixture.store()];
    for (const node of nodes) await node.shared.open(SEED);
    const results = await Promise.all(
      nodes.flatMap((node, n) => Array.from({ length: 5 }, (_, i) => node.shared.commit([write(['domain', `n${n}_${i}`], i, 0)], 0))),
    );
    const versions = results.flatMap((result) => result.versions).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('stores the outbox messages under the versions assigned, and the rows of the commit', async () => {
    const [a] = await twoNodes();
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    const result = await a.shared.commit(
      [
        write(['domain', 'a'], { k: [1, 'two'] }, 1, {
          args: { why: 'x' },
          signals: { s: 1 },
          topics: [{ topic: 't', payload: { n: 1 } }],
          time: 42,
        }),
      ],
      1,
    );
    expect(result.versions).toEqual([2]);
    expect((await rows('commits'))[1]).toEqual({
      version: '2',
      process: 'p',
      args: '{"why":"x"}',
      patches: '[{"op":"replace","path":["domain","a"],"value":{"k":[1,"two"]}}]',
      signals: '{"s":1}',
      time: '42',
    });
    expect(await rows('outbox')).toEqual([
      expect.objectContaining({ id: 'v2.0', version: '2', idx: 0, topic: 't', payload: '{"n":1}', status: 'pending', attempts: 0 }),
    ]);
    expect(await rows('paths')).toEqual([
      { path: '', at: '0', below: '2' },
      { path: 'domain/', at: '0', below: '2' },
      { path: 'domain/a/', at: '2', below: '2' },
    ]);
  });

  it('refuses a unit whose seen version is older than a commit that wrote the same path', async () => {
    const result = await conflictAfter(['domain', 'a'], { touched: [['domain', 'a']] });
    expect(result.versions).toEqual([]);
    expect(result.conflict).toEqual({ index: 0, path: ['domain', 'a'] });
    expect(result.remote.map((record) => record.version)).toEqual([1]);
    expect(await rows('head')).toEqual([{ id: 1, version: '1' }]);
  });

  it('refuses it for a write above (an ancestor) or below (a descendant) a touched path', async () => {
    expect(
      (
        await conflictAfter(['domain'], {
          touched: [
            ['global', 'x'],
            ['domain', 'b', 'c'],
          ],
        })
      ).conflict,
    ).toEqual({
      index: 0,
      path: ['domain', 'b', 'c'],
    });
    expect((await conflictAfter(['domain', 'b', 'c'], { touched: [['domain', 'b']] })).conflict).toEqual({
      index: 0,
      path: ['domain', 'b'],
    });
    expect((await conflictAfter(['domain', 'list', 1], { touched: [['domain', 'list']] })).conflict).toEqual({
      index: 0,
      path: ['domain', 'list'],
    });
    // The root touches everything.
    expect((await conflictAfter(['global', 'g'], { touched: [[]] })).conflict).toEqual({ index: 0, path: [] });
  });

  it('accepts units on disjoint paths, siblings sharing a name prefix, and escaped segments', async () => {
    expect((await conflictAfter(['domain', 'a'], { touched: [['domain', 'b'], ['global']] })).versions).toEqual([2]);
    expect((await conflictAfter(['domain', 'ab'], { touched: [['domain', 'a']] })).versions).toEqual([2]);
    expect(
      (
        await conflictAfter(['domain', 'a/b'], {
          touched: [
            ['domain', 'a'],
            ['domain', 'a', 'b'],
          ],
        })
      ).versions,
    ).toEqual([2]);
    expect((await conflictAfter(['domain', 'a%2Fb'], { touched: [['domain', 'a/b']] })).versions).toEqual([2]);
    expect((await conflictAfter(['domain', 'a/b'], { touched: [['domain', 'a/b', 'c']] })).conflict?.path).toEqual(['domain', 'a/b', 'c']);
    expect((await conflictAfter(['domain', 'x\0y'], { touched: [['domain', 'x\0y']] })).conflict?.path).toEqual(['domain', 'x\0y']);
  });

  it('accepts a unit that saw the commit', async () => {
    const [a, b] = await twoNodes();
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    expect((await b.shared.commit([write(['domain', 'a'], 3, 1)], 0)).versions).toEqual([2]);
  });

  it('checks presence: a write at or above the path conflicts, a write below it does not', async () => {
    const presence = (path: PathSegments) => ({ presence: [path] });
    expect((await conflictAfter(['domain', 'x'], presence(['domain', 'x']))).conflict).toEqual({ index: 0, path: ['domain', 'x'] });
    expect((await conflictAfter(['domain'], presence(['domain', 'x', 'y']))).conflict).toEqual({ index: 0, path: ['domain', 'x', 'y'] });
    expect((await conflictAfter(['domain', 'x', 'y'], presence(['domain', 'x']))).versions).toEqual([2]);
    expect((await conflictAfter(['domain', 'y'], presence(['domain', 'x']))).versions).toEqual([2]);
  });

  it('checks strict units against any commit after their seen version', async () => {
    const result = await conflictAfter(['domain', 'a'], { strict: true });
    expect(result.conflict).toEqual({ index: 0, path: [] });
    const [a, b] = await twoNodes();
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    expect((await b.shared.commit([unit([replace(['global', 'g'], 1)], check(1, [], { strict: true }))], 1)).versions).toEqual([2]);
    // A unit without a check is strict from the known version.
    expect((await b.shared.commit([unit([replace(['global', 'g'], 2)], undefined)], 1)).conflict).toEqual({ index: 0, path: [] });
    expect((await b.shared.commit([unit([replace(['global', 'g'], 2)], undefined)], 2)).versions).toEqual([3]);
  });

  it('stops a group at its first conflicting unit; units of one group never conflict with each other', async () => {
    const [a, b] = await twoNodes();
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    const result = await b.shared.commit(
      [write(['domain', 'b'], 1, 0), write(['domain', 'b'], 2, 0), write(['domain', 'a'], 3, 0), write(['domain', 'c'], 1, 0)],
      0,
    );
    expect(result.versions).toEqual([2, 3]);
    expect(result.conflict).toEqual({ index: 2, path: ['domain', 'a'] });
    expect((await rows('commits')).map((row) => row.version)).toEqual(['1', '2', '3']);
    expect((await rows('paths')).find((row) => row.path === 'domain/c/')).toBeUndefined();
  });

  it('returns the other nodes commits after the known version, decoded and frozen', async () => {
    const [a, b] = await twoNodes();
    await a.shared.commit(
      [
        write(['domain', 'a'], { deep: [1, { x: null }] }, 0, { args: { order: 7 }, process: 'pay', time: 5 }),
        write(['domain', 'q'], 1, 0),
      ],
      0,
    );
    const result = await b.shared.commit([write(['domain', 'z'], 1, 0)], 1);
    expect(result.versions).toEqual([3]);
    expect(result.remote).toEqual([
      { version: 2, process: 'p', args: undefined, patches: [replace(['domain', 'q'], 1)], time: 1_700_000_000_000 },
    ]);
    const all = await b.shared.commit([], 0);
    expect(all.remote[0]).toEqual({
      version: 1,
      process: 'pay',
      args: { order: 7 },
      patches: [replace(['domain', 'a'], { deep: [1, { x: null }] })],
      time: 5,
    });
    expect(Object.isFrozen(all.remote[0])).toBe(true);
    expect(Object.isFrozen((all.remote[0]!.patches[0]!.value as { deep: unknown[] }).deep)).toBe(true);
    expect(Object.isFrozen(all.remote)).toBe(true);
  });

  it('refuses a group holding a value JSON cannot represent, naming the process and path, storing nothing', async () => {
    const [a] = await twoNodes();
    const error = (await a.shared
      .commit([write(['domain', 'a'], 1, 0), write(['domain', 'bin'], { data: new Uint8Array(2) }, 0, { process: 'upload' })], 0)
      .catch((failure: unknown) => failure)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.message).toContain("'upload'");
    expect(error.message).toContain('domain.bin.data');
    expect(error.details).toMatchObject({ process: 'upload', at: 'domain.bin.data' });
    expect(await rows('commits')).toEqual([]);
    expect(await rows('head')).toEqual([{ id: 1, version: '0' }]);
  });

  it('lists the commits after a version with since(), and keeps what it saw in the history', async () => {
    const [a, b] = await twoNodes();
    await a.shared.commit([write(['domain', 'a'], 1, 0, { process: 'one' }), write(['domain', 'a'], 2, 0, { process: 'two' })], 0);
    await b.shared.commit([write(['domain', 'b'], 1, 2, { process: 'three' })], 0);
    expect((await a.shared.since(0, 10)).map((record) => [record.version, record.process])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect((await a.shared.since(1, 1)).map((record) => record.version)).toEqual([2]);
    expect(await a.shared.since(3, 10)).toEqual([]);
    // a made 1 and 2, and read 3; b read 1 and 2 with its commit.
    for (const node of [a, b]) {
      expect(node.store.history({}).map((record) => record.version)).toEqual([1, 2, 3]);
      expect(node.store.oldestVersion()).toBe(3);
      expect(node.store.stateAt(3, (state) => state)).toBeUndefined();
    }
    expect(a.store.history({ process: 'two' })).toEqual([expect.objectContaining({ version: 2, process: 'two' })]);
    expect(a.store.history({ from: 2, to: 2 }).map((record) => record.version)).toEqual([2]);
    expect(a.store.history({ limit: 1 }).map((record) => record.version)).toEqual([3]);
    expect(Object.isFrozen(a.store.history({})[0])).toBe(true);
  });

  it('keeps at most historyCapacity commits, newest kept', async () => {
    const node = fixture.store({ historyCapacity: 2 });
    await node.shared.open(SEED);
    await node.shared.commit([write(['domain', 'a'], 1, 0), write(['domain', 'a'], 2, 0), write(['domain', 'a'], 3, 0)], 0);
    expect(node.store.history({}).map((record) => record.version)).toEqual([2, 3]);
  });

  it('calls the watchers when another node commits', async () => {
    const [a, b] = await twoNodes();
    let calls = 0;
    const called = new Promise<void>((resolve) => {
      b.shared.watch(() => {
        calls++;
        resolve();
      });
    });
    await a.shared.commit([write(['domain', 'a'], 2, 0)], 0);
    await called;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect((await b.shared.since(0, 10)).map((record) => record.version)).toEqual([1]);
  });
  it('answers a node far behind with the commits it lacks, a bounded batch at a time, and appends nothing', async () => {
    const [a, b] = await twoNodes();
    const behind = REMOTE_LIMIT + 200;
    for (let done = 0; done < behind; done += 100) {
      const group = Array.from({ length: 100 }, (_, i) => write(['domain', 'n', String(done + i)], done + i, done));
      expect((await a.shared.commit(group, done)).versions).toHaveLength(100);
    }
    const mine = write(['global', 'mine'], 1, 0);
    const first = await b.shared.commit([mine], 0);
    expect(first.versions).toEqual([]);
    expect(first.conflict).toBeUndefined();
    expect(first.remote.map((record) => record.version)).toEqual(Array.from({ length: REMOTE_LIMIT }, (_, i) => i + 1));
    expect(await rows('commits')).toHaveLength(behind);
    const second = await b.shared.commit([write(['global', 'mine'], 1, REMOTE_LIMIT)], REMOTE_LIMIT);
    expect(second.versions).toEqual([behind + 1]);
    expect(second.remote.map((record) => record.version)).toEqual(Array.from({ length: 200 }, (_, i) => REMOTE_LIMIT + i + 1));
  });
  it('makes other groups wait while a run holds the turn, first come first served, until its commit is accepted', async () => {
    const [a, b] = await twoNodes();
    await a.shared.requestTurn('a.1', 60_000);
    await b.shared.requestTurn('b.1', 60_000);
    expect(await a.shared.holdsTurn('a.1')).toBe(true);
    expect(await b.shared.holdsTurn('b.1')).toBe(false);
    const waiting = await b.shared.commit([unit([replace(['global', 'b'], 1)], check(0, [], { turn: 'b.1' }))], 0);
    expect(waiting).toMatchObject({ versions: [], waiting: true });
    expect(await rows('commits')).toEqual([]);
    expect((await a.shared.commit([unit([replace(['global', 'a'], 1)], check(0, [], { turn: 'a.1' }))], 0)).versions).toEqual([1]);
    // a's turn ended with its commit: b holds it now, and its group goes through.
    expect(await b.shared.holdsTurn('b.1')).toBe(true);
    expect((await b.shared.commit([unit([replace(['global', 'b'], 1)], check(1, [], { turn: 'b.1' }))], 1)).versions).toEqual([2]);
    expect(await sql(`SELECT token FROM "${fixture.schema}".turns`)).toEqual([]);
  });

  it('voids the turn of a node whose connection is gone: a killed node holds no turn', async () => {
    const [a, b] = await twoNodes();
    await a.shared.requestTurn('a.1', 60_000);
    expect((await b.shared.commit([write(['global', 'b'], 1, 0)], 0)).waiting).toBe(true);
    await a.shared.close();
    // The server ends a closed connection's process shortly after the client goes.
    const alive = async (): Promise<number> =>
      (await sql(`SELECT 1 FROM "${fixture.schema}".turns t JOIN pg_stat_activity a ON a.pid = t.pid`)).length;
    for (let i = 0; i < 100 && (await alive()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await b.shared.commit([write(['global', 'b'], 1, 0)], 0)).versions).toEqual([1]);
  });
});
