/**
 * Attacks on parallel processes (worker threads) and on the HEAVY zone: a process is untrusted
 * code, which can monkeypatch anything in its worker thread, so the main thread must neither send
 * it more than its contract lets it read nor commit anything its reply says that a real run could
 * not have produced. Each test asserts the safe behaviour.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from 'theus';
import { forgeReplyProcess, hang, spinForever, spyAll, spyState, type ReplyForgery } from './fixtures/parallel-attacks.js';
import { resolveTheusLikeThisProject, workerEngines } from '../parallel/workers.js';

resolveTheusLikeThisProject();

const engineWith = workerEngines();

const secretContext = () => ({
  domain: {
    a: 1,
    internal_key: 'TOPSECRET-ROOT',
    list: [{ name: 'x', internal_pin: 'TOPSECRET-ITEM', nested: { internal_deep: 'TOPSECRET-DEEP' } }],
    vault: { internal_code: 'TOPSECRET-VAULT' },
  },
  heavy: {},
});

describe('what a worker receives', () => {
  it('a strict run: no PRIVATE value crosses, even through an array its input path goes through', async () => {
    const engine = engineWith({ context: secretContext(), processes: [spyState] });
    const seen = String(await engine.execute(spyState));
    expect(seen).toContain('"name":"x"');
    expect(seen).not.toContain('TOPSECRET');
    expect(seen).not.toContain('internal_');
  });

  it('a strict run: no PRIVATE value crosses after engine.edit added PRIVATE keys below the input', async () => {
    const engine = engineWith({ context: secretContext(), processes: [spyState] });
    await engine.edit((draft) => {
      const d = draft as { domain: { list: Record<string, unknown>[] } };
      d.domain.list.push({ name: 'y', internal_added: 'TOPSECRET-EDIT' });
      (d.domain.list[0] as Record<string, unknown>)['extra'] = { internal_more: 'TOPSECRET-EDIT2' };
    });
    const seen = String(await engine.execute(spyState));
    expect(seen).toContain('"name":"y"');
    expect(seen).not.toContain('TOPSECRET');
  });

  it('a strict run: a record of more than 64 keys with PRIVATE keys does not cross them', async () => {
    const big: Record<string, unknown> = { name: 'x' };
    for (let i = 0; i < 100; i++) big[`k${String(i)}`] = i;
    big['internal_big'] = 'TOPSECRET-RECORD';
    const context = { domain: { a: 1, list: [big] }, heavy: {} };
    const engine = engineWith({ context, processes: [spyState] });
    const seen = String(await engine.execute(spyState));
    expect(seen).toContain('"k99":99');
    expect(seen).not.toContain('TOPSECRET');
  });

  it('a strict run: undeclared DATA beside the declared path is not sent (an array on the path crosses whole, as documented)', async () => {
    const context = { domain: { a: 1, list: [{ name: 'x' }, { name: 'y', password: 'ARRAY-SIBLING' }], other: 'UNDECLARED-OTHER' } };
    const engine = engineWith({ context, processes: [spyState] });
    const seen = String(await engine.execute(spyState));
    expect(seen).not.toContain('UNDECLARED-OTHER');
    // The declared input is domain.list.0.name: docs/parallel.md says the array it goes through is sent whole.
    expect(seen).toContain('ARRAY-SIBLING');
  });

  it('a relaxed run (whole state sent): no PRIVATE value crosses', async () => {
    const engine = engineWith({ context: secretContext(), processes: [spyAll], strict: false });
    const seen = String(await engine.execute(spyAll));
    expect(seen).toContain('"a":1');
    expect(seen).not.toContain('TOPSECRET');
  });
});

describe('a forged reply', () => {
  const context = () => ({ domain: { a: 1 }, heavy: {} });

  it.each<[ReplyForgery]>([
    ['signalUndeclared'],
    ['signalKey'],
    ['binaryInData'],
    ['privateInValue'],
    ['dataInHeavyKey'],
    ['deepValue'],
    ['outboxFlood'],
  ])('%s is refused; nothing commits', async (forge) => {
    const engine = engineWith({ context: context(), processes: [forgeReplyProcess], conflict: { writeTimeoutMs: 2_000 } });
    const error = await engine.execute(forgeReplyProcess, { forge }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(engine.version).toBe(0);
    expect(engine.state).toEqual({ domain: { a: 1 }, heavy: {} });
    // Signals and outbox messages go out on commit only: nothing committed, none went out.
  });

  it('a log flood is bounded as the outbox is (10,000 per run)', async () => {
    const engine = engineWith({ context: context(), processes: [forgeReplyProcess] });
    const error = await engine.execute(forgeReplyProcess, { forge: 'logFlood' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(engine.version).toBe(0);
  });
});

describe('closing with a worker that never answers', () => {
  it('close() resolves while a run awaits forever (write timeout)', async () => {
    const engine = engineWith({ context: { domain: {} }, processes: [hang], conflict: { writeTimeoutMs: 300 } });
    const run = engine.execute(hang).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = await Promise.race([engine.close().then(() => 'closed'), sleep(8_000).then(() => 'hung')]);
    expect(closed).toBe('closed');
    expect(await run).toBeInstanceOf(Error);
  }, 15_000);

  it('close() resolves while a run spins forever (write timeout)', async () => {
    const engine = engineWith({ context: { domain: {} }, processes: [spinForever], conflict: { writeTimeoutMs: 300 } });
    const run = engine.execute(spinForever).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = await Promise.race([engine.close().then(() => 'closed'), sleep(8_000).then(() => 'hung')]);
    expect(closed).toBe('closed');
    expect(await run).toBeInstanceOf(Error);
  }, 15_000);

  it('close() right after execute() (the pool still loading) resolves and leaves no thread', async () => {
    const engine = engineWith({ context: { domain: {} }, processes: [hang], conflict: { writeTimeoutMs: 300 } });
    const run = engine.execute(hang).catch((e: unknown) => e);
    const closed = await Promise.race([engine.close().then(() => 'closed'), sleep(8_000).then(() => 'hung')]);
    expect(closed).toBe('closed');
    expect(await run).toBeInstanceOf(Error);
  }, 15_000);
});

describe('HEAVY and DATA through the main thread', () => {
  const bin = (): Uint8Array => new Uint8Array(new SharedArrayBuffer(8));

  it.each<[string, (draft: Record<string, any>) => void]>([
    ['a binary in a DATA field', (d) => void (d['domain'].x = bin())],
    ['a binary in a DATA array', (d) => void d['domain'].list.push(bin())],
    ['a binary in a record of more than 64 keys', (d) => void (d['domain'].big.k1 = bin())],
    ['the HEAVY layer moved by reference into DATA', (d) => void (d['domain'].moved = d['heavy'])],
    ['a HEAVY group moved by reference into DATA', (d) => void (d['domain'].moved = d['heavy'].group)],
    ['data in the HEAVY layer', (d) => void (d['heavy'].x = 'text')],
    ['a DATA subtree moved by reference into HEAVY', (d) => void (d['heavy'].moved = d['domain'].list)],
    ['a DATA object moved under a heavy_ key', (d) => void (d['domain'].heavy_x = d['domain'].obj)],
    ['an array of numbers under a heavy_ key', (d) => void (d['domain'].heavy_y = [1, 2])],
  ])('engine.edit refuses %s', async (_label, recipe) => {
    const big: Record<string, number> = {};
    for (let i = 0; i < 100; i++) big[`k${String(i)}`] = i;
    const engine = new Engine<Record<string, any>>({
      context: { domain: { list: [1], big, obj: { n: 1 } }, heavy: { group: { f: bin() } } },
    });
    await expect(engine.edit(recipe)).rejects.toBeInstanceOf(Error);
    expect(engine.version).toBe(0);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a binary at a DATA path', { 'domain.x': new Uint8Array(new SharedArrayBuffer(8)) }],
    ['a binary inside a DATA object', { 'domain.x': { y: new Uint8Array(8) } }],
    ['text at a HEAVY path', { 'heavy.x': 'text' }],
    ['text under a heavy_ key', { 'domain.heavy_x': 'text' }],
    ['an object with a number under a heavy_ key', { 'domain.x': { heavy_n: 1 } }],
  ])('compareAndSwap refuses %s', async (_label, data) => {
    const engine = new Engine<Record<string, any>>({ context: { domain: {}, heavy: {} } });
    await expect(engine.compareAndSwap(0, { data })).rejects.toBeInstanceOf(Error);
    expect(engine.version).toBe(0);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
