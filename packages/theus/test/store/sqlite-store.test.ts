import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError, TheusError } from '../../src/errors/index.js';
import { selectHistory } from '../../src/engine/history-query.js';
import { replayCommits } from '../../src/store/replay.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';
import { connectionOf } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { Log, set, storeFixture, text, thrown } from './sqlite-helpers.js';

const fixture = storeFixture();

function storeAt(path = fixture.tmp.file(), options: { synchronous?: 'full' | 'normal'; snapshotEvery?: number } = {}): Store {
  const store = sqliteStore({ path, ...options });
  fixture.track(store);
  return store;
}

const SEED = { domain: { n: 0, name: 'start' }, global: { flag: false } };

/** A new store, seeded, with its log. */
function seeded(options: { snapshotEvery?: number } = {}): { store: Store; log: Log } {
  const store = storeAt(fixture.tmp.file(), options);
  expect(store.open()).toBeUndefined();
  const log = new Log(SEED);
  store.seed(log.state, 0);
  return { store, log };
}

function reopen(options: { snapshotEvery?: number } = {}): { store: Store; state: object; version: number; tailLength: number } {
  const store = storeAt(fixture.tmp.file(), options);
  const contents = store.open();
  expect(contents).toBeDefined();
  const { state, version } = contents!;
  const tail = [...contents!.tail];
  return { store, state: replayCommits(state, tail), version, tailLength: tail.length };
}

describe('sqliteStore: round trip', () => {
  it('is a durable store that groups commits', () => {
    const store = storeAt();
    expect(store.kind).toBe('sqlite');
    expect(store.groupCommits).toBe(true);
  });

  it('opens a new file empty, and restores the exact state after a close', () => {
    const { store, log } = seeded();
    log.append(store, set('n', 1));
    log.append(store, set('n', 2), { patches: [{ op: 'add', path: ['domain', 'list'], value: [1, { b: 2, a: 1 }] }] });
    log.append(store, { patches: [{ op: 'remove', path: ['domain', 'name'] }] }, set('z', 'last'), {
      patches: [{ op: 'replace', path: ['global', 'flag'], value: true }],
      process: 'admin',
      args: { reason: 'test', nested: { y: 1, x: [true, null] } },
    });
    store.close();
    const again = reopen();
    expect(again.version).toBe(0);
    expect(again.tailLength).toBe(6);
    expect(again.state).toEqual(log.state);
    expect(text(again.state)).toBe(text(log.state));
    expect(Object.keys((again.state as { domain: object }).domain)).toEqual(['n', 'list', 'z']);
    // Args and records come back as written, deeply frozen.
    const [last] = again.store.history({ from: 6 });
    expect(last).toEqual(log.records[5]);
    expect(Object.isFrozen(last)).toBe(true);
    expect(Object.isFrozen((last!.args as { nested: { x: unknown[] } }).nested.x)).toBe(true);
    expect(Object.isFrozen(last!.patches[0])).toBe(true);
  });

  it('writes -0 as 0 and keeps key order, unicode and deep nesting', () => {
    const { store, log } = seeded();
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 50; i++) cursor = cursor.d = { i } as Record<string, unknown>;
    log.append(store, set('zero', -0), set('text', 'é ☃ \u2028 "quoted" \\'), set('deep', deep), set('order', { z: 1, a: 2, 10: 3, 2: 4 }));
    store.close();
    const again = reopen();
    expect(Object.is((again.state as { domain: { zero: number } }).domain.zero, 0)).toBe(true);
    expect(text(again.state)).toBe(text(log.state));
  });

  it('takes the seed of the version it is given, and a file with tables but no seed opens empty', () => {
    const store = storeAt();
    expect(store.open()).toBeUndefined();
    store.close();
    const second = storeAt();
    expect(second.open()).toBeUndefined();
    const log = new Log(SEED, 10);
    second.seed(log.state, 10);
    expect(second.oldestVersion()).toBe(10);
    log.append(second, set('n', 11));
    second.close();
    const again = reopen();
    expect(again.version).toBe(10);
    expect(again.store.oldestVersion()).toBe(10);
    expect(again.store.history({}).map((record) => record.version)).toEqual([11]);
  });

  it('opens a zero-byte file as a new store', () => {
    writeFileSync(fixture.tmp.file(), '');
    const store = storeAt();
    expect(store.open()).toBeUndefined();
  });
});

describe('sqliteStore: snapshots', () => {
  it('writes a snapshot every snapshotEvery versions and keeps the seed and the newest two', () => {
    const { store, log } = seeded({ snapshotEvery: 3 });
    for (let i = 1; i <= 10; i++) log.append(store, set('n', i));
    store.close();
    const db = new Database(fixture.tmp.file(), { readonly: true });
    expect(db.prepare('SELECT version, kind FROM snapshots ORDER BY version').all()).toEqual([
      { version: 0, kind: 'seed' },
      { version: 6, kind: 'periodic' },
      { version: 9, kind: 'periodic' },
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM commits').pluck().get()).toBe(10);
    db.close();
    const again = reopen({ snapshotEvery: 3 });
    expect(again.version).toBe(9);
    expect(again.tailLength).toBe(1);
    expect(text(again.state)).toBe(text(log.state));
  });

  it('keeps working when reopened with another snapshotEvery', () => {
    const { store, log } = seeded({ snapshotEvery: 4 });
    for (let i = 1; i <= 9; i++) log.append(store, set('n', i));
    store.close();
    const again = reopen({ snapshotEvery: 5 });
    expect(again.version).toBe(8);
    for (let i = 10; i <= 16; i++) log.append(again.store, set('n', i));
    again.store.close();
    const third = reopen({ snapshotEvery: 5 });
    expect(third.version).toBe(15);
    expect(text(third.state)).toBe(text(log.state));
  });
});

describe('sqliteStore: history and stateAt', () => {
  it('selects history in SQL as selectHistory does', () => {
    const { store, log } = seeded({ snapshotEvery: 4 });
    for (let i = 1; i <= 12; i++) log.append(store, { ...set('n', i), process: i % 3 === 0 ? 'three' : 'other' });
    const queries = [
      {},
      { from: 3 },
      { to: 5 },
      { from: 2, to: 9 },
      { process: 'three' },
      { process: 'none' },
      { limit: 4 },
      { limit: 0 },
      { limit: 100 },
      { from: 2, to: 11, process: 'other', limit: 3 },
      { from: 20 },
      { to: 0 },
    ];
    for (const query of queries) {
      expect(store.history(query), JSON.stringify(query)).toEqual(selectHistory(log.records, query));
    }
    // Reading again uses the prepared statement of the shape.
    expect(store.history({ limit: 2 }).map((record) => record.version)).toEqual([11, 12]);
  });

  it('rebuilds the state of every retained version, and undefined outside them', () => {
    const { store, log } = seeded({ snapshotEvery: 4 });
    for (let i = 1; i <= 13; i++) log.append(store, set(`k${i % 5}`, i));
    const check = (target: Store): void => {
      for (let version = 0; version <= 13; version++) {
        const state = target.stateAt(version, replayCommits);
        expect(text(state), `version ${version}`).toBe(text(log.states[version]));
        expect(Object.isFrozen(state)).toBe(true);
      }
      for (const version of [-1, 14, 1.5, Number.NaN]) expect(target.stateAt(version, replayCommits)).toBeUndefined();
    };
    check(store);
    store.close();
    check(reopen({ snapshotEvery: 4 }).store);
  });

  it('reports an error of the replay as a corrupt store', () => {
    const { store, log } = seeded();
    log.append(store, set('n', 1));
    const error = thrown(() =>
      store.stateAt(1, () => {
        throw new TypeError('bad value');
      }),
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('bad value');
  });
});

describe('sqliteStore: outbox ledger', () => {
  it('stores messages with their commit, in commit order, and records attempts, dead letters and deliveries', () => {
    const { store, log } = seeded();
    log.append(store, {
      ...set('n', 1),
      topics: [
        { topic: 'mail', payload: { to: 'a', n: [1, 2] } },
        { topic: 'sms', payload: 'hi' },
      ],
    });
    log.append(store, set('n', 2), { ...set('n', 3), topics: [{ topic: 'mail', payload: null }] });
    const entries = store.outbox.undelivered() as readonly { id: string }[];
    expect(entries).toEqual([
      {
        id: 'v1.0',
        topic: 'mail',
        payload: { to: 'a', n: [1, 2] },
        version: 1,
        attempts: 0,
        status: 'pending',
        lastError: undefined,
        nextAttemptAt: 0,
      },
      { id: 'v1.1', topic: 'sms', payload: 'hi', version: 1, attempts: 0, status: 'pending', lastError: undefined, nextAttemptAt: 0 },
      { id: 'v3.0', topic: 'mail', payload: null, version: 3, attempts: 0, status: 'pending', lastError: undefined, nextAttemptAt: 0 },
    ]);
    expect(Object.isFrozen(entries[0])).toBe(true);
    expect(Object.isFrozen((entries[0] as unknown as { payload: { n: unknown[] } }).payload.n)).toBe(true);

    store.outbox.failed('v1.0', { attempts: 1, error: 'timeout', dead: false, nextAttemptAt: 5_000 });
    store.outbox.failed('v1.1', { attempts: 5, error: 'refused', dead: true, nextAttemptAt: 9_000 });
    store.outbox.delivered('v3.0');
    store.outbox.failed('v9.9', { attempts: 1, error: 'x', dead: false, nextAttemptAt: 1 });
    store.outbox.delivered('v9.9');
    expect(store.outbox.revive('v1.0')).toBe(false); // pending, not dead
    expect(store.outbox.revive('v9.9')).toBe(false);
    store.close();

    const again = reopen().store;
    expect(again.outbox.undelivered()).toEqual([
      {
        id: 'v1.0',
        topic: 'mail',
        payload: { to: 'a', n: [1, 2] },
        version: 1,
        attempts: 1,
        status: 'pending',
        lastError: 'timeout',
        nextAttemptAt: 5_000,
      },
      { id: 'v1.1', topic: 'sms', payload: 'hi', version: 1, attempts: 5, status: 'dead', lastError: 'refused', nextAttemptAt: 0 },
    ]);
    expect(again.outbox.revive('v1.1')).toBe(true);
    expect(again.outbox.revive('v1.1')).toBe(false);
    expect(again.outbox.undelivered()[1]).toMatchObject({ id: 'v1.1', attempts: 0, status: 'pending', nextAttemptAt: 0 });
    again.outbox.delivered('v1.0');
    again.outbox.delivered('v1.1');
    expect(again.outbox.undelivered()).toEqual([]);
  });
});

describe('sqliteStore: options and lifecycle', () => {
  it('checks its options without touching the disk', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'path.db',
      {},
      { path: '' },
      { path: 3 },
      { path: 'a\0b' },
      { path: 'x.db', synchronous: 'off' },
      { path: 'x.db', snapshotEvery: 0 },
      { path: 'x.db', snapshotEvery: 2.5 },
      { path: 'x.db', snapshotEvery: '10' },
      { path: 'x.db', snapshotEvry: 10 },
    ];
    for (const options of bad) {
      const error = thrown(() => sqliteStore(options as never));
      expect(error, JSON.stringify(options)).toBeInstanceOf(TheusError);
      expect(error.code).toBe('ENGINE_INVALID_OPTION');
    }
    expect(thrown(() => sqliteStore({ path: 'x.db', snapshotEvry: 10 } as never)).message).toContain("'snapshotEvry'");
    expect(thrown(() => sqliteStore({ path: 'x.db', synchronous: 'off' } as never)).details).toEqual({ option: 'sqliteStore.synchronous' });
    // No I/O: a path in a missing directory is only refused by open().
    expect(() => sqliteStore({ path: `${fixture.tmp.dir}/missing/x.db`, synchronous: 'normal', snapshotEvery: 1 })).not.toThrow();
  });

  it('opens the file in WAL mode with the synchronous level asked for', () => {
    for (const [synchronous, level] of [
      ['full', 2],
      ['normal', 1],
    ] as const) {
      const path = fixture.tmp.file(`${synchronous}.db`);
      const store = storeAt(path, { synchronous });
      store.open();
      const db = connectionOf(store)!;
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(level);
      expect(db.pragma('locking_mode', { simple: true })).toBe('exclusive');
      expect(store.oldestVersion()).toBe(-1);
      store.close();
      expect(connectionOf(store)).toBeUndefined();
    }
  });

  it('works in memory', () => {
    const store = storeAt(':memory:');
    expect(store.open()).toBeUndefined();
    const log = new Log(SEED);
    store.seed(log.state, 0);
    log.append(store, set('n', 1));
    expect(text(store.stateAt(1, replayCommits))).toBe(text(log.state));
  });

  it('refuses calls before open and after close, and closes once', () => {
    const store = storeAt();
    const before = thrown(() => store.history({}));
    expect(before).toBeInstanceOf(StoreError);
    expect(before.message).toContain('not open yet');
    store.open();
    store.seed(new Log(SEED).state, 0);
    expect(thrown(() => store.seed(new Log(SEED).state, 0)).code).toBe('STORE_WRITE_FAILED');
    expect(thrown(() => store.open()).code).toBe('STORE_OPEN_FAILED');
    store.close();
    store.close();
    for (const call of [
      () => store.history({}),
      () => store.stateAt(0, replayCommits),
      () => store.oldestVersion(),
      () => store.append([]),
      () => store.outbox.undelivered(),
      () => store.outbox.delivered('v1.0'),
    ]) {
      const error = thrown(call);
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe('STORE_WRITE_FAILED');
      expect(error.details).toMatchObject({ path: fixture.tmp.file(), closed: true });
      expect(error.message).toContain('is closed');
    }
  });

  it('refuses an append before the seed', () => {
    const store = storeAt();
    store.open();
    const error = thrown(() => store.append([new Log(SEED).next(set('n', 1))]));
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.message).toContain('no seed');
  });
});
