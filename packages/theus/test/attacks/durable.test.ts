/**
 * Attacks on the durable commit path (issue 11): the grouped commit, the Store interface and its
 * two stores, the outbox and its handlers, `Engine.open` and restore. Processes are untrusted
 * code; payloads, arguments, topics, history queries and store files are untrusted input. Each
 * test asserts the safe behaviour: a typed error, the state unchanged, nothing written, no
 * acknowledged commit lost.
 */
import { linkSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { types } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine, memoryStore, process, StoreError, TheusError, type EngineOptions, type OutboxEnvelope, type Store } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';
import { codeOf, failure } from './expect-failure.js';

let dir: string;
const engines: Engine[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'theus-attack-durable-'));
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const file = (name = 'state.db'): string => join(dir, name);
const CONTEXT = { domain: { n: 0, a: 0, b: 0, c: 0, list: [1, 2] }, heavy: {} };
type State = typeof CONTEXT;

const inc = process({ name: 'inc', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
const setA = process({ name: 'setA', outputs: ['domain.a'] }, () => 1);
const setB = process({ name: 'setB', outputs: ['domain.b'] }, () => 1);
const setC = process({ name: 'setC', outputs: ['domain.c'] }, () => 1);
/** Adds one outbox message `{ tag }` to `topic` (default `mail`). */
const send = process({ name: 'send', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx, args: { topic?: string; tag?: string }) => {
  ctx.outbox.add(args.topic ?? 'mail', { tag: args.tag ?? 'x' });
  return (ctx.domain.n as number) + 1;
});
const PROCESSES = [inc, setA, setB, setC, send];

function track<T extends Engine>(engine: T): T {
  engines.push(engine);
  return engine;
}

/** An engine on the SQLite file `path` (closed after the test). */
async function openFile(path: string, options: Partial<EngineOptions> = {}, snapshotEvery?: number): Promise<Engine> {
  const store = sqliteStore(snapshotEvery === undefined ? { path } : { path, snapshotEvery });
  return track(await Engine.open({ context: CONTEXT, processes: PROCESSES, store, ...options }));
}

/** A closed Theus file holding `commits` commits of `inc` (args `{ i }`). */
async function theusFile(name = 'state.db', commits = 2, snapshotEvery?: number): Promise<string> {
  const path = file(name);
  const engine = await openFile(path, {}, snapshotEvery);
  for (let i = 0; i < commits; i++) await engine.execute(inc, { i } as never);
  await engine.close();
  return path;
}

/** Changes a closed file with a connection of its own, as an attacker with write access would. */
function craft(path: string, change: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    change(db);
  } finally {
    db.close();
  }
}

/** Reads a closed file with a connection of its own. */
function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * What opening the crafted file at `path` gives: the code of the StoreError it fails with, or a
 * description of what opened (the engine is closed after the test).
 */
async function openOutcome(path: string): Promise<string> {
  let engine: Engine;
  try {
    engine = await openFile(path);
  } catch (error) {
    return error instanceof StoreError ? error.code : `${String((error as Error).name)}: ${String((error as Error).message).slice(0, 60)}`;
  }
  const state = engine.state as Record<string, unknown>;
  const plain = Object.getPrototypeOf(state) === Object.prototype;
  return `opened at version ${String(engine.version)} (plain prototype: ${String(plain)}): ${JSON.stringify(state).slice(0, 60)}`;
}

/** The error `action` throws, or its promise rejects with (fails the test when it succeeds). */
async function errorOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** The error `action` fails with, or `undefined` when it succeeds. */
async function caught(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Lets handlers, timers and the group commit of the current turn run. */
const pause = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A short label for an untrusted value in an assertion message. */
function label(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? `${String(inner)}n` : inner)) ?? String(value);
  } catch {
    return String(value);
  }
}

const deepJson = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('attack: outbox payloads and topics', () => {
  it('payloads outside the value model fail the run; nothing is enqueued, stored or delivered', async () => {
    const path = file();
    const engine = await openFile(path);
    const delivered: unknown[] = [];
    engine.outbox.on('t', (message) => void delivered.push(message.payload));
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 0;
    for (let i = 0; i < 1_001; i++) deep = [deep];
    const bad: [string, () => unknown][] = [
      ['a cycle', () => cycle],
      ['1,001 levels', () => deep],
      ['a Proxy', () => new Proxy({ a: 1 }, {})],
      ['an own __proto__ key', () => JSON.parse('{"__proto__":{"polluted":true}}') as unknown],
      ['a bigint', () => ({ n: 1n })],
      ['a function', () => ({ f: () => 1 })],
      ['a Date', () => ({ at: new Date(0) })],
      ['a Map', () => new Map([[1, 2]])],
      ['a hole', () => [1, , 3]], // eslint-disable-line no-sparse-arrays
      ['NaN', () => ({ n: NaN })],
      ['a binary', () => ({ bytes: new Uint8Array(2) })],
    ];
    for (const [name, make] of bad) {
      const p = process({ name: `bad payload: ${name}`, outputs: ['domain.n'] }, (ctx) => {
        ctx.outbox.add('t', make());
        return 1;
      });
      const error = await failure(engine.execute(p));
      expect(error.code, name).toBe('TX_INVALID_VALUE');
      expect(error.message, name).toContain('outbox.t');
    }
    expect(engine.version).toBe(0);
    expect(await engine.outbox.pending()).toEqual([]);
    await pause();
    expect(delivered).toEqual([]);
    await engine.close();
    expect(inspect(path, (db) => db.prepare('SELECT COUNT(*) FROM outbox').pluck().get())).toBe(0);
    expect(inspect(path, (db) => db.prepare('SELECT COUNT(*) FROM commits').pluck().get())).toBe(0);
  });

  it('a getter in a payload runs once, when the message is added; its later answers change nothing', async () => {
    const path = file();
    const engine = await openFile(path);
    let reads = 0;
    const payload = {
      get amount(): number {
        reads++;
        return reads === 1 ? 1 : 1_000_000;
      },
    };
    const p = process({ name: 'getterPayload', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('t', payload);
      return 1;
    });
    await engine.execute(p);
    const [entry] = await engine.outbox.pending();
    expect(entry?.payload).toEqual({ amount: 1 });
    expect(Object.isFrozen(entry?.payload)).toBe(true);
    await engine.close();
    expect(reads).toBe(1);
    expect(inspect(path, (db) => db.prepare('SELECT payload FROM outbox').pluck().get())).toBe('{"amount":1}');
  });

  it('PRIVATE data cannot be smuggled into a payload: drafts and views are refused, copies hold no internal_ key', async () => {
    const path = file('private.db');
    const context = { domain: { n: 0, nested: { name: 'x', internal_role: 'admin', deeper: { internal_secret: 's3cret', ok: 1 } } } };
    const engine = track(await Engine.open({ context, store: sqliteStore({ path }) }));
    const attempts: [string, (ctx: Record<string, any>) => unknown][] = [
      ['an input view', (ctx) => ctx.domain.nested],
      ['a nested view', (ctx) => ({ wrapped: ctx.domain.nested.deeper })],
      ['a spread of a view', (ctx) => ({ ...ctx.domain.nested })],
      ['an array of views', (ctx) => [ctx.domain.nested]],
    ];
    for (const [name, make] of attempts) {
      const p = process({ name: `smuggle: ${name}`, inputs: ['domain.nested'], outputs: ['domain.n'] }, (ctx) => {
        ctx.outbox.add('t', make(ctx as Record<string, any>));
        return 1;
      });
      expect(await codeOf(engine.execute(p)), name).toBe('TX_INVALID_VALUE');
    }
    const copy = process({ name: 'copy', inputs: ['domain.nested'], outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('t', JSON.parse(JSON.stringify(ctx.domain.nested)) as unknown);
      return 1;
    });
    await engine.execute(copy);
    const [entry] = await engine.outbox.pending();
    expect(entry?.payload).toEqual({ name: 'x', deeper: { ok: 1 } });
    await engine.close();
    const stored = inspect(path, (db) => db.prepare('SELECT payload FROM outbox').pluck().all() as string[]);
    expect(stored).toEqual(['{"name":"x","deeper":{"ok":1}}']);
    expect(inspect(path, (db) => db.prepare('SELECT args || patches || signals FROM commits').pluck().all()).join('')).not.toMatch(
      /s3cret|admin/,
    );
  });

  it('a binary under a heavy_ key is no payload: the process cannot change a message after adding it', async () => {
    const engine = track(new Engine({ context: CONTEXT, outbox: { baseDelayMs: 0 } }));
    let kept: Uint8Array | undefined;
    const p = process({ name: 'binaryPayload', outputs: ['domain.n'] }, (ctx) => {
      kept = new Uint8Array([1, 2, 3]);
      ctx.outbox.add('t', { heavy_blob: kept });
      return 1;
    });
    const run = await caught(() => engine.execute(p));
    expect.soft(run).toMatchObject({ code: 'TX_INVALID_VALUE' });
    // Had it committed, the process still holds the payload and can rewrite it before delivery.
    if (kept !== undefined) kept[0] = 99;
    const seen: unknown[] = [];
    engine.outbox.on('t', (message) => void seen.push(message.payload));
    await pause();
    expect(seen).toEqual([]);
  });

  it('topics are checked, and SQL metacharacters in a topic are data', async () => {
    const path = file();
    const engine = await openFile(path);
    for (const topic of ['__proto__', 'constructor', 'prototype', '', 'x'.repeat(257), 42, {}]) {
      expect(await codeOf(engine.execute(send, { topic } as never)), String(topic).slice(0, 20)).toBe('CONTRACT_BAD_ARGS');
    }
    const sql = "t'); DROP TABLE commits; DELETE FROM outbox; --";
    await engine.execute(send, { topic: sql, tag: 'sql' });
    await engine.close();
    const reopened = await openFile(path);
    expect(reopened.version).toBe(1);
    expect((await reopened.outbox.pending()).map((entry) => [entry.topic, entry.payload])).toEqual([[sql, { tag: 'sql' }]]);
    expect(reopened.history({ process: sql })).toEqual([]);
  });

  it('a topic that is not well-formed UTF-16 is refused, or comes back unchanged after a restart', async () => {
    const path = file();
    const engine = await openFile(path);
    const topic = 'pay\uD800ment';
    const run = await caught(() => engine.execute(send, { topic }));
    if (run !== undefined) {
      expect(run).toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
      return;
    }
    expect((await engine.outbox.pending()).map((entry) => entry.topic)).toEqual([topic]);
    await engine.close();
    const reopened = await openFile(path);
    // The handler registered for the topic the process used must still receive the message.
    expect((await reopened.outbox.pending()).map((entry) => entry.topic)).toEqual([topic]);
  });

  it('a handler receives plain data, never an engine record facade (as it does after a restart)', async () => {
    const path = file();
    const engine = await openFile(path, { outbox: { baseDelayMs: 0 } });
    const wide: Record<string, number> = {};
    for (let i = 0; i < 100; i++) wide[`k${String(i)}`] = i;
    const p = process({ name: 'wide', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('wide', wide);
      return 1;
    });
    const seen: { proxy: boolean; cloned: boolean }[] = [];
    engine.outbox.on('wide', (message) => {
      let cloned = true;
      try {
        structuredClone(message.payload);
      } catch {
        cloned = false;
      }
      seen.push({ proxy: types.isProxy(message.payload), cloned });
    });
    await engine.execute(p);
    await pause();
    expect(seen).toEqual([{ proxy: false, cloned: true }]);
  });

  it('one run cannot enqueue an unbounded number of messages', { timeout: 60_000 }, async () => {
    const engine = track(new Engine({ context: CONTEXT }));
    const flood = process({ name: 'flood', outputs: ['domain.n'] }, (ctx) => {
      for (let i = 0; i < 1_000_000; i++) ctx.outbox.add('flood');
      return 1;
    });
    const error = await errorOf(() => engine.execute(flood));
    expect(error).toBeInstanceOf(TheusError);
    expect(engine.version).toBe(0);
    expect(await engine.outbox.pending()).toEqual([]);
  });
});

describe('attack: outbox handlers', () => {
  it('a handler cannot change its message: the retry and the stored row see the original', async () => {
    const path = file();
    const engine = await openFile(path, { outbox: { baseDelayMs: 0, maxAttempts: 3 } });
    const seen: OutboxEnvelope[] = [];
    const blocked: string[] = [];
    engine.outbox.on('mail', (message) => {
      seen.push(message);
      const writable = message as { attempts: number; payload: Record<string, unknown> };
      for (const [what, mutate] of [
        ['attempts', () => (writable.attempts = 99)],
        ['payload field', () => (writable.payload.tag = 'evil')],
        ['payload key', () => Object.defineProperty(writable.payload, 'extra', { value: 1 })],
        ['payload prototype', () => Object.setPrototypeOf(writable.payload, { polluted: true })],
      ] as const) {
        try {
          mutate();
        } catch {
          blocked.push(what);
        }
      }
      if (seen.length === 1) throw new Error('retry me');
    });
    await engine.execute(send, { tag: 'original' });
    await pause(50);
    expect(seen.map((message) => [message.attempts, message.payload])).toEqual([
      [0, { tag: 'original' }],
      [1, { tag: 'original' }],
    ]);
    expect(blocked).toHaveLength(8);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('retry() takes only the id of a dead letter', async () => {
    const engine = await openFile(file(), { outbox: { baseDelayMs: 0, maxAttempts: 1 } });
    await engine.execute(send, {});
    for (const id of [{ toString: () => 'v1.0' }, 1, null, undefined, ['v1.0']]) {
      expect(await codeOf(engine.outbox.retry(id as never)), label(id)).toBe('CONTRACT_BAD_ARGS');
    }
    for (const id of ['v1.0', 'v9.0', '__proto__', "v1.0' OR 1=1 --", '']) {
      expect(await codeOf(engine.outbox.retry(id)), id).toBe('OUTBOX_UNKNOWN_MESSAGE');
    }
    expect((await engine.outbox.pending()).map((entry) => entry.id)).toEqual(['v1.0']);
  });

  it('handlers that throw non-Errors or return hostile thenables become dead letters with bounded errors', async () => {
    const engine = await openFile(file(), { outbox: { baseDelayMs: 0, maxAttempts: 1, handlerTimeoutMs: 100 } });
    const handlers: Record<string, () => unknown> = {
      nullPrototype: () => {
        throw Object.create(null) as object; // eslint-disable-line @typescript-eslint/only-throw-error
      },
      revokedProxy: () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        throw proxy; // eslint-disable-line @typescript-eslint/only-throw-error
      },
      symbol: () => {
        throw Symbol('s'); // eslint-disable-line @typescript-eslint/only-throw-error
      },
      throwingMessage: () => {
        const error = new Error('x');
        Object.defineProperty(error, 'message', {
          get() {
            throw new Error('boom');
          },
        });
        throw error;
      },
      hugeMessage: () => {
        throw new Error('x'.repeat(5_000_000));
      },
      thenGetterThrows: () => ({
        get then() {
          throw new Error('then getter');
        },
      }),
      neverSettles: () => ({ then: () => undefined }),
      rejectsLater: () => ({
        then: (_resolve: unknown, reject: (error: unknown) => void) => setTimeout(() => reject(Object.create(null)), 5),
      }),
    };
    for (const [topic, handler] of Object.entries(handlers)) engine.outbox.on(topic, handler);
    for (const topic of Object.keys(handlers)) await engine.execute(send, { topic });
    await pause(300);
    const dead = await engine.outbox.deadLetters();
    expect(dead.map((entry) => entry.topic).sort()).toEqual(Object.keys(handlers).sort());
    for (const entry of dead) {
      expect(typeof entry.lastError).toBe('string');
      expect(entry.lastError?.length).toBeLessThanOrEqual(1_000);
    }
    const started = Date.now();
    await engine.close();
    expect(Date.now() - started).toBeLessThan(10_000); // not a hang: a stuck handler would hold close() for good
  });

  it('a handler that awaits engine.close() delays it by at most its timeout; the message is not lost', async () => {
    const path = file();
    const engine = await openFile(path, { outbox: { handlerTimeoutMs: 200 } });
    let closing: Promise<void> | undefined;
    engine.outbox.on('mail', () => (closing = engine.close()));
    await engine.execute(send, { tag: 'kept' });
    const started = Date.now();
    while (closing === undefined && Date.now() - started < 2_000) await pause(5);
    await closing;
    expect(Date.now() - started).toBeLessThan(2_000);
    const reopened = await openFile(path);
    expect((await reopened.outbox.pending()).map((entry) => [entry.id, entry.payload, entry.attempts])).toEqual([
      ['v1.0', { tag: 'kept' }, 1],
    ]);
  });

  it('a handler may execute processes; opening a second engine on the file from it fails, the first goes on', async () => {
    const path = file();
    const engine = await openFile(path, { outbox: { baseDelayMs: 0, maxAttempts: 1 } });
    const errors: unknown[] = [];
    engine.outbox.on('mail', async () => {
      await engine.execute(inc);
      try {
        track(await Engine.open({ context: CONTEXT, store: sqliteStore({ path }) }));
      } catch (error) {
        errors.push(error);
      }
    });
    await engine.execute(send, {});
    await pause(50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'STORE_OPEN_FAILED' });
    expect(engine.version).toBe(2);
    expect(await engine.execute(inc)).toBe(3);
    await engine.close();
    expect((await openFile(path)).version).toBe(3);
  });
});

describe('attack: the grouped commit path', () => {
  it('a process writing a value the store cannot persist fails alone, not the commits grouped with it', async () => {
    const path = file();
    const engine = await openFile(path);
    const binary = process({ name: 'binary', outputs: ['heavy'] }, (ctx) => {
      (ctx.heavy as Record<string, unknown>).blob = new Uint8Array(4);
    });
    // The three runs commit in the same turn: one group, one append.
    const [a, bad, c] = await Promise.allSettled([engine.execute(setA), engine.execute(binary), engine.execute(setC)]);
    expect(bad.status).toBe('rejected');
    expect(a.status).toBe('fulfilled');
    expect(c.status).toBe('fulfilled');
    expect((engine.state as State).domain).toMatchObject({ a: 1, c: 1 });
    await engine.close();
    expect(((await openFile(path)).state as State).domain).toMatchObject({ a: 1, c: 1 });
  });

  for (const kind of ['memory', 'sqlite'] as const) {
    it(`${kind}: code run by an argument getter during the commit cannot make an acknowledged commit disappear`, async () => {
      const engine = kind === 'memory' ? track(new Engine({ context: CONTEXT, processes: PROCESSES })) : await openFile(file());
      // The process never reads its arguments: the first read is the commit recording them.
      let inner: Promise<unknown> | undefined;
      const args = {
        get x(): number {
          inner ??= engine.execute(setB);
          return 1;
        },
      };
      const results = await Promise.allSettled([engine.execute(setA, args as never)]);
      const innerResult = (await Promise.allSettled([inner]))[0];
      const settled = [...results, innerResult];
      for (const result of settled) {
        if (result.status === 'rejected') expect(result.reason).not.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      }
      const state = engine.state as State;
      if (results[0]?.status === 'fulfilled') expect(state.domain.a).toBe(1);
      if (innerResult.status === 'fulfilled' && inner !== undefined) expect(state.domain.b).toBe(1);
      const versions = engine.history().map((entry) => entry.version);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      expect(engine.version).toBe(versions.length);
    });
  }

  it('a process cannot rewrite the arguments it was called with, and the history records what it saw', async () => {
    const engine = track(new Engine({ context: CONTEXT }));
    const mutate = process({ name: 'mutate', outputs: ['domain.a'] }, (_ctx, args: { amount: number }) => {
      try {
        args.amount = 999;
      } catch {
        // Frozen arguments are the safe outcome.
      }
      return 1;
    });
    const callerArgs = { amount: 5 };
    await engine.execute(mutate, callerArgs);
    expect(callerArgs).toEqual({ amount: 5 });
    expect(engine.history().at(-1)?.args).toEqual({ amount: 5 });

    let reads = 0;
    const seen: number[] = [];
    const pay = process({ name: 'pay', outputs: ['domain.b'] }, (_ctx, args: { amount: number }) => {
      seen.push(args.amount);
      return 1;
    });
    const shifty = {
      get amount(): number {
        reads++;
        return reads === 1 ? 1 : 1_000_000;
      },
    };
    await engine.execute(pay, shifty);
    expect(seen).toEqual([1]);
    expect(engine.history().at(-1)?.args).toEqual({ amount: 1 });

    const late = {
      count: 0,
      get amount(): number {
        if (++late.count > 1) throw new Error('a getter that throws after the run read it');
        return 1;
      },
    };
    const error = await caught(() => engine.execute(pay, late));
    // Either the argument is read once (the run commits), or the failure is a typed one.
    if (error !== undefined) expect(error).toBeInstanceOf(TheusError);
  });

  it('closing during a group commit: every run in flight is durable, later ones fail ENGINE_CLOSED', async () => {
    const path = file();
    const engine = await openFile(path);
    const runs = Array.from({ length: 8 }, () => engine.execute(inc));
    const closing = engine.close();
    expect(await codeOf(engine.execute(inc))).toBe('ENGINE_CLOSED');
    expect(await codeOf(engine.compareAndSwap(0, { data: { domain: { n: 99 } } }))).toBe('ENGINE_CLOSED');
    expect(await Promise.all(runs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await closing;
    const reopened = await openFile(path);
    expect(reopened.version).toBe(8);
    expect((reopened.state as State).domain.n).toBe(8);
  });

  it('a compare-and-swap racing close() is durable or refused ENGINE_CLOSED, never left half done', async () => {
    for (let ticks = 0; ticks < 6; ticks++) {
      const path = file(`cas-${String(ticks)}.db`);
      const engine = await openFile(path);
      const cas = engine.compareAndSwap(0, { data: { domain: { n: 42 } } });
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      const closing = engine.close();
      const [outcome] = await Promise.allSettled([cas]);
      await closing;
      if (outcome?.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'ENGINE_CLOSED' });
      const reopened = await openFile(path);
      expect(reopened.version).toBe(outcome?.status === 'fulfilled' ? 1 : 0);
      await reopened.close();
    }
  });

  it('after the store threw: refused runs fail typed, their messages never exist, the next commit reuses the version', async () => {
    const path = file();
    const inner = sqliteStore({ path });
    let failing = false;
    const store: Store = {
      ...inner,
      append(units) {
        if (failing) throw new Error('disk on fire');
        return inner.append(units);
      },
    };
    const engine = track(await Engine.open({ context: CONTEXT, processes: PROCESSES, store, outbox: { baseDelayMs: 0 } }));
    const delivered: string[] = [];
    engine.outbox.on('mail', (message) => void delivered.push(`${message.id}:${(message.payload as { tag: string }).tag}`));
    await engine.execute(send, { tag: 'first' });
    failing = true;
    const refused = await Promise.allSettled([engine.execute(send, { tag: 'lost1' }), engine.execute(send, { tag: 'lost2' })]);
    for (const result of refused) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE_WRITE_FAILED' });
    }
    expect(engine.version).toBe(1);
    expect((engine.state as State).domain.n).toBe(1);
    failing = false;
    expect(await engine.execute(send, { tag: 'second' })).toBe(2);
    await pause(50);
    expect(delivered).toEqual(['v1.0:first', 'v2.0:second']);
    await engine.close();
    const reopened = await openFile(path);
    expect(reopened.history().map((entry) => entry.version)).toEqual([1, 2]);
    expect((reopened.state as State).domain.n).toBe(2);
    expect(await reopened.outbox.pending()).toEqual([]);
  });
});

describe('attack: stores shared or opened twice', () => {
  it('a second engine on a file in use fails, by its path, a symlink or a hard link; the first goes on', async () => {
    const path = file();
    const first = await openFile(path);
    await first.execute(inc);
    symlinkSync(path, file('symlink.db'));
    linkSync(path, file('hardlink.db'));
    for (const alias of [path, file('symlink.db'), file('hardlink.db')]) {
      expect(await errorOf(() => openFile(alias))).toMatchObject({ code: 'STORE_OPEN_FAILED', details: { inUse: true } });
    }
    expect(await first.execute(inc)).toBe(2);
  });

  it('handing the same SQLite store to a second engine fails, and leaves the first engine working', async () => {
    const store = sqliteStore({ path: file() });
    const first = track(await Engine.open({ context: CONTEXT, processes: PROCESSES, store }));
    await first.execute(inc);
    expect(await errorOf(() => Engine.open({ context: CONTEXT, processes: PROCESSES, store }))).toMatchObject({
      code: 'STORE_OPEN_FAILED',
    });
    expect(first.history().map((entry) => entry.version)).toEqual([1]);
    expect(await first.execute(inc)).toBe(2);
  });

  it('handing the same memory store to a second engine fails, and leaves the first engine history its own', async () => {
    const store = memoryStore();
    const first = track(new Engine({ context: CONTEXT, processes: PROCESSES, store }));
    await first.execute(inc);
    const error = await errorOf(() => {
      const second = track(new Engine({ context: { other: { x: 1 } }, store }));
      return second.edit((draft) => {
        draft.other.x = 2;
      });
    });
    expect(error).toMatchObject({ code: 'STORE_OPEN_FAILED' });
    expect(first.history().map((entry) => [entry.version, entry.process])).toEqual([[1, 'inc']]);
    expect(await first.stateAt(0)).toEqual(CONTEXT);
  });

  it('memoryStore() refuses a capacity that is not a positive integer with a typed error', () => {
    for (const capacity of [0, -1, 1.5, NaN, '10', 2 ** 40]) {
      let error: unknown;
      try {
        memoryStore({ capacity: capacity as number });
      } catch (caught) {
        error = caught;
      }
      expect.soft(error, String(capacity)).toBeInstanceOf(TheusError);
      expect.soft(error, String(capacity)).toMatchObject({ code: 'ENGINE_INVALID_OPTION' });
    }
  });
});

describe('attack: history queries and time travel', () => {
  for (const kind of ['memory', 'sqlite'] as const) {
    it(`${kind}: bad queries are refused with CONTRACT_BAD_ARGS; SQL in a query is data`, async () => {
      const engine = kind === 'memory' ? track(new Engine({ context: CONTEXT, processes: PROCESSES })) : await openFile(file());
      for (let i = 0; i < 3; i++) await engine.execute(inc);
      const bad: unknown[] = [
        { from: '1; DROP TABLE commits' },
        { to: -1 },
        { limit: 1.5 },
        { from: NaN },
        { from: Infinity },
        { limit: 10n },
        { process: 5 },
        { extra: 1 },
        [],
        'all',
        null,
        { from: { valueOf: () => 1 } },
      ];
      for (const query of bad) {
        let error: unknown;
        try {
          engine.history(query as never);
        } catch (caught) {
          error = caught;
        }
        expect(error, label(query)).toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
      }
      expect(engine.history({ process: "inc' OR 1=1 --" })).toEqual([]);
      expect(engine.history({ process: 'inc' })).toHaveLength(3);
    });

    it(`${kind}: a query is read once: getters and proxies cannot change it after it was checked`, async () => {
      const engine = kind === 'memory' ? track(new Engine({ context: CONTEXT, processes: PROCESSES })) : await openFile(file());
      for (let i = 0; i < 5; i++) await engine.execute(inc);
      let limitReads = 0;
      const shiftyLimit = {
        get limit(): number | undefined {
          limitReads++;
          return limitReads === 1 ? 1 : undefined;
        },
      };
      expect.soft(engine.history(shiftyLimit as never)).toHaveLength(1);
      let fromReads = 0;
      const shiftyFrom = {
        get from(): unknown {
          fromReads++;
          return fromReads === 1 ? 4 : { not: 'a number' };
        },
      };
      // Read once: versions 4 and 5, or refused as a bad query; never another selection or a raw TypeError.
      const fromAnswer = await caught(() => expect(engine.history(shiftyFrom as never).map((entry) => entry.version)).toEqual([4, 5]));
      if (fromAnswer !== undefined) expect.soft(fromAnswer).toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
      let proxyReads = 0;
      const proxy = new Proxy(
        { limit: 2 },
        {
          get: () => (++proxyReads === 1 ? 2 : -1),
        },
      );
      expect.soft(engine.history(proxy as never).map((entry) => entry.version)).toEqual([4, 5]);
    });

    it(`${kind}: stateAt of anything but a retained version rejects STORE_VERSION_UNAVAILABLE`, async () => {
      const engine = kind === 'memory' ? track(new Engine({ context: CONTEXT, processes: PROCESSES })) : await openFile(file());
      await engine.execute(inc);
      for (const version of ['0', NaN, -1, 1.5, 2 ** 53, Infinity, null, {}, { valueOf: () => 0 }, 0n, 2, undefined]) {
        expect(await codeOf(engine.stateAt(version as never)), String(version)).toBe('STORE_VERSION_UNAVAILABLE');
      }
      expect(await engine.stateAt(0)).toEqual(CONTEXT);
    });
  }
});

describe('attack: crafted SQLite files', () => {
  it('a snapshot that is not a state object is STORE_CORRUPT; a null where a number was is data', async () => {
    for (const state of ['[1,2]', '"a string"', 'null', '42', '{"__proto__":{"x":1},"domain":{}}', '{"domain":{"n":NaN}}']) {
      const path = await theusFile(`snapshot-${String(state.length)}.db`, 0);
      craft(path, (db) => db.prepare("UPDATE snapshots SET state = ? WHERE kind = 'seed'").run(state));
      expect.soft(await openOutcome(path), state).toBe('STORE_CORRUPT');
    }
    const path = await theusFile('null-number.db', 0);
    craft(path, (db) => db.prepare("UPDATE snapshots SET state = ? WHERE kind = 'seed'").run('{"domain":{"n":null}}'));
    expect(((await openFile(path)).state as State).domain.n).toBeNull();
  });

  it('malformed patches are STORE_CORRUPT: empty paths, unknown ops, odd segments', async () => {
    const patches = [
      '[{"op":"replace","path":[],"value":1}]',
      '[{"op":"move","path":["domain","n"],"from":["domain","a"]}]',
      '[{"op":"replace","path":["domain",{"x":1}],"value":1}]',
      '[{"op":"replace","path":["domain","n"]}]',
      '{"op":"replace"}',
    ];
    for (const [i, text] of patches.entries()) {
      const path = await theusFile(`malformed-${String(i)}.db`, 1);
      craft(path, (db) => db.prepare('UPDATE commits SET patches = ? WHERE version = 1').run(text));
      expect.soft(await openOutcome(path), text).toBe('STORE_CORRUPT');
    }
  });

  it('a patch path through __proto__ is STORE_CORRUPT, never a state with a forged prototype', async () => {
    const patches = [
      '[{"op":"replace","path":["__proto__"],"value":{"polluted":1}}]',
      '[{"op":"add","path":["__proto__","polluted"],"value":1}]',
      '[{"op":"add","path":["domain","__proto__","polluted"],"value":1}]',
    ];
    for (const [i, text] of patches.entries()) {
      const path = await theusFile(`proto-${String(i)}.db`, 1);
      craft(path, (db) => db.prepare('UPDATE commits SET patches = ? WHERE version = 1').run(text));
      expect.soft(await openOutcome(path), text).toBe('STORE_CORRUPT');
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  it('a patch cannot give an array holes or named properties (length, non-index keys)', async () => {
    const patches = [
      '[{"op":"replace","path":["domain","list","length"],"value":1000000}]',
      '[{"op":"replace","path":["domain","list","foo"],"value":1}]',
      '[{"op":"replace","path":["domain","list",-1],"value":1}]',
      '[{"op":"replace","path":["domain","list",10],"value":1}]',
    ];
    for (const [i, text] of patches.entries()) {
      const path = await theusFile(`array-${String(i)}.db`, 1);
      craft(path, (db) => db.prepare('UPDATE commits SET patches = ? WHERE version = 1').run(text));
      expect.soft(await openOutcome(path), text).toBe('STORE_CORRUPT');
    }
  });

  it('deeply nested JSON in a patch or an outbox payload is STORE_CORRUPT at open, never a RangeError', async () => {
    const deep = deepJson(200_000);
    const patchFile = await theusFile('deep-patch.db', 1);
    craft(patchFile, (db) =>
      db.prepare('UPDATE commits SET patches = ? WHERE version = 1').run(`[{"op":"replace","path":["domain","n"],"value":${deep}}]`),
    );
    expect.soft(await openOutcome(patchFile), 'patch').toBe('STORE_CORRUPT');
    const argsFile = await theusFile('deep-args.db', 1);
    craft(argsFile, (db) => db.prepare('UPDATE commits SET args = ? WHERE version = 1').run(deep));
    expect.soft(await openOutcome(argsFile), 'args').toBe('STORE_CORRUPT');
    const outboxFile = await theusFile('deep-outbox.db', 1);
    craft(outboxFile, (db) => db.prepare("INSERT INTO outbox VALUES ('v1.0', 1, 0, 't', ?, 0, 'pending', NULL, 0)").run(deep));
    expect.soft(await openOutcome(outboxFile), 'outbox payload').toBe('STORE_CORRUPT');
  });

  it('deeply nested JSON in an old commit makes history() and stateAt() fail STORE_CORRUPT, never a RangeError', async () => {
    const path = await theusFile('deep-old.db', 4, 2);
    craft(path, (db) => db.prepare('UPDATE commits SET args = ? WHERE version = 1').run(deepJson(200_000)));
    const engine = await openFile(path, {}, 2);
    expect(engine.version).toBe(4);
    const fromHistory = await errorOf(() => engine.history());
    expect.soft(fromHistory).toBeInstanceOf(StoreError);
    expect.soft(fromHistory).toMatchObject({ code: 'STORE_CORRUPT' });
    const fromStateAt = await errorOf(() => engine.stateAt(1));
    expect.soft(fromStateAt).toBeInstanceOf(StoreError);
    expect.soft(fromStateAt).toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('numbers JSON parses as Infinity never reach a handler or the history (STORE_CORRUPT)', async () => {
    const payloadFile = await theusFile('inf-payload.db', 1);
    craft(payloadFile, (db) => db.exec(`INSERT INTO outbox VALUES ('v1.0', 1, 0, 'mail', '{"amount":1e400}', 0, 'pending', NULL, 0)`));
    expect.soft(await openOutcome(payloadFile), 'outbox payload').toBe('STORE_CORRUPT');
    const argsFile = await theusFile('inf-args.db', 1);
    craft(argsFile, (db) => db.exec(`UPDATE commits SET args = '{"amount":-1e400}' WHERE version = 1`));
    const engine = await openFile(argsFile);
    expect.soft(await caught(() => engine.history()), 'args in the history').toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('an outbox message of a commit that does not exist is STORE_CORRUPT (it would block that version forever)', async () => {
    const path = await theusFile('orphan.db', 1);
    craft(path, (db) => db.exec(`INSERT INTO outbox VALUES ('v2.0', 2, 0, 'mail', '{"forged":true}', 0, 'pending', NULL, 0)`));
    expect(await openOutcome(path)).toBe('STORE_CORRUPT');
  });
});
