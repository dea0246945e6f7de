import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TheusError } from '../../src/errors/index.js';
import type { OutboxEntry } from '../../src/store/store.js';
import { advance, deferred, envelope, flush, setup, TestLedger } from './outbox-helpers.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const failing = (): never => {
  throw new Error('down');
};

describe('OutboxDispatcher retries', () => {
  it('backs off exponentially up to maxDelayMs, and records nextAttemptAt in the ledger', async () => {
    const { dispatcher, ledger, commit } = setup({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 });
    const times: number[] = [];
    dispatcher.on('t', () => {
      times.push(Date.now());
      failing();
    });
    commit(envelope(1, 0, 't'));
    await flush();
    expect(ledger.entry('v1.0')).toMatchObject({ attempts: 1, nextAttemptAt: times[0]! + 100, lastError: 'down' });
    await advance(99);
    expect(times).toHaveLength(1);
    for (const delay of [1, 200, 400, 800, 1_000, 1_000]) await advance(delay);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(ledger.entry('v1.0')).toMatchObject({ attempts: 7, status: 'pending', nextAttemptAt: Date.now() + 1_000 });
  });

  it('makes a message a dead letter after maxAttempts, and the topic moves on', async () => {
    const { dispatcher, ledger, commit } = setup({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 });
    const seen: string[] = [];
    dispatcher.on('t', (m) => {
      seen.push(`${m.id}#${m.attempts}`);
      if (m.id === 'v1.0') failing();
    });
    commit(envelope(1, 0, 't'), envelope(1, 1, 't'));
    await advance(10);
    await advance(10);
    expect(seen).toEqual(['v1.0#0', 'v1.0#1', 'v1.0#2', 'v1.1#0']);
    const [dead] = dispatcher.deadLetters();
    expect(dead).toEqual({
      id: 'v1.0',
      topic: 't',
      payload: { n: 10 },
      version: 1,
      attempts: 3,
      status: 'dead',
      lastError: 'down',
      nextAttemptAt: 0,
    });
    expect(Object.isFrozen(dead)).toBe(true);
    expect(Object.isFrozen(dispatcher.deadLetters())).toBe(true);
    expect(ledger.undelivered()).toEqual([dead]);
    expect(dispatcher.pending()).toEqual([]);
    await advance(60_000);
    expect(seen).toHaveLength(4);
  });

  it('retry(id) gives a dead letter a new series of attempts', async () => {
    const { dispatcher, ledger, commit } = setup({ maxAttempts: 1 });
    let healthy = false;
    const gate = deferred();
    const seen: string[] = [];
    dispatcher.on('t', async (m) => {
      seen.push(`${m.id}#${m.attempts}`);
      if (!healthy) failing();
      await gate.promise;
    });
    commit(envelope(1, 0, 't'));
    await flush();
    expect(dispatcher.deadLetters().map((e) => e.id)).toEqual(['v1.0']);
    healthy = true;
    const retried = dispatcher.retry('v1.0');
    expect(dispatcher.retry('v1.0')).toBe(retried);
    await retried;
    await flush();
    expect(dispatcher.deadLetters()).toEqual([]);
    expect(dispatcher.pending()).toMatchObject([{ id: 'v1.0', status: 'pending', attempts: 0, nextAttemptAt: 0, lastError: 'down' }]);
    expect(ledger.entry('v1.0')).toMatchObject({ status: 'pending', attempts: 0 });
    gate.resolve();
    await flush();
    expect(seen).toEqual(['v1.0#0', 'v1.0#0']);
    expect(dispatcher.pending()).toEqual([]);
    expect(ledger.undelivered()).toEqual([]);
    expect(ledger.calls).toEqual(['failed v1.0', 'revive v1.0', 'delivered v1.0']);
  });

  it('retry(id) refuses an id that is not a dead letter, naming it', async () => {
    const { dispatcher, commit } = setup();
    commit(envelope(1, 0, 'no-handler'));
    for (const id of ['v1.0', 'v9.9']) {
      const error: unknown = await dispatcher.retry(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TheusError);
      expect(error).toMatchObject({ code: 'OUTBOX_UNKNOWN_MESSAGE', details: { id } });
      expect((error as Error).message).toContain(`'${id}'`);
    }
  });

  it('queues a retried message in commit order: before a later message waiting for its back-off', async () => {
    const { dispatcher, commit } = setup({ maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 1_000 });
    const seen: string[] = [];
    let fixed = false;
    dispatcher.on('t', (m) => {
      seen.push(`${m.id}#${m.attempts}`);
      if (!fixed) failing();
    });
    commit(envelope(1, 0, 't'));
    await advance(1_000);
    expect(dispatcher.deadLetters().map((e) => e.id)).toEqual(['v1.0']);
    commit(envelope(2, 0, 't'));
    await flush();
    expect(seen).toEqual(['v1.0#0', 'v1.0#1', 'v2.0#0']);
    fixed = true;
    await dispatcher.retry('v1.0');
    await flush();
    expect(seen.slice(3)).toEqual(['v1.0#0']);
    expect(dispatcher.pending().map((e) => e.id)).toEqual(['v2.0']);
    await advance(1_000);
    expect(seen.slice(4)).toEqual(['v2.0#1']);
  });

  it('queues a retried message after the delivery in flight of its topic, before that one’s retry', async () => {
    const { dispatcher, commit } = setup({ maxAttempts: 1 });
    const seen: string[] = [];
    const gate = deferred();
    dispatcher.on('t', async (m) => {
      seen.push(`${m.id}#${m.attempts}`);
      if (m.id === 'v1.0' && m.attempts === 0 && seen.length === 1) failing();
      if (m.id === 'v2.0') await gate.promise;
    });
    commit(envelope(1, 0, 't'));
    await flush();
    commit(envelope(2, 0, 't'));
    await flush();
    expect(seen).toEqual(['v1.0#0', 'v2.0#0']);
    await dispatcher.retry('v1.0');
    await flush();
    expect(seen).toHaveLength(2);
    gate.resolve();
    await flush();
    expect(seen).toEqual(['v1.0#0', 'v2.0#0', 'v1.0#0']);
    expect(dispatcher.pending()).toEqual([]);
  });

  it('drops a dead letter the store no longer holds, and keeps one whose revival failed', async () => {
    const ledger = new TestLedger();
    const { dispatcher, commit } = setup({ maxAttempts: 1 }, ledger);
    dispatcher.on('t', failing);
    commit(envelope(1, 0, 't'), envelope(2, 0, 't'));
    await flush();
    expect(dispatcher.deadLetters()).toHaveLength(2);
    ledger.reviveAnswer = false;
    await expect(dispatcher.retry('v1.0')).rejects.toMatchObject({ code: 'OUTBOX_UNKNOWN_MESSAGE', details: { id: 'v1.0' } });
    ledger.reviveAnswer = undefined;
    ledger.failing.add('revive');
    await expect(dispatcher.retry('v2.0')).rejects.toThrow('ledger revive failed');
    expect(dispatcher.deadLetters().map((e) => e.id)).toEqual(['v2.0']);
    expect(dispatcher.pending()).toEqual([]);
  });

  it('load() delivers pending entries when due, with their attempts, and keeps dead ones as dead letters', async () => {
    const now = Date.now();
    const entry = (version: number, status: OutboxEntry['status'], attempts: number, nextAttemptAt: number): OutboxEntry => ({
      ...envelope(version, 0, 't'),
      status,
      attempts,
      lastError: attempts > 0 ? 'earlier' : undefined,
      nextAttemptAt,
    });
    const { dispatcher } = setup({ maxAttempts: 5 });
    dispatcher.load([entry(1, 'dead', 5, 0), entry(2, 'pending', 2, now + 500), entry(3, 'pending', 0, 0)]);
    const seen: string[] = [];
    dispatcher.on('t', (m) => {
      seen.push(`${m.id}#${m.attempts}`);
    });
    await advance(499);
    expect(seen).toEqual([]);
    expect(dispatcher.pending().map((e) => e.id)).toEqual(['v2.0', 'v3.0']);
    await advance(1);
    expect(seen).toEqual(['v2.0#2', 'v3.0#0']);
    expect(dispatcher.deadLetters()).toMatchObject([{ id: 'v1.0', status: 'dead', attempts: 5, lastError: 'earlier' }]);
  });

  it('orders snapshots by commit even when messages arrive out of order', () => {
    const { dispatcher } = setup();
    dispatcher.enqueue([envelope(5, 0, 'b'), envelope(5, 1, 'a')]);
    dispatcher.load([{ ...envelope(3, 0, 'a'), status: 'pending', lastError: undefined, nextAttemptAt: 0 }]);
    expect(dispatcher.pending().map((e) => e.id)).toEqual(['v3.0', 'v5.0', 'v5.1']);
  });
});
