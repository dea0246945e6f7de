import { describe, expect, it } from 'vitest';
import { TheusError } from '../errors/index.js';
import { SignalHub } from './index.js';

describe('ending a subscription', () => {
  it('close() ends a pending next(), discards buffered messages and detaches', async () => {
    const hub = new SignalHub();
    const idle = hub.subscribe('z');
    const pending = idle.next();
    const busy = hub.subscribe('x');
    hub.publish('y');
    hub.publish('x');
    idle.close();
    busy.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await idle.next()).toEqual({ value: undefined, done: true });
    expect(await busy.next()).toEqual({ value: undefined, done: true });
    expect(busy.closed).toBe(true);
    expect(hub.subscriberCount).toBe(0);
    hub.publish('x');
    expect(await busy.next()).toEqual({ value: undefined, done: true });
  });

  it('an AbortSignal ends it, even one aborted before subscribing', async () => {
    const hub = new SignalHub();
    const controller = new AbortController();
    const sub = hub.subscribe('t', { signal: controller.signal });
    const pending = sub.next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount).toBe(0);
    const late = hub.subscribe('t', { signal: controller.signal });
    expect(late.closed).toBe(true);
    expect(hub.subscriberCount).toBe(0);
    expect(await late.next()).toEqual({ value: undefined, done: true });
  });

  it('break and a throwing loop body close it through return()', async () => {
    const hub = new SignalHub();
    const broken = hub.subscribe();
    const thrown = hub.subscribe();
    hub.publish('t', 1);
    hub.publish('t', 2);
    for await (const message of broken) if (message.seq === 1) break;
    await expect(
      (async () => {
        for await (const message of thrown) throw new Error(`boom ${message.seq}`);
      })(),
    ).rejects.toThrow('boom 1');
    expect(broken.closed && thrown.closed).toBe(true);
    expect(hub.subscriberCount).toBe(0);
    expect(await broken.next()).toEqual({ value: undefined, done: true });
  });
});

describe('closing the hub', () => {
  it('lets subscribers drain what they hold, then ends them', async () => {
    const hub = new SignalHub();
    const holding = hub.subscribe();
    const waiting = hub.subscribe('other');
    const pending = waiting.next();
    hub.publish('t', 'a');
    hub.publish('t', 'b');
    hub.close();
    const got: unknown[] = [];
    for await (const message of holding) got.push(message.payload);
    expect(got).toEqual(['a', 'b']);
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount).toBe(0);
  });

  it('then refuses publish and subscribe with SIGNAL_CLOSED but keeps latest', () => {
    const hub = new SignalHub();
    hub.publish('t', 1);
    hub.close();
    hub.close();
    expect(hub.closed).toBe(true);
    for (const action of [() => hub.publish('t', 2), () => hub.subscribe('t')]) {
      const error: unknown = (() => {
        try {
          action();
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(TheusError);
      expect((error as TheusError).code).toBe('SIGNAL_CLOSED');
    }
    expect(hub.latest).toEqual({ t: 1 });
  });
});
