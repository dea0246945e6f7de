import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPlain } from '../../src/context/to-plain.js';
import { StoreError } from '../../src/errors/index.js';
import { replayCommits } from '../../src/store/replay.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';
import { connectionOf } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { Patch } from '../../src/transaction/patches.js';
import { Log, set, storeFixture, text, thrown, type Step } from './sqlite-helpers.js';

const fixture = storeFixture();

const SEED = { domain: { n: 0 }, heavy: {} };

function seeded(path = fixture.tmp.file(), snapshotEvery?: number): { store: Store; log: Log } {
  const store = sqliteStore(snapshotEvery === undefined ? { path } : { path, snapshotEvery });
  fixture.track(store);
  store.open();
  const log = new Log(SEED);
  store.seed(log.state, 0);
  return { store, log };
}

function reopened(path = fixture.tmp.file()): { store: Store; state: object; versions: number[] } {
  const store = sqliteStore({ path });
  fixture.track(store);
  const contents = store.open()!;
  return { store, state: replayCommits(contents.state, contents.tail), versions: store.history({}).map((record) => record.version) };
}

const binary: Step = { patches: [{ op: 'replace', path: ['heavy', 'blob'], value: new Uint8Array([1, 2, 3]) }] };

describe('sqliteStore: one append is one transaction', () => {
  it('stores nothing of a group when one unit cannot be encoded, naming its version and path', () => {
    const { store, log } = seeded();
    log.append(store, set('n', 1));
    const error = thrown(() => log.append(store, set('n', 2), binary, set('n', 4)));
    log.drop(3);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.details).toMatchObject({ path: fixture.tmp.file(), version: 3, at: 'heavy.blob' });
    expect(error.message).toContain('version 3');
    expect(error.message).toContain("'heavy.blob'");
    expect(error.message).toContain('binary');
    expect(store.history({}).map((record) => record.version)).toEqual([1]);
    // The failed versions are given again to the next commits.
    log.append(store, set('n', 20), set('n', 30));
    store.close();
    const again = reopened();
    expect(again.versions).toEqual([1, 2, 3]);
    expect(text(again.state)).toBe(text(log.state));
  });

  it('refuses binaries anywhere: arguments, outbox payloads, signals, snapshots', () => {
    const { store, log } = seeded(fixture.tmp.file(), 2);
    const cases: [Step, string][] = [
      [{ ...set('n', 1), args: { file: new ArrayBuffer(2) } }, 'file'],
      [{ ...set('n', 1), topics: [{ topic: 't', payload: [1, new Float64Array(1)] }] }, '1'],
      [{ ...set('n', 1), signals: { ping: { data: new Uint8Array(1) } } }, 'ping.data'],
    ];
    for (const [step, at] of cases) {
      const error = thrown(() => log.append(store, step));
      log.drop(1);
      expect(error.code).toBe('STORE_WRITE_FAILED');
      expect(error.details).toMatchObject({ version: 1, at });
    }
    // A binary in a state reached by other paths: only the snapshot of version 2 holds it whole.
    log.append(store, { patches: [{ op: 'replace', path: ['heavy', 'buf'], value: { x: null } }] });
    const error = thrown(() => log.append(store, { patches: [{ op: 'replace', path: ['heavy', 'buf', 'x'], value: new Uint8Array(1) }] }));
    expect(error.details).toMatchObject({ version: 2 });
    expect(store.history({}).length).toBe(1);
  });

  it('stores nothing of a group when SQLite refuses a unit in the middle', () => {
    const { store, log } = seeded();
    const units = [log.next(set('n', 1)), log.next(set('n', 2)), log.next(set('n', 3))];
    // Two messages with one id: the insert of the third unit's message fails (PRIMARY KEY).
    const clash = { ...units[2]!, outbox: [{ id: 'v1.0', topic: 't', payload: 1, version: 3, attempts: 0 }] };
    const duplicate = { ...units[0]!, outbox: [{ id: 'v1.0', topic: 't', payload: 1, version: 1, attempts: 0 }] };
    const error = thrown(() => store.append([duplicate, units[1]!, clash]));
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.details).toMatchObject({ version: 1, last: 3, sqlite: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(error.message).toContain('versions 1 to 3');
    expect(store.history({})).toEqual([]);
    expect(store.outbox.undelivered()).toEqual([]);
    store.append(units);
    expect(store.history({}).length).toBe(3);
  });

  it('refuses versions that do not follow the last stored one', () => {
    const { store, log } = seeded();
    log.append(store, set('n', 1));
    const skipped = new Log(SEED);
    skipped.next(set('n', 1));
    skipped.next(set('n', 2));
    const error = thrown(() => store.append([skipped.next(set('n', 3))]));
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.message).toContain('expected version 2');
    expect(error.details).toMatchObject({ expected: 2, got: 3 });
    const repeated = new Log(SEED);
    const one = repeated.next(set('n', 1));
    const two = repeated.next(set('n', 2));
    expect(thrown(() => store.append([two, two])).details).toMatchObject({ expected: 3, got: 2 });
    expect(thrown(() => store.append([one])).details).toMatchObject({ expected: 2, got: 1 });
    expect(store.history({}).length).toBe(1);
  });
});

describe('sqliteStore: prepare() encodes a unit when it is committed', () => {
  it('fails a unit it cannot encode alone, naming its version and path; the rest of the group is stored', () => {
    const { store, log } = seeded();
    const units = [log.next(set('n', 1)), log.next(binary), log.next(set('n', 3))];
    store.prepare!(units[0]!);
    const error = thrown(() => store.prepare!(units[1]!));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.details).toMatchObject({ path: fixture.tmp.file(), version: 2, at: 'heavy.blob' });
    expect(error.message).toContain('version 2');
    expect(error.message).toContain('Nothing of the commit was stored');
    // The engine drops the refused run and gives its version to the next commit.
    log.drop(2);
    const next = log.next(set('n', 3));
    store.prepare!(next);
    store.append([units[0]!, next]);
    expect(store.history({}).map((record) => [record.version, record.patches[0]?.value])).toEqual([
      [1, 1],
      [2, 3],
    ]);
  });

  it('encodes the snapshot of a version that takes one, and only then', () => {
    const { store, log } = seeded(fixture.tmp.file(), 2);
    // A state holding a binary the patches do not show (the snapshot is the only place it would be written).
    const withBinary = (unit: ReturnType<Log['next']>): ReturnType<Log['next']> => ({
      ...unit,
      state: { ...unit.state, heavy: { blob: new Uint8Array(1) } },
    });
    const first = withBinary(log.next(set('n', 1)));
    store.prepare!(first);
    const second = withBinary(log.next(set('n', 2)));
    const error = thrown(() => store.prepare!(second));
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.details).toMatchObject({ version: 2, what: 'the state', at: 'heavy.blob' });
    store.append([first]);
    expect(store.history({}).length).toBe(1);
  });

  it('lets append reuse the encoding, and encodes in append only the units it has not seen', () => {
    const { store, log } = seeded();
    let reads = 0;
    const args = {
      get x(): number {
        reads++;
        return reads;
      },
    };
    const prepared = log.next({ ...set('n', 1), args });
    store.prepare!(prepared);
    store.prepare!(prepared);
    expect(reads).toBe(1);
    const unprepared = log.next({ ...set('n', 2), args });
    store.append([prepared, unprepared]);
    expect(reads).toBe(2);
    expect(store.history({}).map((record) => record.args)).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('refuses to prepare on a store that is not open', () => {
    const store = sqliteStore({ path: fixture.tmp.file() });
    const unit = new Log(SEED).next(set('n', 1));
    expect(thrown(() => store.prepare!(unit)).code).toBe('STORE_WRITE_FAILED');
  });
});

describe('sqliteStore: a full disk', () => {
  it('fails the append with nothing stored, and appends again once there is room', () => {
    const { store, log } = seeded();
    log.append(store, set('n', 1));
    const db = connectionOf(store)!;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(64 * 1024);
    const error = thrown(() => log.append(store, set('n', 2), set('big', big)));
    log.drop(2);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORE_WRITE_FAILED');
    expect(error.details).toMatchObject({ path: fixture.tmp.file(), version: 2, sqlite: 'SQLITE_FULL' });
    expect(error.message).toContain('disk is full');
    expect(store.history({}).map((record) => record.version)).toEqual([1]);
    db.pragma('max_page_count = 1000000');
    log.append(store, set('n', 2), set('big', big));
    store.close();
    const again = reopened();
    expect(again.versions).toEqual([1, 2, 3]);
    expect(text(again.state)).toBe(text(log.state));
  });

  it('leaves the file as it was when the disk fills up (reopened and compared)', () => {
    const { store, log } = seeded();
    log.append(store, set('n', 1));
    const before = text(log.state);
    const db = connectionOf(store)!;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    expect(thrown(() => log.append(store, set('big', 'y'.repeat(100_000)))).code).toBe('STORE_WRITE_FAILED');
    log.drop(1);
    store.close();
    const again = reopened();
    expect(again.versions).toEqual([1]);
    expect(text(again.state)).toBe(before);
    again.store.close();
    const check = new Database(fixture.tmp.file(), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});

describe('sqliteStore: values', () => {
  it('round-trips records (objects of more than 64 keys) in states, patches and arguments', () => {
    const wide = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`key${149 - i}`, { i, tags: [i, `t${i}`] }]));
    const { store, log } = seeded(fixture.tmp.file(), 2);
    log.append(store, set('wide', wide), { ...set('n', 1), args: wide });
    log.append(store, { patches: [{ op: 'replace', path: ['domain', 'wide', 'key3'], value: { changed: true } }] });
    log.append(store, { patches: [{ op: 'add', path: ['domain', 'wide', 'added'], value: 1 }] });
    expect(toPlain(log.state)).not.toBe(log.state); // the state holds a record facade
    store.close();
    const again = reopened();
    expect(text(again.state)).toBe(text(log.state));
    expect(Object.keys((toPlain(again.state) as { domain: { wide: object } }).domain.wide).slice(0, 3)).toEqual([
      'key149',
      'key148',
      'key147',
    ]);
    expect(again.store.history({ from: 2, to: 2 })[0]!.args).toEqual(wide);
    expect(text(again.store.stateAt(4, replayCommits))).toBe(text(log.states[4]));
  });

  it('equals the in-memory replay for random patches appended in random groups', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd');
    const leaf = fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 4 }),
      fc.boolean(),
      fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    const value = fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 }), fc.array(leaf, { maxLength: 3 }));
    const patch = fc.oneof(
      fc.record({ op: fc.constant('replace' as const), key, value }),
      fc.record({ op: fc.constant('remove' as const), key }),
    );
    const commit = fc.array(patch, { minLength: 1, maxLength: 3 });
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(commit, { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 1, max: 5 }),
        (commits, groups, every) => {
          const path = fixture.tmp.file(`prop-${run++}.db`);
          const { store, log } = seeded(path, every);
          // Each commit's patches are made against the state before it (a remove of an absent key becomes an add).
          const units = commits.map((changes) =>
            log.next({
              patches: changes.map((change): Patch => {
                const target = ['domain', change.key];
                if (change.op === 'replace') return { op: 'replace', path: target, value: change.value };
                return Object.hasOwn((log.state as { domain: object }).domain, change.key)
                  ? { op: 'remove', path: target }
                  : { op: 'add', path: target, value: 0 };
              }),
            }),
          );
          let at = 0;
          for (const size of groups) {
            if (at >= units.length) break;
            store.append(units.slice(at, at + size));
            at += size;
          }
          if (at < units.length) store.append(units.slice(at));
          store.close();
          const again = reopened(path);
          again.store.close();
          return text(again.state) === text(log.state) && again.versions.length === units.length;
        },
      ),
      { numRuns: 25 },
    );
  });
});
