import { describe, expect, it } from 'vitest';
import { SignalLagError } from '../errors/index.js';
import { SignalHub, type SignalMessage } from './index.js';

const seqs = (batch: readonly SignalMessage[]): number[] => batch.map((m) => m.seq);

describe('SignalSubscription.batches()', () => {
  it('wakes a waiting consumer once for a burst, in publish order, filtered', async () => {
    const hub = new SignalHub();
    const batches = hub.subscribe('a*').batches();
    const first = batches.next();
    for (let i = 0; i < 5; i++) hub.publish(i % 2 === 0 ? 'a' : 'b', i);
    const got = await first;
    expect(got.done).toBe(false);
    expect((got.value as readonly SignalMessage[]).map((m) => m.payload)).toEqual([0, 2, 4]);
    hub.publish('a', 5);
    hub.publish('a', 6);
    expect(seqs((await batches.next()).value as readonly SignalMessage[])).toEqual([6, 7]);
  });

  it('drains what was buffered, then ends once the hub closes; for await works', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe();
    for (let i = 0; i < 3; i++) hub.publish('t', i);
    const seen: number[][] = [];
    const done = (async () => {
      for await (const batch of sub.batches()) seen.push(batch.map((m) => m.payload as number));
    })();
    await Promise.resolve();
    hub.publish('t', 3);
    hub.publish('t', 4);
    hub.close();
    await done;
    expect(seen.flat()).toEqual([0, 1, 2, 3, 4]);
    expect(seen[0]).toEqual([0, 1, 2]);
  });

  it('reports a burst past the buffer as lag, then resumes with the newest messages', async () => {
    const hub = new SignalHub({ bufferSize: 4 });
    const sub = hub.subscribe('t');
    const batches = sub.batches();
    const waiting = batches.next();
    for (let i = 1; i <= 10; i++) hub.publish('t', i);
    const error: unknown = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalLagError);
    expect((error as SignalLagError).details).toMatchObject({ missed: 6 });
    expect(((await batches.next()).value as readonly SignalMessage[]).map((m) => m.payload)).toEqual([7, 8, 9, 10]);
    expect(sub.missed).toBe(6);
    const buffered = hub.subscribe('t', { bufferSize: 2 }).batches();
    for (let i = 1; i <= 3; i++) hub.publish('t', i);
    await expect(buffered.next()).rejects.toBeInstanceOf(SignalLagError);
    expect(((await buffered.next()).value as readonly SignalMessage[]).map((m) => m.payload)).toEqual([2, 3]);
  });

  it('shares one buffer with next(): every message reaches exactly one of them, calls served in order', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe('t');
    const batches = sub.batches();
    const one = sub.next();
    const many = batches.next();
    const another = sub.next();
    for (let i = 1; i <= 4; i++) hub.publish('t', i);
    expect((await one).value?.payload).toBe(1);
    expect(((await many).value as readonly SignalMessage[]).map((m) => m.payload)).toEqual([2, 3, 4]);
    const pending = await Promise.race([another, new Promise((resolve) => setTimeout(() => resolve('pending'), 5))]);
    expect(pending).toBe('pending');
    hub.publish('t', 5);
    expect((await another).value?.payload).toBe(5);
  });

  it('closing discards the gathered batch; return() closes the subscription', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe('t');
    const waiting = sub.batches().next();
    hub.publish('t', 1);
    sub.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
    const other = hub.subscribe('t');
    const loop = (async () => {
      for await (const batch of other.batches()) {
        expect(batch).toHaveLength(1);
        break;
      }
    })();
    hub.publish('t', 2);
    await loop;
    expect(other.closed).toBe(true);
    expect(hub.subscriberCount).toBe(0);
  });

  it('a batch belongs to its consumer: later deliveries never change it', async () => {
    const hub = new SignalHub();
    const batches = hub.subscribe('t').batches();
    const waiting = batches.next();
    hub.publish('t', 1);
    const batch = (await waiting).value as readonly SignalMessage[];
    hub.publish('t', 2);
    await batches.next();
    expect(batch.map((m) => m.payload)).toEqual([1]);
  });
});
