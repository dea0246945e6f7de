/**
 * Rows a SQLite store reads are untrusted: a file may have been written by anything. Only values a
 * commit could have made come out of it; anything else is `STORE_CORRUPT` naming the row, never a
 * raw RangeError, a value outside the value model or a message of a commit that does not exist.
 */
import { types } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MAX_VALUE_DEPTH } from '../../src/context/value-model.js';
import { StoreError } from '../../src/errors/index.js';
import { replayCommits } from '../../src/store/replay.js';
import { deepFreeze, DecodeProblem } from '../../src/store/sqlite/sqlite-codec.js';
import { sqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { Log, set, storeFixture, thrown } from './sqlite-helpers.js';

const fixture = storeFixture();

const SEED = { domain: { n: 0 } };
const deepJson = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** A closed Theus file holding the seed and `commits` commits (each sends one message `{ i }` to topic `t`). */
function theusFile(commits = 2, name = 'state.db'): string {
  const path = fixture.tmp.file(name);
  const store = sqliteStore({ path });
  store.open();
  const log = new Log(SEED);
  store.seed(log.state, 0);
  for (let i = 1; i <= commits; i++) log.append(store, { ...set('n', i), args: { i }, topics: [{ topic: 't', payload: { i } }] });
  store.close();
  return path;
}

function edit(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  db.prepare(sql).run(...params);
  db.close();
}

function reopen(path: string): { store: Store; replay(): object } {
  const store = sqliteStore({ path });
  fixture.track(store);
  const contents = store.open()!;
  return { store, replay: () => replayCommits(contents.state, contents.tail) };
}

/** The StoreError `run` throws: STORE_CORRUPT naming the file. */
function corrupt(path: string, run: () => unknown): StoreError {
  const error = thrown(run);
  expect(error).toBeInstanceOf(StoreError);
  expect(error.code).toBe('STORE_CORRUPT');
  expect(error.details).toMatchObject({ path });
  return error as StoreError;
}

describe('sqliteStore: decoding is depth-bounded', () => {
  it('deepFreeze walks any depth without recursion, and refuses what the value model would', () => {
    expect(Object.isFrozen(deepFreeze(JSON.parse(deepJson(MAX_VALUE_DEPTH)) as unknown, 'x'))).toBe(true);
    for (const depth of [MAX_VALUE_DEPTH + 1, 200_000]) {
      const error = thrown(() => deepFreeze(JSON.parse(deepJson(depth)) as unknown, 'the thing'));
      expect(error).toBeInstanceOf(DecodeProblem);
      expect(error.message).toContain(`the thing: values nested over ${MAX_VALUE_DEPTH} levels deep`);
      expect(error.message).toContain(`0.0.0.0.0.0.0.0… (${MAX_VALUE_DEPTH} segments)`);
    }
    const named = thrown(() => deepFreeze({ a: [{ b: JSON.parse(deepJson(MAX_VALUE_DEPTH)) as unknown }] }, 'it'));
    expect(named.message).toContain("'a.0.b.0.0.0.0.0…");
  });

  it('deep JSON in arguments, patches and payloads is STORE_CORRUPT naming the row, never a RangeError', () => {
    const deep = deepJson(200_000);
    let path = theusFile();
    edit(path, 'UPDATE commits SET args = ? WHERE version = 2', deep);
    let reopened = reopen(path);
    let error = corrupt(path, () => reopened.replay());
    expect(error.message).toContain('the arguments of the commit of version 2');
    error = corrupt(path, () => reopened.store.history({}));
    expect(error.message).toContain('the arguments of the commit of version 2');
    reopened.store.close();

    edit(path, 'UPDATE commits SET args = NULL, patches = ? WHERE version = 2', `[{"op":"replace","path":["domain","n"],"value":${deep}}]`);
    reopened = reopen(path);
    error = corrupt(path, () => reopened.replay());
    expect(error.message).toContain('the patches of the commit of version 2: the value of patch 0');
    expect(error.message).toContain(`at most ${MAX_VALUE_DEPTH} levels deep`);
    reopened.store.close();

    path = theusFile(2, 'payload.db');
    edit(path, "UPDATE outbox SET payload = ? WHERE id = 'v1.0'", deep);
    reopened = reopen(path);
    reopened.replay();
    error = corrupt(path, () => reopened.store.outbox.undelivered());
    expect(error.message).toContain("the payload of outbox message 'v1.0'");
  });
});

describe('sqliteStore: stored values are checked against the value model', () => {
  it('refuses numbers JSON parses as Infinity in payloads, arguments and patch values', () => {
    const path = theusFile();
    edit(path, "UPDATE outbox SET payload = '{\"amount\":1e400}' WHERE id = 'v2.0'");
    edit(path, 'UPDATE commits SET args = \'{"amount":-1e400}\' WHERE version = 1');
    const reopened = reopen(path);
    // A replay never reads the arguments: the state is restored.
    expect(reopened.replay()).toEqual({ domain: { n: 2 } });
    let error = corrupt(path, () => reopened.store.outbox.undelivered());
    expect(error.message).toContain("the payload of outbox message 'v2.0'");
    expect(error.message).toContain("Infinity at 'amount'");
    error = corrupt(path, () => reopened.store.history({}));
    expect(error.message).toContain('the arguments of the commit of version 1');
    expect(error.message).toContain("-Infinity at 'amount'");
    reopened.store.close();

    edit(path, 'UPDATE commits SET args = NULL, patches = \'[{"op":"replace","path":["domain","n"],"value":1e400}]\' WHERE version = 1');
    const again = reopen(path);
    expect(corrupt(path, () => again.replay()).message).toContain('the patches of the commit of version 1');
    expect(corrupt(path, () => again.store.history({ to: 1 })).message).toContain('Infinity');
  });

  it("refuses a '__proto__' key in a payload", () => {
    const path = theusFile(1);
    edit(path, `UPDATE outbox SET payload = '{"__proto__":{"polluted":true}}' WHERE id = 'v1.0'`);
    const reopened = reopen(path);
    expect(corrupt(path, () => reopened.store.outbox.undelivered()).message).toContain("'__proto__'");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('hands out payloads and arguments as deeply frozen plain data, never record facades', () => {
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, { i }]));
    const path = theusFile(1);
    edit(path, "UPDATE outbox SET payload = ? WHERE id = 'v1.0'", JSON.stringify({ wide }));
    edit(path, 'UPDATE commits SET args = ? WHERE version = 1', JSON.stringify(wide));
    const reopened = reopen(path);
    reopened.replay();
    const payload = reopened.store.outbox.undelivered()[0]!.payload as { wide: Record<string, { i: number }> };
    const args = reopened.store.history({})[0]!.args as Record<string, { i: number }>;
    for (const value of [payload.wide, args]) {
      expect(types.isProxy(value)).toBe(false);
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.isFrozen(value)).toBe(true);
      expect(Object.isFrozen(value.k99)).toBe(true);
      expect(structuredClone(value)).toEqual(wide);
    }
    expect(Object.isFrozen(payload)).toBe(true);
  });
});

describe('sqliteStore: outbox rows must belong to a stored commit', () => {
  const cases: [string, string, number, number][] = [
    ['a version after the newest commit', 'v3.0', 3, 0],
    ['the version of the seed', 'v0.0', 0, 0],
    ['a version before the seed', 'v-1.0', -1, 0],
    ['an id that is not its version and index', 'v1.5', 1, 0],
    ['an id of another version', 'v2.1', 1, 1],
    ['an id that is no message id', 'mail', 1, 1],
    ['a negative index', 'v1.-1', 1, -1],
  ];
  for (const [name, id, version, idx] of cases) {
    it(`refuses ${name}`, () => {
      const path = theusFile();
      edit(path, "INSERT INTO outbox VALUES (?, ?, ?, 't', '{}', 0, 'pending', NULL, 0)", id, version, idx);
      const reopened = reopen(path);
      reopened.replay();
      expect(corrupt(path, () => reopened.store.outbox.undelivered()).message).toContain(`'${id}'`);
    });
  }

  it('takes the rows of stored commits, pending and dead', () => {
    const path = theusFile();
    edit(path, "INSERT INTO outbox VALUES ('v2.1', 2, 1, 't', '{\"extra\":true}', 3, 'dead', 'boom', 0)");
    const reopened = reopen(path);
    reopened.replay();
    expect(reopened.store.outbox.undelivered().map((entry) => [entry.id, entry.status, entry.payload])).toEqual([
      ['v1.0', 'pending', { i: 1 }],
      ['v2.0', 'pending', { i: 2 }],
      ['v2.1', 'dead', { extra: true }],
    ]);
  });
});
