/**
 * The commit path over a store that groups commits (as durable stores do): a run resolves only
 * once its commit's append returned, nothing becomes visible before, commits of one turn share an
 * append, and a refused append fails its runs (and those built on them) with nothing visible.
 * The store here is the memory store behind an append the test controls, so every interleaving
 * is deterministic; `test/store/` runs the same path on SQLite files.
 */
import { describe, expect, it } from 'vitest';
import { Engine, memoryStore, process, StoreError, type CommitEvent, type CommitUnit, type Store } from 'theus';
import { codeOf } from './attacks/expect-failure.js';

/** A memory store whose appends wait until the test releases (or refuses) them. */
function gatedStore(): { store: Store; appends: (readonly number[])[]; release(): void; refuse(error?: Error): void } {
  const inner = memoryStore();
  const appends: (readonly number[])[] = [];
  let gates: { units: readonly CommitUnit[]; ok(): void; fail(error: Error): void }[] = [];
  const store: Store = {
    ...inner,
    kind: 'gated',
    groupCommits: true,
    append(units) {
      appends.push(units.map((unit) => unit.record.version));
      return new Promise<void>((ok, fail) => gates.push({ units, ok, fail }));
    },
  };
  return {
    store,
    appends,
    release() {
      const open = gates;
      gates = [];
      for (const gate of open) {
        inner.append(gate.units);
        gate.ok();
      }
    },
    refuse(error = new Error('disk full')) {
      const open = gates;
      gates = [];
      for (const gate of open) gate.fail(error);
    },
  };
}

const bump = process({ name: 'bump', inputs: ['domain.counters'], outputs: ['domain.counters'] }, (ctx, { key }: { key: string }) => ({
  ...ctx.domain.counters,
  [key]: ((ctx.domain.counters as Record<string, number>)[key] ?? 0) + 1,
}));
const increment = process({ name: 'increment', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
const readN = process({ name: 'readN', inputs: ['domain.n'] }, (ctx) => ctx.domain.n as number);
const mail = process({ name: 'mail', outputs: ['domain.n'] }, (ctx) => {
  ctx.outbox.add('mail', { to: 'ann' });
  return 7;
});

/** Lets scheduled group commits run (they start on the next turn of the event loop). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function engineOn(store: Store): Engine {
  return new Engine({ context: { domain: { n: 0, counters: {} } }, processes: [bump, increment, readN, mail], store });
}

describe('a store that groups commits', () => {
  it('resolves a run only once its append returned, and shows nothing before', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const events: CommitEvent[] = [];
    engine.on('commit', (event) => events.push(event));
    let settled = false;
    const run = engine.execute(increment).then((value) => {
      settled = true;
      return value;
    });
    await nextTurn();
    expect(gated.appends).toEqual([[1]]);
    expect(settled).toBe(false);
    expect(engine.version).toBe(0);
    expect(engine.state).toMatchObject({ domain: { n: 0 } });
    expect(events).toHaveLength(0);
    gated.release();
    expect(await run).toBe(1);
    expect(engine.version).toBe(1);
    expect(events.map((event) => event.version)).toEqual([1]);
  });

  it('groups the commits of one turn, and those made during an append, into one append each', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const first = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((key) => engine.execute(bump, { key }));
    await nextTurn();
    expect(gated.appends).toEqual([[1, 2, 3, 4, 5, 6, 7, 8]]);
    const second = ['a', 'b', 'c'].map((key) => engine.execute(bump, { key }));
    await nextTurn();
    // One append in flight at a time: the next group waits for it.
    expect(gated.appends).toHaveLength(1);
    gated.release();
    await Promise.all(first);
    expect(gated.appends).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [9, 10, 11],
    ]);
    gated.release();
    await Promise.all(second);
    expect(engine.state).toMatchObject({ domain: { counters: { a: 2, b: 2, c: 2, d: 1, h: 1 } } });
    expect(engine.history().map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('builds runs on commits still waiting for the store: no conflict, no lost update', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const conflicts: unknown[] = [];
    engine.on('conflict', (event) => conflicts.push(event));
    const runs = Array.from({ length: 20 }, () => engine.execute(increment));
    await nextTurn();
    gated.release();
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(engine.state).toMatchObject({ domain: { n: 20 } });
    expect(conflicts).toHaveLength(0);
  });

  it('releases the result of a run that changed nothing only once what it read is durable', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const written = engine.execute(increment);
    let read: number | undefined;
    const reading = engine.execute(readN).then((value) => (read = value));
    await nextTurn();
    expect(read).toBeUndefined();
    gated.release();
    await Promise.all([written, reading]);
    expect(read).toBe(1);
  });

  it('fails the refused commits and every commit built on them; nothing becomes visible, versions are reused', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const events: CommitEvent[] = [];
    const rollbacks: unknown[] = [];
    engine.on('commit', (event) => events.push(event));
    engine.on('rollback', (event) => rollbacks.push(event.error));
    const refused = [engine.execute(increment), engine.execute(increment)];
    await nextTurn();
    const queued = engine.execute(increment);
    await nextTurn();
    gated.refuse();
    const errors = await Promise.all([...refused, queued].map((run) => run.catch((error: unknown) => error)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED' });
    }
    expect((errors[0] as StoreError).message).toMatch(/gated store could not write it \(disk full\)/);
    expect((errors[2] as StoreError).details).toMatchObject({ process: 'increment', version: 3, after: 1 });
    expect(rollbacks).toHaveLength(3);
    expect(engine.version).toBe(0);
    expect(events).toHaveLength(0);
    // The next commit takes version 1 again, on the unchanged state.
    const next = engine.execute(increment);
    await nextTurn();
    gated.release();
    expect(await next).toBe(1);
    expect(engine.history().map((entry) => entry.version)).toEqual([1]);
  });

  it('closes only after every pending commit settled', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const run = engine.execute(increment);
    await nextTurn();
    let closed = false;
    const closing = engine.close().then(() => (closed = true));
    await nextTurn();
    expect(closed).toBe(false);
    gated.release();
    await Promise.all([run, closing]);
    expect(engine.version).toBe(1);
  });

  it('gives each outbox message a stable id with its commit, and publishes it only after the append', async () => {
    const gated = gatedStore();
    const engine = engineOn(gated.store);
    const events: CommitEvent[] = [];
    engine.on('commit', (event) => events.push(event));
    const run = engine.execute(mail);
    await nextTurn();
    expect(events).toHaveLength(0);
    gated.release();
    await run;
    expect(events[0]?.outbox).toEqual([{ id: 'v1.0', topic: 'mail', payload: { to: 'ann' }, version: 1, attempts: 0 }]);
    expect(Object.isFrozen(events[0]?.outbox[0]?.payload)).toBe(true);
  });
});

describe('a store that appends synchronously', () => {
  it('fails the run with StoreError when append throws, state unchanged', async () => {
    const inner = memoryStore();
    const store: Store = {
      ...inner,
      append() {
        throw new Error('I/O error');
      },
    };
    const engine = engineOn(store);
    const error = await engine.execute(increment).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED', details: { process: 'increment', version: 1, store: 'memory' } });
    expect(engine.version).toBe(0);
    expect(engine.state).toMatchObject({ domain: { n: 0 } });
  });
});

describe('opening', () => {
  it('Engine.open resolves to a ready engine; engine.ready resolves to the engine', async () => {
    const engine = await Engine.open({ context: { domain: { n: 1 } } });
    expect(engine.state).toEqual({ domain: { n: 1 } });
    expect(await engine.ready).toBe(engine);
  });

  it('restores a store that holds state instead of seeding it with the context', async () => {
    const first = engineOn(memoryStore());
    await first.execute(increment);
    const inner = memoryStore();
    const store: Store = {
      ...inner,
      open: () => ({
        version: 1,
        state: { domain: { n: 5, counters: {} } },
        tail: [
          { version: 2, process: 'increment', args: undefined, patches: [{ op: 'replace', path: ['domain', 'n'], value: 6 }], time: 0 },
        ],
      }),
    };
    const engine = engineOn(store);
    expect(engine.version).toBe(2);
    expect(engine.state).toMatchObject({ domain: { n: 6 } });
    expect(Object.isFrozen((engine.state as { domain: object }).domain)).toBe(true);
    expect(await engine.execute(increment)).toBe(7);
    expect(engine.version).toBe(3);
  });

  it('refuses stored data outside the value model as a corrupt store, and closes the store', () => {
    let closed = false;
    const store: Store = {
      ...memoryStore(),
      open: () => ({ version: 0, state: { domain: { n: Number.NaN } }, tail: [] }),
      close: () => {
        closed = true;
      },
    };
    let error: unknown;
    try {
      engineOn(store);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_CORRUPT' });
    expect(closed).toBe(true);
  });

  it('refuses a store option that is not a store, and any store in training mode', () => {
    for (const store of [null, {}, { ...memoryStore(), append: 1 }, 'file.db']) {
      let error: unknown;
      try {
        new Engine({ store: store as unknown as Store });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'ENGINE_INVALID_OPTION', details: { option: 'store' } });
    }
    expect(() => new Engine({ transactional: false, store: memoryStore() })).toThrow(/training-mode engine/);
  });
});

describe('outbox payloads', () => {
  it('refuses a payload no store could write, failing the run that added it', async () => {
    const bad = process({ name: 'bad', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('mail', { send: () => 1 });
      return 1;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [bad] });
    expect(await codeOf(engine.execute(bad))).toBe('TX_INVALID_VALUE');
    expect(engine.version).toBe(0);
  });

  it('keeps a frozen copy: changing the object after add changes nothing', async () => {
    const payload = { to: 'ann' };
    const add = process({ name: 'add', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('mail', payload);
      payload.to = 'eve';
      return 1;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [add] });
    const events: CommitEvent[] = [];
    engine.on('commit', (event) => events.push(event));
    await engine.execute(add);
    expect(events[0]?.outbox[0]?.payload).toEqual({ to: 'ann' });
  });

  it('refuses outbox messages from a pure process', async () => {
    const pure = process({ name: 'pure', semantic: 'pure', inputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('mail', 1);
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [pure] });
    expect(await codeOf(engine.execute(pure))).toBe('CONTRACT_PURE_WRITE');
  });

  it('refuses a binary under a heavy_ key, topics that are not text, and more than 10,000 messages in one run', async () => {
    const binary = process({ name: 'binary', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('mail', { heavy_blob: new Uint8Array(4) });
      return 1;
    });
    const surrogate = process({ name: 'surrogate', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('pay\uD800ment', 1);
      return 1;
    });
    const flood = process({ name: 'flood', outputs: ['domain.n'] }, (ctx) => {
      for (let i = 0; i <= 10_000; i++) ctx.outbox.add('mail', i);
      return 1;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [binary, surrogate, flood] });
    expect(await codeOf(engine.execute(binary))).toBe('TX_INVALID_VALUE');
    expect(await codeOf(engine.execute(surrogate))).toBe('CONTRACT_BAD_ARGS');
    expect(await codeOf(engine.execute(flood))).toBe('CONTRACT_BAD_ARGS');
    expect(engine.version).toBe(0);
  });

  it('hands handlers plain objects, however large', async () => {
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${String(i)}`, i]));
    const add = process({ name: 'add', outputs: ['domain.n'] }, (ctx) => {
      ctx.outbox.add('wide', wide);
      return 1;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [add] });
    const events: CommitEvent[] = [];
    engine.on('commit', (event) => events.push(event));
    await engine.execute(add);
    const payload = events[0]?.outbox[0]?.payload;
    expect(structuredClone(payload)).toEqual(wide);
    expect(Object.isFrozen(payload)).toBe(true);
  });
});

describe('arguments', () => {
  it('are copied and frozen before the run: the process, the gates and the history see one value', async () => {
    const mutate = process({ name: 'mutate', outputs: ['domain.n'] }, (_ctx, args: { amount: number }) => {
      expect(() => {
        args.amount = 999;
      }).toThrow(TypeError);
      return args.amount;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [mutate] });
    const given = { amount: 5 };
    expect(await engine.execute(mutate, given)).toBe(5);
    expect(given).toEqual({ amount: 5 });
    expect(engine.history()[0]?.args).toEqual({ amount: 5 });
  });
});

describe('stores', () => {
  it('serve one engine: a second engine on the same memory store is refused, the first keeps working', async () => {
    const store = memoryStore();
    const first = engineOn(store);
    expect(() => engineOn(store)).toThrow(expect.objectContaining({ code: 'STORE_OPEN_FAILED' }) as Error);
    expect(await first.execute(increment)).toBe(1);
  });

  it('refuse a memoryStore capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN, '10', 2 ** 40]) {
      expect(() => memoryStore({ capacity: capacity as number })).toThrow(
        expect.objectContaining({ code: 'ENGINE_INVALID_OPTION' }) as Error,
      );
    }
  });
});
