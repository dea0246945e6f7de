import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineOutbox } from '../../src/outbox/engine-outbox.js';
import { envelope, flush, setup } from './outbox-helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('EngineOutbox', () => {
  it('registers handlers and answers the lists through promises', async () => {
    const { dispatcher, commit } = setup({ maxAttempts: 1 });
    const outbox = new EngineOutbox(dispatcher);
    commit(envelope(1, 0, 'ok'), envelope(1, 1, 'bad'), envelope(2, 0, 'idle'));
    const seen: string[] = [];
    const off = outbox.on('ok', (m) => {
      seen.push(m.id);
    });
    outbox.on('bad', () => {
      throw new Error('refused');
    });
    const pending = outbox.pending();
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).map((e) => e.id)).toEqual(['v1.0', 'v1.1', 'v2.0']);
    await flush();
    expect(seen).toEqual(['v1.0']);
    expect((await outbox.pending()).map((e) => e.id)).toEqual(['v2.0']);
    const dead = await outbox.deadLetters();
    expect(dead).toMatchObject([{ id: 'v1.1', status: 'dead', lastError: 'refused', attempts: 1 }]);
    expect(Object.isFrozen(dead)).toBe(true);
    off();
    await outbox.retry('v1.1');
    await flush();
    // Still refused: a dead letter again, after a new series of attempts.
    expect(await outbox.deadLetters()).toMatchObject([{ id: 'v1.1', status: 'dead', attempts: 1 }]);
    expect(await outbox.pending()).toMatchObject([{ id: 'v2.0' }]);
    await expect(outbox.retry('v7.0')).rejects.toMatchObject({ code: 'OUTBOX_UNKNOWN_MESSAGE' });
    await dispatcher.close();
    expect(() => outbox.on('x', () => undefined)).toThrow(expect.objectContaining({ code: 'ENGINE_CLOSED' }) as Error);
    await expect(outbox.retry('v1.1')).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});
