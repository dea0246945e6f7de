/**
 * The outbox through the engine: messages exist only for commits (never for failed, blocked or
 * retried attempts), are delivered after their commit in commit order per topic, retried, kept as
 * dead letters, and `engine.close()` waits for handlers in flight.
 */
import { describe, expect, it } from 'vitest';
import { Engine, process, type OutboxEnvelope } from 'theus';

const order = process(
  { name: 'order', inputs: ['domain.orders'], outputs: ['domain.orders'] },
  (ctx, { id, fail }: { id: string; fail?: boolean }) => {
    ctx.outbox.add('order.placed', { id });
    if (fail === true) throw new Error('payment refused');
    (ctx.domain.orders as Record<string, boolean>)[id] = true;
  },
);

function engine(options: { outbox?: object; audit?: object } = {}): Engine {
  return new Engine({ context: { domain: { orders: {} } }, processes: [order], ...options });
}

/** Resolves once `count` messages were handled. */
function collect(target: Engine, topic: string, count: number): { messages: OutboxEnvelope[]; done: Promise<void> } {
  const messages: OutboxEnvelope[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  target.outbox.on(topic, (message) => {
    messages.push(message);
    if (messages.length === count) finish();
  });
  return { messages, done };
}

describe('engine.outbox', () => {
  it('delivers the messages of commits, in commit order, with their ids', async () => {
    const e = engine();
    const { messages, done } = collect(e, 'order.placed', 3);
    for (const id of ['a', 'b', 'c']) await e.execute(order, { id });
    await done;
    expect(messages.map((message) => [message.id, message.payload, message.version, message.attempts])).toEqual([
      ['v1.0', { id: 'a' }, 1, 0],
      ['v2.0', { id: 'b' }, 2, 0],
      ['v3.0', { id: 'c' }, 3, 0],
    ]);
    expect(Object.isFrozen(messages[0])).toBe(true);
    await e.close();
    expect(await e.outbox.pending()).toEqual([]);
  });

  it('enqueues nothing for a failed run or an audit-blocked run', async () => {
    const audit = { process_recipes: { order: { inputs: [{ field: 'id', max_len: 3, level: 'B' }] } } };
    const e = engine({ audit });
    await expect(e.execute(order, { id: 'x', fail: true })).rejects.toThrow(/payment refused/);
    await expect(e.execute(order, { id: 'too long' })).rejects.toMatchObject({ code: 'AUDIT_BLOCK' });
    expect(e.version).toBe(0);
    expect(await e.outbox.pending()).toEqual([]);
    await e.close();
  });

  it('enqueues the messages of the attempt that committed only, when a conflict re-ran the process', async () => {
    let runs = 0;
    const slow = process({ name: 'slow', inputs: ['domain.orders'], outputs: ['domain.orders'] }, async (ctx) => {
      runs++;
      ctx.outbox.add('slow', { run: runs });
      await new Promise((resolve) => setTimeout(resolve, 5));
      // Reads every order: an order committed meanwhile conflicts.
      (ctx.domain.orders as Record<string, unknown>)['slow'] = Object.keys(ctx.domain.orders).length;
    });
    const e = new Engine({ context: { domain: { orders: {} } }, processes: [order, slow] });
    const running = e.execute(slow);
    await e.execute(order, { id: 'a' });
    await running;
    expect(runs).toBe(2);
    const pending = await e.outbox.pending();
    expect(pending.filter((message) => message.topic === 'slow').map((message) => message.payload)).toEqual([{ run: 2 }]);
    await e.close();
  });

  it('retries a failing handler with back-off, then keeps a dead letter until retry(id)', async () => {
    const e = engine({ outbox: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4 } });
    const attempts: number[] = [];
    let healthy = false;
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    e.outbox.on('order.placed', (message) => {
      attempts.push(message.attempts);
      if (!healthy) throw new Error('mail server down');
      delivered();
    });
    await e.execute(order, { id: 'a' });
    for (let i = 0; i < 100 && (await e.outbox.deadLetters()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const [dead] = await e.outbox.deadLetters();
    expect(dead).toMatchObject({ id: 'v1.0', status: 'dead', attempts: 3, lastError: 'mail server down' });
    expect(attempts).toEqual([0, 1, 2]);
    healthy = true;
    await e.outbox.retry('v1.0');
    await done;
    expect(attempts).toEqual([0, 1, 2, 0]);
    await expect(e.outbox.retry('v1.0')).rejects.toMatchObject({ code: 'OUTBOX_UNKNOWN_MESSAGE' });
    await e.close();
  });

  it('close() waits for a handler in flight, and nothing is delivered after it', async () => {
    const e = engine();
    let finish!: () => void;
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let finished = false;
    e.outbox.on('order.placed', async () => {
      started();
      await new Promise<void>((resolve) => (finish = resolve));
      finished = true;
    });
    await e.execute(order, { id: 'a' });
    await inFlight;
    let closed = false;
    const closing = e.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(finished).toBe(true);
    expect(() => e.outbox.on('other', () => undefined)).toThrow(expect.objectContaining({ code: 'ENGINE_CLOSED' }) as Error);
  });

  it('refuses a second handler for a topic and bad outbox options', () => {
    const e = engine();
    e.outbox.on('order.placed', () => undefined);
    expect(() => e.outbox.on('order.placed', () => undefined)).toThrow(expect.objectContaining({ code: 'OUTBOX_HANDLER_EXISTS' }) as Error);
    expect(() => engine({ outbox: { maxAttempts: 0 } })).toThrow(expect.objectContaining({ code: 'ENGINE_INVALID_OPTION' }) as Error);
    expect(() => engine({ outbox: { retries: 3 } })).toThrow(/outbox/);
  });
});
