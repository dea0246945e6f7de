import { describe, expect, it } from 'vitest';
import { Engine, process, update } from 'theus';
import { codeOf } from './expect-failure.js';

const context = () => ({ domain: { balance: 10, secret: 's' }, other: { secret: 'o' } });

describe('attack: a signal topic is a topic, never a path', () => {
  it('ctx.signal with a dotted topic writes only the signal layer and is published under that topic', async () => {
    const engine = new Engine({ context: context() });
    const sub = engine.signals.subscribe(['order.created', 'other.secret', 'domain.balance']);
    const emit = process({ name: 'emit', outputs: ['signal'] }, (ctx) => {
      ctx.signal('other.secret', 'pwned');
      ctx.signal('domain.balance', 1_000_000);
      ctx.signal('order.created', { id: 7 });
    });
    await engine.execute(emit);
    expect(engine.state).toMatchObject(context());
    expect((engine.state as Record<string, unknown>).signal).toEqual({
      'other.secret': 'pwned',
      'domain.balance': 1_000_000,
      'order.created': { id: 7 },
    });
    expect(engine.signals.latest['order.created']).toEqual({ id: 7 });
    const received: string[] = [];
    for await (const message of sub) {
      received.push(message.topic);
      if (received.length === 3) break;
    }
    expect(received.sort()).toEqual(['domain.balance', 'order.created', 'other.secret']);
  });

  it('update({ signals }) with path-like topics cannot write DATA in any layer', async () => {
    const engine = new Engine({ context: context() });
    const sneaky = process({ name: 'sneaky', outputs: ['signal'] }, () =>
      update({}, { signals: { 'domain.balance': 1, 'other.secret': 2, 'global.admin': true } }),
    );
    await engine.execute(sneaky);
    expect(engine.state).toMatchObject(context());
    expect((engine.state as Record<string, unknown>).global).toBeUndefined();
  });

  it.each(['', '__proto__', 'constructor', 'prototype', 'x'.repeat(257)])('refuses the topic %j', async (topic) => {
    const engine = new Engine({ context: context() });
    const viaCtx = process({ name: 'viaCtx', outputs: ['signal'] }, (ctx) => ctx.signal(topic, 1));
    expect(await codeOf(engine.execute(viaCtx))).toBe('CONTRACT_BAD_ARGS');
    const viaUpdate = process({ name: 'viaUpdate', outputs: ['signal'] }, () => update({}, { signals: { [topic]: 1 } }));
    expect(await codeOf(engine.execute(viaUpdate))).toBe('CONTRACT_BAD_ARGS');
    const viaOutbox = process({ name: 'viaOutbox', outputs: ['domain.balance'] }, (ctx) => ctx.outbox.add(topic, 1));
    expect(await codeOf(engine.execute(viaOutbox))).toBe('CONTRACT_BAD_ARGS');
    expect(engine.version).toBe(0);
  });

  it('refuses non-string topics', async () => {
    const engine = new Engine({ context: context() });
    for (const [i, topic] of [1, null, {}, Symbol('s')].entries()) {
      const p = process({ name: `bad${i}`, outputs: ['signal'] }, (ctx) => ctx.signal(topic as never, 1));
      expect(await codeOf(engine.execute(p))).toBe('CONTRACT_BAD_ARGS');
    }
  });

  it('a process without a signal output cannot emit, whatever the topic', async () => {
    const engine = new Engine({ context: context() });
    const p = process({ name: 'p', outputs: ['domain.balance'] }, (ctx) => ctx.signal('domain.balance', 5));
    expect(await codeOf(engine.execute(p))).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(engine.state.domain.balance).toBe(10);
  });

  it('compareAndSwap signals are topics too', async () => {
    const engine = new Engine({ context: context() });
    await engine.compareAndSwap(0, { signals: { 'domain.balance': 0 } });
    expect(engine.state.domain.balance).toBe(10);
    expect(engine.signals.latest['domain.balance']).toBe(0);
  });

  it('signals are transient: the next commit that does not set them clears them', async () => {
    const engine = new Engine({ context: context() });
    const emit = process({ name: 'emit', outputs: ['signal'] }, (ctx) => ctx.signal('a.b', 1));
    const bump = process({ name: 'bump', outputs: ['domain.balance'] }, (ctx) => void (ctx.domain.balance += 1));
    await engine.execute(emit);
    await engine.execute(bump);
    expect(engine.signals.latest).toEqual({});
  });

  it('training mode keeps topics in the signal layer and refuses prototype keys', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const emit = process({ name: 'emit', outputs: ['signal'] }, (ctx) => ctx.signal('domain.balance', 99));
    await engine.execute(emit);
    expect(engine.state.domain.balance).toBe(10);
    const proto = process({ name: 'proto', outputs: ['signal'] }, (ctx) => ctx.signal('__proto__', { polluted: true }));
    expect(await codeOf(engine.execute(proto))).toBe('CONTRACT_BAD_ARGS');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
