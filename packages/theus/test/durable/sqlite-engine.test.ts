/**
 * Engines on SQLite files: what a user relies on across restarts (state, version, history, time
 * travel, outbox), concurrent writers, and the failures that must leave committed state untouched.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import Database from 'better-sqlite3';
import { Engine, process, StoreError, toPlain, type EngineOptions, type Store } from 'theus';
import { sqliteStore } from 'theus/store/sqlite';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'theus-sqlite-engine-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const increment = process({ name: 'increment', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
const setKey = process({ name: 'setKey', outputs: ['domain.items'] }, (ctx, { key, value }: { key: string; value: unknown }) => {
  (ctx.domain.items as Record<string, unknown>)[key] = value;
});
const removeKey = process({ name: 'removeKey', inputs: ['domain.items'], outputs: ['domain.items'] }, (ctx, { key }: { key: string }) => {
  delete (ctx.domain.items as Record<string, unknown>)[key];
});
const notify = process({ name: 'notify', outputs: ['domain.n'] }, (ctx, { to }: { to: string }) => {
  ctx.outbox.add('mail', { to });
  return 1;
});

const CONTEXT = { domain: { n: 0, items: {} as Record<string, unknown> } };

function open(path: string, options: Partial<EngineOptions> = {}, snapshotEvery?: number): Promise<Engine> {
  return Engine.open({
    context: CONTEXT,
    processes: [increment, setKey, removeKey, notify],
    store: sqliteStore({ path, ...(snapshotEvery === undefined ? {} : { snapshotEvery }) }),
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('an engine on a SQLite file', () => {
  it('restores state and version after a restart; the context only seeds an empty file', async () => {
    const path = join(dir, 'a.db');
    const first = await open(path);
    for (let i = 0; i < 5; i++) await first.execute(increment);
    await first.execute(setKey, { key: 'k', value: { deep: [1, 'two', null, true] } });
    await first.close();
    const second = await open(path, { context: { domain: { n: 1000, items: {} } } });
    expect(second.version).toBe(6);
    expect(second.state).toEqual({ domain: { n: 5, items: { k: { deep: [1, 'two', null, true] } } } });
    expect(Object.isFrozen((second.state as { domain: object }).domain)).toBe(true);
    expect(await second.execute(increment)).toBe(6);
    expect(second.history().map((entry) => [entry.version, entry.process])).toEqual([
      [1, 'increment'],
      [2, 'increment'],
      [3, 'increment'],
      [4, 'increment'],
      [5, 'increment'],
      [6, 'setKey'],
      [7, 'increment'],
    ]);
    expect(second.history({ process: 'setKey' })[0]).toMatchObject({
      args: { key: 'k', value: { deep: [1, 'two', null, true] } },
      writes: ['domain.items.k'],
    });
    await second.close();
  });

  it('loses no update from eight concurrent writers on one path, and groups their commits', async () => {
    const path = join(dir, 'hot.db');
    const engine = await open(path);
    const conflicts: unknown[] = [];
    engine.on('conflict', (event) => conflicts.push(event));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 25; i++) await engine.execute(increment);
      }),
    );
    expect(engine.state).toMatchObject({ domain: { n: 200 } });
    expect(conflicts).toEqual([]);
    await engine.close();
    const reopened = await open(path);
    expect(reopened.version).toBe(200);
    expect(reopened.state).toMatchObject({ domain: { n: 200 } });
    await reopened.close();
  });

  it('answers stateAt for every version, across snapshots, equal to the states it had', async () => {
    const path = join(dir, 'travel.db');
    const engine = await open(path, {}, 4);
    const states: unknown[] = [toPlain(engine.state)];
    for (let i = 0; i < 13; i++) {
      await (i % 3 === 0 ? engine.execute(setKey, { key: `k${String(i)}`, value: i }) : engine.execute(increment));
      states.push(toPlain(engine.state));
    }
    await engine.close();
    const reopened = await open(path, {}, 4);
    for (let version = 0; version <= 13; version++) expect(toPlain(await reopened.stateAt(version))).toEqual(states[version]);
    expect(await failure(reopened.stateAt(14))).toMatchObject({ code: 'STORE_VERSION_UNAVAILABLE' });
    await reopened.close();
  });

  test.prop(
    [
      fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c', '0', 'x y'), value: fc.jsonValue() }),
          fc.record({ kind: fc.constant('remove' as const), key: fc.constantFrom('a', 'b', 'c', '0', 'x y') }),
          fc.record({ kind: fc.constant('increment' as const) }),
        ),
        { minLength: 1, maxLength: 60 },
      ),
    ],
    { numRuns: 12 },
  )('replaying the file from version 0 reproduces every state, key order included', async (steps) => {
    const path = join(dir, `prop-${String(Math.random()).slice(2)}.db`);
    const engine = await open(path, {}, 7);
    const states: unknown[] = [toPlain(engine.state)];
    for (const step of steps) {
      if (step.kind === 'set') await engine.execute(setKey, { key: step.key, value: normalized(step.value) });
      else if (step.kind === 'remove') await engine.execute(removeKey, { key: step.key });
      else await engine.execute(increment);
      if (engine.version === states.length) states.push(toPlain(engine.state));
    }
    await engine.close();
    const reopened = await open(path, {}, 7);
    expect(JSON.stringify(toPlain(reopened.state))).toBe(JSON.stringify(states.at(-1)));
    for (let version = 0; version < states.length; version++) {
      expect(JSON.stringify(toPlain(await reopened.stateAt(version)))).toBe(JSON.stringify(states[version]));
    }
    await reopened.close();
  });
});

describe('a long random run on a SQLite file', () => {
  it('replays from version 0 to exactly the stored state, and to every sampled version', { timeout: 60_000 }, async () => {
    const path = join(dir, 'long.db');
    const engine = await open(path, {}, 50);
    const steps = fc.sample(
      fc.oneof(
        fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 6 }), value: fc.jsonValue({ maxDepth: 3 }) }),
        fc.record({ kind: fc.constant('remove' as const), key: fc.string({ maxLength: 6 }) }),
        fc.record({ kind: fc.constant('increment' as const) }),
      ),
      { numRuns: 2_000, seed: 20261202 },
    );
    const sampled = new Map<number, string>();
    for (const [i, step] of steps.entries()) {
      // Eight at a time: commits are grouped as concurrent writers make them.
      if (step.kind === 'set') void engine.execute(setKey, { key: step.key, value: normalized(step.value) }).catch(() => undefined);
      else if (step.kind === 'remove') void engine.execute(removeKey, { key: step.key }).catch(() => undefined);
      else void engine.execute(increment).catch(() => undefined);
      if (i % 8 === 7) {
        await engine.execute(increment);
        if (i % 40 === 7) sampled.set(engine.version, JSON.stringify(toPlain(engine.state)));
      }
    }
    await engine.execute(increment);
    const final = JSON.stringify(toPlain(engine.state));
    const version = engine.version;
    await engine.close();
    const reopened = await open(path, {}, 50);
    expect(reopened.version).toBe(version);
    expect(JSON.stringify(toPlain(reopened.state))).toBe(final);
    for (const [at, state] of sampled) expect(JSON.stringify(toPlain(await reopened.stateAt(at)))).toBe(state);
    await reopened.close();
    // Without its periodic snapshots the file replays its whole log onto the seed: the same state again.
    const db = new Database(path);
    db.prepare("DELETE FROM snapshots WHERE kind = 'periodic'").run();
    db.close();
    const full = await open(path, {}, 1_000_000);
    expect(full.version).toBe(version);
    expect(JSON.stringify(toPlain(full.state))).toBe(final);
    await full.close();
  });
});

/** JSON has no -0: the property compares what a JSON store can represent. */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('the outbox on a SQLite file', () => {
  it('keeps undelivered messages and dead letters across a restart, and delivers them after it', async () => {
    const path = join(dir, 'outbox.db');
    const first = await open(path, { outbox: { maxAttempts: 1 } });
    let dead!: () => void;
    const wentDead = new Promise<void>((resolve) => (dead = resolve));
    first.outbox.on('mail', (message) => {
      if (message.payload !== null && (message.payload as { to: string }).to === 'bad') {
        setTimeout(dead, 0);
        throw new Error('no such mailbox');
      }
      throw new Error('unreachable: only bad is delivered in the first run');
    });
    await first.execute(notify, { to: 'bad' });
    await wentDead;
    for (let i = 0; i < 50 && (await first.outbox.deadLetters()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 2));
    await first.close();
    // A second engine, no handler while it commits: its message stays pending.
    const second = await open(path);
    await second.execute(notify, { to: 'ann' });
    await second.close();
    const third = await open(path);
    expect((await third.outbox.deadLetters()).map((entry) => [entry.id, entry.lastError])).toEqual([['v1.0', 'no such mailbox']]);
    expect((await third.outbox.pending()).map((entry) => entry.id)).toEqual(['v2.0']);
    // Revived before a handler exists, the dead letter takes its place in commit order again.
    await third.outbox.retry('v1.0');
    const delivered: string[] = [];
    let done!: () => void;
    const both = new Promise<void>((resolve) => (done = resolve));
    third.outbox.on('mail', (message) => {
      delivered.push(message.id);
      if (delivered.length === 2) done();
    });
    await both;
    expect(delivered).toEqual(['v1.0', 'v2.0']);
    await third.close();
    const fourth = await open(path);
    expect(await fourth.outbox.pending()).toEqual([]);
    expect(await fourth.outbox.deadLetters()).toEqual([]);
    await fourth.close();
  });
});

describe('bad stores and files', () => {
  it('refuses a missing directory at once, naming the path', async () => {
    const path = join(dir, 'missing', 'a.db');
    const error = await failure(open(path));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_OPEN_FAILED' });
    expect((error as Error).message).toContain(path);
    expect(() => new Engine({ store: sqliteStore({ path }) })).toThrow(StoreError);
  });

  it('refuses a file that is not a Theus database, and a second engine on a file in use', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just text that is long enough to look like a header'.repeat(100));
    expect(await failure(open(junk))).toMatchObject({ code: expect.stringMatching(/STORE_(NOT_THEUS|CORRUPT)/) as string });
    const path = join(dir, 'busy.db');
    const first = await open(path);
    expect(await failure(open(path))).toMatchObject({ code: 'STORE_OPEN_FAILED' });
    await first.close();
    const again = await open(path);
    await again.close();
  });

  it('refuses a directory given as the file', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect(await failure(open(path))).toMatchObject({ code: 'STORE_OPEN_FAILED' });
  });

  it('fails the runs of a commit the disk refuses, state and file unchanged, and goes on after', async () => {
    const path = join(dir, 'full.db');
    let full = false;
    const inner = sqliteStore({ path });
    // The SQLite store's own tests fill a real file (max_page_count); here the failure is injected at the interface.
    const store: Store = {
      ...inner,
      append(units) {
        if (full) throw new StoreError('STORE_WRITE_FAILED', 'database or disk is full (simulated)');
        inner.append(units);
      },
    };
    const engine = await Engine.open({ context: CONTEXT, processes: [increment], store });
    await engine.execute(increment);
    full = true;
    const error = await failure(engine.execute(increment));
    expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED', details: { version: 2 } });
    expect(engine.version).toBe(1);
    expect(engine.state).toMatchObject({ domain: { n: 1 } });
    full = false;
    expect(await engine.execute(increment)).toBe(2);
    await engine.close();
    const reopened = await open(path);
    expect(reopened.version).toBe(2);
    expect(reopened.history().map((entry) => entry.version)).toEqual([1, 2]);
    await reopened.close();
  });
});
