import { describe, expect, it } from 'vitest';
import { SignalHub, type SignalMessage, type SignalSubscription } from './index.js';

/** Reads `count` messages with `next()`, failing the test if the subscription ends first. */
async function take(subscription: SignalSubscription, count: number): Promise<SignalMessage[]> {
  const out: SignalMessage[] = [];
  for (let i = 0; i < count; i++) {
    const result = await subscription.next();
    if (result.done === true) throw new Error(`ended after ${i} messages`);
    out.push(result.value);
  }
  return out;
}

describe('SignalHub delivery', () => {
  it('delivers in publish order with topic, payload, seq and version', async () => {
    const hub = new SignalHub();
    hub.publish('before', 0);
    const sub = hub.subscribe();
    const returned = hub.publish('a', 1);
    hub.publish('b', 2, 7);
    hub.publish('a', 3);
    const got = await take(sub, 3);
    expect(got).toEqual([
      { topic: 'a', payload: 1, seq: 2 },
      { topic: 'b', payload: 2, seq: 3, version: 7 },
      { topic: 'a', payload: 3, seq: 4 },
    ]);
    expect(got[0]).toBe(returned);
    expect('version' in got[0]!).toBe(false);
  });

  it('filters by exact topic, by a list, by a trailing-* prefix and by *', async () => {
    const hub = new SignalHub();
    const exact = hub.subscribe('order.created');
    const list = hub.subscribe(['order.paid', 'user.login']);
    const prefix = hub.subscribe('order.*');
    const bare = hub.subscribe('ord*');
    const every = hub.subscribe('*');
    for (const topic of ['order.created', 'order', 'order.paid', 'user.login', 'orders']) hub.publish(topic);
    hub.close();
    const topics = async (s: SignalSubscription): Promise<string[]> => {
      const out: string[] = [];
      for await (const m of s) out.push(m.topic);
      return out;
    };
    expect(await topics(exact)).toEqual(['order.created']);
    expect(await topics(list)).toEqual(['order.paid', 'user.login']);
    expect(await topics(prefix)).toEqual(['order.created', 'order.paid']);
    expect(await topics(bare)).toEqual(['order.created', 'order', 'order.paid', 'orders']);
    expect(await topics(every)).toHaveLength(5);
  });

  it('reaches exactly the subscribers open at each publish of the same topic', async () => {
    const hub = new SignalHub();
    const payloads = async (s: SignalSubscription): Promise<unknown[]> => {
      const out: unknown[] = [];
      for await (const m of s) out.push(m.payload);
      return out;
    };
    const first = hub.subscribe('t');
    hub.publish('t', 1);
    const second = hub.subscribe('t*');
    hub.publish('t', 2);
    const stopped = hub.subscribe('t');
    hub.publish('t', 3);
    stopped.close();
    const other = hub.subscribe('u');
    hub.publish('t', 4);
    hub.close();
    expect(await payloads(first)).toEqual([1, 2, 3, 4]);
    expect(await payloads(second)).toEqual([2, 3, 4]);
    expect(await payloads(stopped)).toEqual([]);
    expect(await payloads(other)).toEqual([]);
  });

  it('wakes a waiting consumer on publish, and serves concurrent next() calls in order', async () => {
    const hub = new SignalHub();
    const sub = hub.subscribe('t');
    const first = sub.next();
    const second = sub.next();
    hub.publish('t', 'x');
    hub.publish('t', 'y');
    expect((await first).value?.payload).toBe('x');
    expect((await second).value?.payload).toBe('y');
  });

  it('keeps payload identity and type (no cloning, no serialisation)', async () => {
    const hub = new SignalHub();
    const a = hub.subscribe();
    const b = hub.subscribe();
    const payload = { items: [1, 2], when: new Date(0), bytes: new Float32Array(4) };
    hub.publish('p', payload);
    const [[fromA], [fromB]] = await Promise.all([take(a, 1), take(b, 1)]);
    expect(fromA!.payload).toBe(payload);
    expect(fromB!.payload).toBe(payload);
    expect(Object.isFrozen(payload)).toBe(false);
  });

  it('delivers to many subscribers and forgets each one once closed', async () => {
    const hub = new SignalHub();
    const subs = Array.from({ length: 1000 }, () => hub.subscribe('fan'));
    expect(hub.subscriberCount).toBe(1000);
    hub.publish('fan', 42);
    for (const sub of subs) expect((await take(sub, 1))[0]!.payload).toBe(42);
    for (const sub of subs) sub.close();
    expect(hub.subscriberCount).toBe(0);
  });

  it('publishes with no subscriber and records latest', () => {
    const hub = new SignalHub();
    expect(hub.publish('lonely', 1).seq).toBe(1);
    expect(hub.latest).toEqual({ lonely: 1 });
  });
});

describe('SignalHub.latest', () => {
  it('is a frozen null-prototype snapshot of the latest payload per topic', () => {
    const hub = new SignalHub();
    const payload = { n: 1 };
    hub.publish('a', 1);
    hub.publish('a', payload);
    hub.publish('__proto__', 'safe');
    const before = hub.latest;
    expect(Object.getPrototypeOf(before)).toBe(null);
    expect(Object.isFrozen(before)).toBe(true);
    expect(before.a).toBe(payload);
    expect(Object.keys(before)).toEqual(['a', '__proto__']);
    expect(before.__proto__).toBe('safe');
    hub.publish('b', 2);
    expect(Object.keys(before)).toEqual(['a', '__proto__']);
    expect(hub.latest.b).toBe(2);
    expect(hub.latest).toBe(hub.latest);
  });
});

describe('SignalHub argument checks', () => {
  it('rejects bad topics with TypeError', () => {
    const hub = new SignalHub();
    expect(() => hub.publish('')).toThrow(TypeError);
    expect(() => hub.publish(42 as unknown as string)).toThrow(TypeError);
    expect(() => hub.subscribe([])).toThrow(TypeError);
    expect(() => hub.subscribe([''])).toThrow(TypeError);
    expect(() => hub.subscribe([null as unknown as string])).toThrow(TypeError);
    expect(hub.subscriberCount).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number])(
    'rejects bufferSize %s with RangeError',
    (size) => {
      expect(() => new SignalHub({ bufferSize: size })).toThrow(RangeError);
      expect(() => new SignalHub().subscribe(undefined, { bufferSize: size })).toThrow(/bufferSize must be a positive integer/);
    },
  );
});
