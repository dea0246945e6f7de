import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContractViolationError, TheusError } from '../../src/errors/index.js';
import type { OutboxEnvelope } from '../../src/store/store.js';
import { advance, deferred, envelope, flush, setup } from './outbox-helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('OutboxDispatcher delivery', () => {
  it('delivers each message once as a frozen envelope, then forgets it in memory and in the ledger', async () => {
    const { dispatcher, ledger, commit } = setup();
    const seen: OutboxEnvelope[] = [];
    dispatcher.on('mail', (message) => {
      seen.push(message);
    });
    commit(envelope(1, 0, 'mail', { to: 'a' }), envelope(1, 1, 'mail', { to: 'b' }));
    await flush();
    expect(seen).toEqual([
      { id: 'v1.0', topic: 'mail', payload: { to: 'a' }, version: 1, attempts: 0 },
      { id: 'v1.1', topic: 'mail', payload: { to: 'b' }, version: 1, attempts: 0 },
    ]);
    expect(seen.every((m) => Object.isFrozen(m))).toBe(true);
    expect(Object.keys(seen[0]!).sort()).toEqual(['attempts', 'id', 'payload', 'topic', 'version']);
    expect(dispatcher.pending()).toEqual([]);
    expect(ledger.undelivered()).toEqual([]);
    expect(ledger.calls).toEqual(['delivered v1.0', 'delivered v1.1']);
  });

  it('never calls a handler inside enqueue or on', async () => {
    const { dispatcher, commit } = setup();
    const handler = vi.fn();
    commit(envelope(1, 0, 't'));
    dispatcher.on('t', handler);
    commit(envelope(2, 0, 't'));
    expect(handler).not.toHaveBeenCalled();
    await flush();
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('keeps commit order per topic across retries, while other topics go on', async () => {
    const { dispatcher, commit } = setup({ baseDelayMs: 10, maxDelayMs: 100 });
    const log: string[] = [];
    let failures = 2;
    dispatcher.on('a', (m) => {
      log.push(`${m.id}#${m.attempts}`);
      if (m.id === 'v1.0' && failures-- > 0) throw new Error('not yet');
    });
    dispatcher.on('b', (m) => {
      log.push(m.id);
    });
    commit(envelope(1, 0, 'a'), envelope(1, 1, 'b'));
    commit(envelope(2, 0, 'a'), envelope(2, 1, 'b'));
    commit(envelope(3, 0, 'a'));
    await flush();
    expect(log).toEqual(['v1.0#0', 'v1.1', 'v2.1']);
    await advance(10);
    expect(log.slice(3)).toEqual(['v1.0#1']);
    await advance(20);
    expect(log.slice(4)).toEqual(['v1.0#2', 'v2.0#0', 'v3.0#0']);
    expect(dispatcher.pending()).toEqual([]);
  });

  it('has at most `concurrency` handlers in flight across topics, and one per topic', async () => {
    const { dispatcher, commit } = setup({ concurrency: 2 });
    const gates = new Map<string, { resolve: () => void }>();
    let inFlight = 0;
    let most = 0;
    for (const topic of ['a', 'b', 'c', 'd']) {
      dispatcher.on(topic, async (m) => {
        inFlight++;
        most = Math.max(most, inFlight);
        const gate = deferred();
        gates.set(m.id, gate);
        await gate.promise;
        inFlight--;
      });
    }
    commit(envelope(1, 0, 'a'), envelope(1, 1, 'a'), envelope(1, 2, 'b'), envelope(1, 3, 'c'), envelope(1, 4, 'd'));
    await flush();
    expect([...gates.keys()]).toEqual(['v1.0', 'v1.2']);
    gates.get('v1.0')!.resolve();
    await flush();
    // The freed slot goes to the topic that waited longest, not back to 'a'.
    expect([...gates.keys()]).toEqual(['v1.0', 'v1.2', 'v1.3']);
    for (let round = 0; round < 4; round++) {
      for (const gate of gates.values()) gate.resolve();
      await flush();
    }
    expect([...gates.keys()].sort()).toEqual(['v1.0', 'v1.1', 'v1.2', 'v1.3', 'v1.4']);
    expect(most).toBe(2);
    expect(dispatcher.pending()).toEqual([]);
  });

  it('records a throw, a rejection and a timeout as failed attempts, with their error as bounded text', async () => {
    const { dispatcher, ledger, commit } = setup({ handlerTimeoutMs: 50, baseDelayMs: 1_000, maxDelayMs: 1_000 });
    dispatcher.on('throws', () => {
      throw new Error('boom');
    });
    dispatcher.on('rejects', () => Promise.reject(new TypeError('bad payload')));
    dispatcher.on('value', () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a handler may throw anything
      throw 42;
    });
    dispatcher.on('long', () => Promise.reject(new Error('x'.repeat(5_000))));
    dispatcher.on('hangs', () => new Promise(() => undefined));
    commit(envelope(1, 0, 'throws'), envelope(1, 1, 'rejects'), envelope(1, 2, 'value'), envelope(1, 3, 'long'), envelope(1, 4, 'hangs'));
    await flush();
    expect(ledger.entry('v1.4')?.attempts).toBe(0);
    await advance(50);
    const errors = Object.fromEntries(dispatcher.pending().map((e) => [e.id, e.lastError]));
    expect(errors['v1.0']).toBe('boom');
    expect(errors['v1.1']).toBe('bad payload');
    expect(errors['v1.2']).toBe('42');
    expect(errors['v1.3']!.length).toBeLessThanOrEqual(1_000);
    expect(errors['v1.3']!.startsWith('xxxx')).toBe(true);
    expect(errors['v1.4']).toBe('handler did not settle within 50 ms');
    for (const entry of dispatcher.pending()) {
      expect(entry).toMatchObject({ status: 'pending', attempts: 1 });
      expect(ledger.entry(entry.id)).toEqual(entry);
    }
  });

  it('keeps the messages of a topic without a handler pending until one is registered', async () => {
    const { dispatcher, ledger, commit } = setup();
    commit(envelope(1, 0, 'later'), envelope(2, 0, 'later'));
    await advance(60_000);
    expect(dispatcher.pending().map((e) => e.id)).toEqual(['v1.0', 'v2.0']);
    expect(ledger.undelivered()).toHaveLength(2);
    const seen: string[] = [];
    dispatcher.on('later', (m) => {
      seen.push(m.id);
    });
    await flush();
    expect(seen).toEqual(['v1.0', 'v2.0']);
    expect(ledger.undelivered()).toEqual([]);
  });

  it('refuses a second handler for a topic, naming it, until the first is removed', async () => {
    const { dispatcher, commit } = setup();
    const off = dispatcher.on('orders', () => undefined);
    let caught: unknown;
    try {
      dispatcher.on('orders', () => undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TheusError);
    expect(caught).toMatchObject({ code: 'OUTBOX_HANDLER_EXISTS', details: { topic: 'orders' } });
    expect((caught as Error).message).toContain("'orders'");
    off();
    const second = vi.fn();
    dispatcher.on('orders', second);
    commit(envelope(1, 0, 'orders'));
    await flush();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('stops delivering after unsubscribe (idempotent), lets the delivery in flight finish, and never removes a later handler', async () => {
    const { dispatcher, ledger, commit } = setup();
    const gate = deferred();
    const first = vi.fn(() => gate.promise);
    const off = dispatcher.on('t', first);
    commit(envelope(1, 0, 't'), envelope(2, 0, 't'));
    await flush();
    expect(first).toHaveBeenCalledTimes(1);
    off();
    off();
    gate.resolve();
    await advance(1_000);
    expect(first).toHaveBeenCalledTimes(1);
    expect(ledger.undelivered().map((e) => e.id)).toEqual(['v2.0']);
    const second = vi.fn();
    dispatcher.on('t', second);
    off();
    commit(envelope(3, 0, 't'));
    await flush();
    expect(second.mock.calls.map(([m]) => (m as OutboxEnvelope).id)).toEqual(['v2.0', 'v3.0']);
  });

  it('ignores a message it already holds', async () => {
    const { dispatcher, commit } = setup();
    const handler = vi.fn();
    commit(envelope(1, 0, 't'));
    dispatcher.enqueue([envelope(1, 0, 't')]);
    dispatcher.load(dispatcher.pending());
    dispatcher.on('t', handler);
    await flush();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses bad arguments with CONTRACT_BAD_ARGS', async () => {
    const { dispatcher } = setup();
    const call = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const topic of ['', 7, null, undefined]) {
      const error = call(() => dispatcher.on(topic as string, () => undefined));
      expect(error).toBeInstanceOf(ContractViolationError);
      expect(error).toMatchObject({ code: 'CONTRACT_BAD_ARGS', details: { argument: 'topic' } });
    }
    const error = call(() => dispatcher.on('t', 'handler' as never));
    expect(error).toMatchObject({ code: 'CONTRACT_BAD_ARGS', details: { argument: 'handler' } });
    await expect(dispatcher.retry(3 as unknown as string)).rejects.toMatchObject({
      code: 'CONTRACT_BAD_ARGS',
      details: { argument: 'id' },
    });
  });
});
