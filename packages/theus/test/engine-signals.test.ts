import { describe, expect, it } from 'vitest';
import { AuditBlockError, Engine, process, SchemaViolationError, type SignalMessage } from 'theus';
import { z } from 'zod';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what a subscription delivers until `count` messages arrived. */
async function take(iterator: AsyncIterator<SignalMessage>, count: number): Promise<SignalMessage[]> {
  const out: SignalMessage[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

const emit = process({ name: 'emit', inputs: ['domain.n'], outputs: ['domain.n', 'signal'] }, (ctx, args: { payload: unknown }) => {
  ctx.signal('cmd_go', args.payload);
  return (ctx.domain.n as number) + 1;
});

describe('engine.signals', () => {
  it('publishes a committed signal once, after its commit, with its payload type intact', async () => {
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [emit] });
    const subscription = engine.signals.subscribe('cmd_go');
    const seenVersions: number[] = [];
    const payload = { nested: [1, 2], at: 3 };
    engine.on('commit', (e) => seenVersions.push(e.version));
    await engine.execute('emit', { payload });
    const [message] = await take(subscription, 1);
    expect(message?.topic).toBe('cmd_go');
    expect(message?.payload).toEqual(payload);
    expect(message?.version).toBe(1);
    expect(seenVersions).toEqual([1]);
    expect(engine.signals.latest).toMatchObject({ cmd_go: payload });
    subscription.close();
  });

  it('latest holds the signals of the current version only: the next commit clears them', async () => {
    const quiet = process({ name: 'quiet', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [emit, quiet] });
    await engine.execute('emit', { payload: 7 });
    expect({ ...engine.signals.latest }).toEqual({ cmd_go: 7 });
    engine.signals.publish('direct', 1);
    expect({ ...engine.signals.latest }).toEqual({ cmd_go: 7 });
    await engine.execute('quiet');
    expect({ ...engine.signals.latest }).toEqual({});
  });

  it('publishes nothing for a run that fails or a commit the schema rejects', async () => {
    const schema = z.object({ domain: z.object({ n: z.number().max(1) }) });
    const failing = process({ name: 'failing', outputs: ['signal'] }, (ctx) => {
      ctx.signal('cmd_go', 1);
      throw new AuditBlockError('AUDIT_BLOCK', 'blocked on purpose');
    });
    const engine = new Engine({ context: { domain: { n: 1 } }, processes: [emit, failing], schema });
    const subscription = engine.signals.subscribe();
    await expect(engine.execute('failing')).rejects.toBeInstanceOf(AuditBlockError);
    await expect(engine.execute('emit', { payload: 'x' })).rejects.toBeInstanceOf(SchemaViolationError);
    engine.signals.publish('marker', 'direct');
    const [first] = await take(subscription, 1);
    expect(first?.topic).toBe('marker');
    expect(engine.version).toBe(0);
  });

  it('publishes a retried run’s signal exactly once', async () => {
    const slow = process({ name: 'slow', inputs: ['domain.n'], outputs: ['domain.n', 'signal'] }, async (ctx) => {
      const seen = ctx.domain.n as number;
      ctx.signal('cmd_slow', seen);
      await tick(5);
      return seen + 1;
    });
    const bump = process({ name: 'bump', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [slow, bump] });
    const subscription = engine.signals.subscribe('cmd_slow');
    let conflicts = 0;
    engine.on('conflict', () => conflicts++);
    const running = engine.execute('slow');
    await engine.execute('bump');
    await running;
    engine.signals.publish('cmd_slow', 'end');
    const messages = await take(subscription, 2);
    expect(conflicts).toBeGreaterThan(0);
    expect(messages.map((m) => m.payload)).toEqual([1, 'end']);
  });

  it('ends subscriptions when the engine closes', async () => {
    const engine = new Engine({ context: { domain: { n: 0 } } });
    const subscription = engine.signals.subscribe();
    await engine.close();
    await expect(subscription.next()).resolves.toMatchObject({ done: true });
  });
});
