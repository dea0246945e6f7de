import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TheusError } from '../../src/errors/index.js';
import { OutboxDispatcher } from '../../src/outbox/outbox-dispatcher.js';
import { DEFAULT_OUTBOX_OPTIONS } from '../../src/outbox/outbox-options.js';
import { advance, deferred, envelope, flush, setup, TestLedger } from './outbox-helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether `promise` settled after the pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await flush();
  return done;
}

describe('OutboxDispatcher close', () => {
  it('waits for the handler in flight, records its outcome, and leaves no timer', async () => {
    const { dispatcher, ledger, commit } = setup({ baseDelayMs: 500, maxDelayMs: 500 });
    const gate = deferred();
    dispatcher.on('slow', () => gate.promise);
    dispatcher.on('fails', () => Promise.reject(new Error('no')));
    commit(envelope(1, 0, 'slow'), envelope(1, 1, 'slow'), envelope(1, 2, 'fails'));
    await flush();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const closing = dispatcher.close();
    expect(dispatcher.close()).toBe(closing);
    expect(await settled(closing)).toBe(false);
    gate.resolve();
    expect(await settled(closing)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(ledger.undelivered().map((e) => e.id)).toEqual(['v1.1', 'v1.2']);
    expect(ledger.entry('v1.2')).toMatchObject({ attempts: 1, lastError: 'no' });
    await advance(10_000);
    expect(ledger.calls).toEqual(['failed v1.2', 'delivered v1.0']);
  });

  it('bounds the wait for a handler that never settles by handlerTimeoutMs', async () => {
    const { dispatcher, ledger, commit } = setup({ handlerTimeoutMs: 200 });
    dispatcher.on('t', () => new Promise(() => undefined));
    commit(envelope(1, 0, 't'));
    await flush();
    const closing = dispatcher.close();
    await advance(199);
    expect(await settled(closing)).toBe(false);
    await advance(1);
    expect(await settled(closing)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(ledger.entry('v1.0')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'handler did not settle within 200 ms' });
  });

  it('leaves undelivered messages in the ledger for the next open, which delivers them', async () => {
    const ledger = new TestLedger();
    const first = setup({}, ledger);
    const handler = vi.fn();
    first.dispatcher.on('t', handler);
    first.commit(envelope(1, 0, 't'), envelope(1, 1, 't'));
    await first.dispatcher.close();
    first.dispatcher.enqueue([envelope(2, 0, 't')]);
    await advance(1_000);
    expect(handler).not.toHaveBeenCalled();
    expect(ledger.undelivered().map((e) => e.id)).toEqual(['v1.0', 'v1.1']);
    expect(vi.getTimerCount()).toBe(0);

    const second = setup({}, ledger);
    second.dispatcher.load(ledger.undelivered());
    const seen: string[] = [];
    second.dispatcher.on('t', (m) => {
      seen.push(m.id);
    });
    await flush();
    expect(seen).toEqual(['v1.0', 'v1.1']);
    expect(ledger.undelivered()).toEqual([]);
  });

  it('refuses on and retry after close with ENGINE_CLOSED, and still answers the lists', async () => {
    const { dispatcher, commit } = setup();
    commit(envelope(1, 0, 't'));
    await dispatcher.close();
    expect(() => dispatcher.on('t', () => undefined)).toThrow(TheusError);
    expect(() => dispatcher.on('t', () => undefined)).toThrow(expect.objectContaining({ code: 'ENGINE_CLOSED' }) as Error);
    await expect(dispatcher.retry('v1.0')).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
    expect(dispatcher.pending().map((e) => e.id)).toEqual(['v1.0']);
  });

  it('waits for a revival under way', async () => {
    const ledger = new TestLedger();
    const { dispatcher, commit } = setup({ maxAttempts: 1 }, ledger);
    dispatcher.on('t', () => Promise.reject(new Error('no')));
    commit(envelope(1, 0, 't'));
    await flush();
    ledger.async = true;
    const retried = dispatcher.retry('v1.0');
    const closing = dispatcher.close();
    await Promise.all([retried, closing]);
    expect(ledger.entry('v1.0')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(ledger.calls).toEqual(['failed v1.0', 'revive v1.0']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('OutboxDispatcher with a failing ledger', () => {
  for (const async of [false, true]) {
    it(`reports a ${async ? 'rejecting' : 'throwing'} ledger and keeps delivering (at least once)`, async () => {
      const ledger = new TestLedger();
      ledger.async = async;
      ledger.failing.add('delivered').add('failed');
      const { dispatcher, problems, commit } = setup({ maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 }, ledger);
      const seen: string[] = [];
      dispatcher.on('t', (m) => {
        seen.push(`${m.id}#${m.attempts}`);
        if (m.id === 'v1.0' && m.attempts === 0) throw new Error('once');
      });
      commit(envelope(1, 0, 't'), envelope(2, 0, 't'));
      await advance(10);
      expect(seen).toEqual(['v1.0#0', 'v1.0#1', 'v2.0#0']);
      expect(problems.map((p) => (p as Error).message)).toEqual([
        'ledger failed failed',
        'ledger delivered failed',
        'ledger delivered failed',
      ]);
      expect(dispatcher.pending()).toEqual([]);
      // The store still holds them: a restart delivers them again.
      expect(ledger.undelivered().map((e) => e.id)).toEqual(['v1.0', 'v2.0']);
    });
  }

  it('survives a reporter that throws', async () => {
    const ledger = new TestLedger();
    ledger.failing.add('delivered');
    const dispatcher = new OutboxDispatcher(ledger, DEFAULT_OUTBOX_OPTIONS, () => {
      throw new Error('reporter down');
    });
    const handler = vi.fn();
    dispatcher.on('t', handler);
    ledger.add([envelope(1, 0, 't'), envelope(2, 0, 't')]);
    dispatcher.enqueue([envelope(1, 0, 't'), envelope(2, 0, 't')]);
    await flush();
    expect(handler).toHaveBeenCalledTimes(2);
    await dispatcher.close();
  });
});
