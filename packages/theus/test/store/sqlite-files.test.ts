import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors/index.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { Log, set, storeFixture, thrown } from './sqlite-helpers.js';

const fixture = storeFixture();

const isRoot = process.getuid?.() === 0;
const SEED = { domain: { n: 0 } };

function store(path = fixture.tmp.file(), snapshotEvery?: number): Store {
  const created = sqliteStore(snapshotEvery === undefined ? { path } : { path, snapshotEvery });
  fixture.track(created);
  return created;
}

/** A closed Theus file holding the seed and `commits` commits. */
function theusFile(commits = 3, snapshotEvery?: number): string {
  const first = store(fixture.tmp.file(), snapshotEvery);
  first.open();
  const log = new Log(SEED);
  first.seed(log.state, 0);
  for (let i = 1; i <= commits; i++) log.append(first, set('n', i));
  first.close();
  return fixture.tmp.file();
}

/** Changes a closed file with a connection of its own. */
function edit(path: string, sql: string): void {
  const db = new Database(path);
  db.exec(sql);
  db.close();
}

/** The StoreError `open()` throws for the file at `path`. */
/** Opens the file and reads it whole (the log after the snapshot is read as it is replayed), then closes it. */
function openError(path = fixture.tmp.file()): StoreError {
  const opened = store(path);
  const error = thrown(() => {
    try {
      const contents = opened.open();
      if (contents !== undefined) [...contents.tail].length;
    } finally {
      opened.close();
    }
  });
  expect(error).toBeInstanceOf(StoreError);
  expect(error.message).toContain(path);
  expect((error as StoreError).details).toMatchObject({ path });
  return error as StoreError;
}

describe('sqliteStore: files it cannot open', () => {
  it('fails in a missing directory, naming it', () => {
    const error = openError(join(fixture.tmp.dir, 'missing', 'state.db'));
    expect(error.code).toBe('STORE_OPEN_FAILED');
    expect(error.message).toContain('does not exist');
  });

  it('fails on a directory', () => {
    const path = join(fixture.tmp.dir, 'folder');
    mkdirSync(path);
    expect(openError(path).code).toBe('STORE_OPEN_FAILED');
  });

  // Root passes permission checks, so chmod cannot make a file unwritable for it: skipped as root.
  it.skipIf(isRoot)('fails on a read-only file and in a read-only directory', () => {
    const path = theusFile();
    chmodSync(path, 0o444);
    expect(openError(path).code).toBe('STORE_OPEN_FAILED');
    chmodSync(path, 0o644);
    const dir = join(fixture.tmp.dir, 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    try {
      expect(openError(join(dir, 'state.db')).code).toBe('STORE_OPEN_FAILED');
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  // Works as root too: Linux refuses to create regular files in sysfs.
  it.skipIf(process.platform !== 'linux' || !existsSync('/sys/kernel'))('fails where files cannot be created (sysfs)', () => {
    const error = openError('/sys/theus-test-state.db');
    expect(error.code).toBe('STORE_OPEN_FAILED');
    expect(error.details.sqlite).toBe('SQLITE_CANTOPEN');
  });

  it('refuses a second open of a file in use, and opens it once the first closed', () => {
    const path = theusFile();
    const first = store(path);
    expect(first.open()).toBeDefined();
    const error = openError(path);
    expect(error.code).toBe('STORE_OPEN_FAILED');
    expect(error.message).toContain('in use');
    expect(error.details).toMatchObject({ inUse: true, sqlite: 'SQLITE_BUSY' });
    // The first engine is unaffected.
    expect(first.history({}).length).toBe(3);
    first.close();
    expect([...(store(path).open()?.tail ?? [])]).toHaveLength(3);
  });

  it('holds the file against other processes', () => {
    const path = theusFile();
    const first = store(path);
    first.open();
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const script = `const D = require(${JSON.stringify(sqlite)}); const db = new D(${JSON.stringify(path)}, { timeout: 0 });
      try { db.pragma('user_version'); console.log('read'); } catch (e) { console.log(e.code); }`;
    const read = (): string => execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
    expect(read()).toBe('SQLITE_BUSY');
    first.close();
    expect(read()).toBe('read');
  });

  it('refuses a second open of a new file (the lock is taken before the seed)', () => {
    const first = store();
    expect(first.open()).toBeUndefined();
    expect(openError().code).toBe('STORE_OPEN_FAILED');
  });
});

describe('sqliteStore: files that are not Theus stores', () => {
  it('refuses a SQLite database of another application, and leaves it untouched', () => {
    const path = fixture.tmp.file('other.db');
    edit(path, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'a');");
    const before = readFileSync(path);
    const error = openError(path);
    expect(error.code).toBe('STORE_NOT_THEUS');
    expect(error.details).toMatchObject({ applicationId: 0, tables: ['users'] });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a database with another application_id, even without tables', () => {
    const path = fixture.tmp.file('other.db');
    edit(path, 'PRAGMA application_id = 1234; PRAGMA user_version = 1;');
    const error = openError(path);
    expect(error.code).toBe('STORE_NOT_THEUS');
    expect(error.message).toContain('application_id 1234');
  });

  it('refuses a file of a newer format, saying both versions', () => {
    const path = theusFile();
    edit(path, 'PRAGMA user_version = 2;');
    const error = openError(path);
    expect(error.code).toBe('STORE_FORMAT_NEWER');
    expect(error.message).toContain('format 2');
    expect(error.message).toContain('up to 1');
    expect(error.details).toMatchObject({ format: 2, supported: 1 });
  });
});

describe('sqliteStore: corrupt files', () => {
  it('refuses garbage bytes', () => {
    writeFileSync(fixture.tmp.file(), Buffer.from('this is not a database, just some text '.repeat(200)));
    const error = openError();
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.details.sqlite).toBe('SQLITE_NOTADB');
  });

  it('refuses a truncated file', () => {
    const path = theusFile(200);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(8192);
    truncateSync(path, Math.floor(size / 2 / 4096) * 4096);
    expect(openError(path).code).toBe('STORE_CORRUPT');
  });

  it('refuses a Theus file with a table missing or altered', () => {
    const path = theusFile();
    edit(path, 'DROP TABLE outbox;');
    expect(openError(path).code).toBe('STORE_CORRUPT');
    edit(path, 'CREATE TABLE outbox (id TEXT PRIMARY KEY);');
    const error = openError(path);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('columns');
  });

  it('refuses a Theus header without a format version', () => {
    const path = theusFile();
    edit(path, 'PRAGMA user_version = 0;');
    expect(openError(path).code).toBe('STORE_CORRUPT');
  });

  it('refuses rows that do not decode', () => {
    const path = theusFile();
    edit(path, 'UPDATE commits SET patches = \'[{"op":"replace","path":["domain"\' WHERE version = 2;');
    const error = openError(path);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('version 2');

    edit(path, `UPDATE commits SET patches = '[{"op":"move","path":["domain"]}]' WHERE version = 2;`);
    expect(openError(path).code).toBe('STORE_CORRUPT');
    edit(path, `UPDATE commits SET patches = '[]', args = 'nope' WHERE version = 2;`);
    expect(openError(path).code).toBe('STORE_CORRUPT');
    edit(path, `UPDATE commits SET args = NULL, process = x'70' WHERE version = 2;`);
    expect(openError(path).code).toBe('STORE_CORRUPT');
    edit(path, `UPDATE commits SET process = 'p' WHERE version = 2; UPDATE snapshots SET state = '[1]' WHERE version = 0;`);
    expect(openError(path).code).toBe('STORE_CORRUPT');
  });

  it('refuses a gap in the versions after the snapshot, and a log without its seed', () => {
    const path = theusFile(5);
    edit(path, 'DELETE FROM commits WHERE version = 3;');
    const error = openError(path);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('version 3 is missing');

    edit(path, "DELETE FROM snapshots WHERE kind = 'seed';");
    expect(openError(path).message).toContain('no seed');
  });

  it('refuses a log that does not start after the seed, and a snapshot without its commit', () => {
    const path = theusFile(6, 3);
    edit(path, 'DELETE FROM commits WHERE version = 1;');
    expect(openError(path).message).toContain('starts at version 2');
    edit(path, "INSERT INTO commits VALUES (1, 'p', NULL, '[]', '{}', 0); DELETE FROM commits WHERE version = 6;");
    expect(openError(path).message).toContain('no commit of that version');
  });

  it('finds a gap before the snapshot when stateAt needs those versions', () => {
    const path = theusFile(8, 4);
    edit(path, 'DELETE FROM commits WHERE version = 2;');
    const reopened = store(path, 4);
    expect(reopened.open()?.version).toBe(8);
    const replay = (state: object, records: Iterable<unknown>): object => {
      Array.from(records);
      return state;
    };
    const error = thrown(() => reopened.stateAt(3, replay));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(reopened.stateAt(8, replay)).toBeDefined();
  });

  it('never hands a prototype to a crafted __proto__ key', () => {
    const path = theusFile();
    edit(
      path,
      `UPDATE commits SET args = '{"__proto__":{"polluted":true},"a":1}' WHERE version = 1;
       UPDATE snapshots SET state = '{"__proto__":{"polluted":true},"domain":{"n":0}}' WHERE version = 0;`,
    );
    const reopened = store(path);
    const contents = reopened.open()!;
    // A replay reads the arguments only as frozen data (the engine never uses them); the state is refused by the engine's seal.
    const { args } = [...contents.tail][0]!;
    for (const value of [args, contents.state] as Record<string, unknown>[]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, '__proto__')).toBe(true);
      expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
      expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    }
    expect(Object.isFrozen(args)).toBe(true);
    // Handed out, the arguments are checked against the value model, which has no '__proto__' key.
    const error = thrown(() => reopened.history({}));
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain('the arguments of the commit of version 1');
    expect(error.message).toContain("'__proto__'");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
