import { describe, expect, it } from 'vitest';
import { SignalLagError } from '../errors/index.js';
import { SignalHub, type SignalSubscription } from './index.js';

/** The settled outcome of one `next()`: a seq, 'done', or the lag error's missed count. */
async function step(subscription: SignalSubscription): Promise<number | 'done' | { lag: number }> {
  try {
    const result = await subscription.next();
    return result.done === true ? 'done' : result.value.seq;
  } catch (error) {
    if (!(error instanceof SignalLagError)) throw error;
    expect(error.code).toBe('SIGNAL_LAG');
    return { lag: error.details.missed as number };
  }
}

const publish = (hub: SignalHub, count: number, topic = 't'): void => {
  for (let i = 0; i < count; i++) hub.publish(topic, i);
};

describe('a subscriber that falls behind', () => {
  it('keeps exactly 100 messages by default', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe();
    publish(hub, 100);
    for (let seq = 1; seq <= 100; seq++) expect(await step(sub)).toBe(seq);
    publish(hub, 101);
    expect(await step(sub)).toEqual({ lag: 1 });
    expect(await step(sub)).toBe(102);
    expect(sub.missed).toBe(1);
  });

  it('gets one SignalLagError with the exact missed count, then resumes from the oldest retained', async () => {
    const hub = new SignalHub({ bufferSize: 5 });
    const sub = hub.subscribe('order.*', { bufferSize: 3 });
    publish(hub, 10, 'order.new');
    const error = await sub.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalLagError);
    expect((error as SignalLagError).details).toEqual({ missed: 7, topics: ['order.*'] });
    expect((error as SignalLagError).message).toMatch(/missed 7 message/);
    expect([await step(sub), await step(sub), await step(sub)]).toEqual([8, 9, 10]);
    publish(hub, 5, 'order.new');
    expect(await step(sub)).toEqual({ lag: 2 });
    expect(sub.missed).toBe(9);
    expect([await step(sub), await step(sub), await step(sub)]).toEqual([13, 14, 15]);
  });

  it('uses the hub default buffer size', async () => {
    const hub = new SignalHub({ bufferSize: 2 });
    const sub = hub.subscribe();
    publish(hub, 3);
    expect(await step(sub)).toEqual({ lag: 1 });
  });

  it('can re-enter for await on the same subscription after catching the lag error', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe('t', { bufferSize: 4 });
    publish(hub, 10);
    hub.close();
    const seen: number[] = [];
    const missed: number[] = [];
    for (;;) {
      try {
        for await (const message of sub) seen.push(message.seq);
        break;
      } catch (error) {
        if (!(error instanceof SignalLagError)) throw error;
        missed.push(error.details.missed as number);
      }
    }
    expect(missed).toEqual([6]);
    expect(seen).toEqual([7, 8, 9, 10]);
  });

  it('does not lag while a consumer keeps up', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe(undefined, { bufferSize: 1 });
    for (let seq = 1; seq <= 50; seq++) {
      const pending = step(sub);
      hub.publish('t', seq);
      expect(await pending).toBe(seq);
    }
    expect(sub.missed).toBe(0);
  });
});
