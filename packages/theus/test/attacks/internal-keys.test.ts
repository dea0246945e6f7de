import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Engine, process, update } from 'theus';
import { codeOf } from './expect-failure.js';

const context = () => ({
  domain: { box: { a: 1 }, other: { b: 2 }, internal_secret: 's3cret', vault: { open: 1, internal_pin: '1234' } },
});

/** A proxy that records every key its traps receive. */
function spy(target: object = {}): { proxy: object; keys: (string | symbol)[] } {
  const keys: (string | symbol)[] = [];
  const record = (key: string | symbol): void => void keys.push(key);
  const proxy = new Proxy(target, {
    get: (t, k, r) => (record(k), Reflect.get(t, k, r) as unknown),
    has: (t, k) => (record(k), Reflect.has(t, k)),
    getOwnPropertyDescriptor: (t, k) => (record(k), Reflect.getOwnPropertyDescriptor(t, k)),
    ownKeys: (t) => Reflect.ownKeys(t),
    getPrototypeOf: (t) => Reflect.getPrototypeOf(t),
  });
  return { proxy, keys };
}

describe('attack: engine-internal keys never reach user code', () => {
  it('a Proxy returned as an output never receives a symbol, and is refused as state', async () => {
    const engine = new Engine({ context: context() });
    const { proxy, keys } = spy({ a: 9 });
    const leak = process({ name: 'leak', outputs: ['domain.box'] }, () => proxy);
    expect(await codeOf(engine.execute(leak))).toBe('TX_INVALID_VALUE');
    expect(keys.filter((k) => typeof k === 'symbol')).toEqual([]);
    expect(engine.version).toBe(0);
  });

  it('a Proxy written at a key, pushed, nested, passed to ctx.signal or update() never receives a symbol', async () => {
    const engine = new Engine({ context: context() });
    const seen: (string | symbol)[] = [];
    const variants = [
      (ctx: { domain: { box: Record<string, unknown> } }, p: object) => void (ctx.domain.box.x = p),
      (ctx: { domain: { box: Record<string, unknown> } }, p: object) => void (ctx.domain.box.x = [p]),
      (ctx: { domain: { box: Record<string, unknown> } }, p: object) => void (ctx.domain.box.x = { deep: { p } }),
    ];
    for (const [i, write] of variants.entries()) {
      const { proxy, keys } = spy();
      const p = process({ name: `write${i}`, outputs: ['domain.box'] }, (ctx) => write(ctx as never, proxy));
      await expect(engine.execute(p)).rejects.toThrow();
      seen.push(...keys);
    }
    const { proxy, keys } = spy();
    const signal = process({ name: 'sig', outputs: ['signal'] }, (ctx) => ctx.signal('topic', proxy));
    await expect(engine.execute(signal)).rejects.toThrow();
    const viaUpdate = process({ name: 'upd', outputs: ['domain.box'] }, () => update({ 'domain.box': proxy }));
    await expect(engine.execute(viaUpdate)).rejects.toThrow();
    seen.push(...keys);
    expect(seen.filter((k) => typeof k === 'symbol')).toEqual([]);
    expect(engine.version).toBe(0);
  });

  it('a Proxy returned as the whole result is classified without running its traps with internal keys', async () => {
    const engine = new Engine({ context: context() });
    const { proxy, keys } = spy({});
    const p = process({ name: 'p', outputs: ['domain.box', 'domain.other'] }, () => proxy);
    await expect(engine.execute(p)).rejects.toThrow();
    expect(keys.filter((k) => typeof k === 'symbol')).toEqual([]);
  });

  it('drafts expose no symbol-keyed or hidden properties', async () => {
    const engine = new Engine({ context: context() });
    const probe = process({ name: 'probe', outputs: ['domain.box'] }, (ctx) => {
      const draft = ctx.domain.box as object;
      return {
        symbols: Object.getOwnPropertySymbols(draft).length,
        own: Reflect.ownKeys(draft).map(String),
        proto: Object.getPrototypeOf(draft) === Object.prototype,
      };
    });
    const seen = await engine.execute(probe);
    expect(seen).toEqual({ symbols: 0, own: ['a'], proto: true });
  });

  it('util.inspect of a draft shows only its declared data, never the session or the committed root', async () => {
    const engine = new Engine({ context: context() });
    let printed = '';
    let printedCtx = '';
    const look = process({ name: 'look', outputs: ['domain.vault', 'domain.box'] }, (ctx) => {
      ctx.domain.box.a = 5;
      printed = inspect(ctx.domain.vault, { depth: 10, showHidden: true });
      printedCtx = inspect(ctx, { depth: 10, showHidden: true }) + inspect(ctx.domain.box, { depth: 10 });
    });
    await engine.execute(look);
    expect(printed).toContain('open');
    expect(printed).not.toContain('1234');
    expect(printed).not.toContain('internal_pin');
    for (const text of [printed, printedCtx]) {
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('session');
      expect(text).not.toContain('DraftNode');
      expect(text).not.toContain('other');
    }
    expect(printedCtx).toContain('a: 5');
  });

  it('a draft held after its run is dead, and inspecting it shows nothing', async () => {
    const engine = new Engine({ context: context() });
    let held: Record<string, unknown> = {};
    const keep = process({ name: 'keep', outputs: ['domain.box'] }, (ctx) => {
      held = ctx.domain.box;
    });
    await engine.execute(keep);
    expect(() => held.a).toThrow(/after its run ended/);
    expect(() => (held.a = 2)).toThrow(/after its run ended/);
    expect(inspect(held)).not.toContain('a: 1');
    expect(engine.state.domain.box).toEqual({ a: 1 });
  });

  it('a draft from one run stored by another run is refused', async () => {
    const engine = new Engine({ context: context() });
    let held: unknown;
    const keep = process({ name: 'keep', outputs: ['domain.box'] }, (ctx) => {
      held = ctx.domain.box;
    });
    await engine.execute(keep);
    const store = process({ name: 'store', outputs: ['domain.other'] }, (ctx) => {
      ctx.domain.other.b = held;
    });
    expect(['CONTRACT_REVOKED', 'TX_INVALID_VALUE']).toContain(await codeOf(engine.execute(store)));
    expect(engine.version).toBe(0);
  });
});
