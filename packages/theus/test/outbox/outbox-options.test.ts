import { describe, expect, it } from 'vitest';
import { TheusError } from '../../src/errors/index.js';
import { DEFAULT_OUTBOX_OPTIONS, resolveOutboxOptions, retryDelay } from '../../src/outbox/outbox-options.js';

function refusal(value: unknown): TheusError {
  try {
    resolveOutboxOptions(value);
  } catch (error) {
    if (error instanceof TheusError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('resolveOutboxOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveOutboxOptions(undefined)).toEqual({
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 30_000,
      concurrency: 4,
      handlerTimeoutMs: 30_000,
    });
    expect(resolveOutboxOptions({})).toEqual(DEFAULT_OUTBOX_OPTIONS);
    expect(resolveOutboxOptions({ concurrency: undefined })).toEqual(DEFAULT_OUTBOX_OPTIONS);
    const custom = resolveOutboxOptions({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, concurrency: 64, handlerTimeoutMs: 1 });
    expect(custom).toEqual({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, concurrency: 64, handlerTimeoutMs: 1 });
    expect(Object.isFrozen(custom)).toBe(true);
  });

  it.each([
    ['outbox', 'must be an object', null],
    ['outbox', 'must be an object', []],
    ['outbox', 'must be an object', 'fast'],
    ['outbox.retries', 'unknown option (known: maxAttempts, baseDelayMs, maxDelayMs, concurrency, handlerTimeoutMs)', { retries: 3 }],
    ['outbox.maxAttempts', 'must be an integer from 1 to 10,000, got 0', { maxAttempts: 0 }],
    ['outbox.maxAttempts', 'got 2.5', { maxAttempts: 2.5 }],
    ['outbox.maxAttempts', 'got "5"', { maxAttempts: '5' }],
    ['outbox.concurrency', 'must be an integer from 1 to 10,000', { concurrency: 0 }],
    ['outbox.concurrency', 'got Infinity', { concurrency: Infinity }],
    ['outbox.baseDelayMs', 'must be an integer from 0 to 2,147,483,647', { baseDelayMs: -1 }],
    ['outbox.maxDelayMs', 'got NaN', { maxDelayMs: NaN }],
    ['outbox.maxDelayMs', 'must be an integer from 0 to 2,147,483,647', { maxDelayMs: 2 ** 31 }],
    ['outbox.handlerTimeoutMs', 'must be an integer from 1 to 2,147,483,647', { handlerTimeoutMs: 0 }],
    ['outbox.handlerTimeoutMs', 'got 10n (a bigint)', { handlerTimeoutMs: 10n }],
    ['outbox.baseDelayMs', 'must not exceed outbox.maxDelayMs (30,000)', { baseDelayMs: 60_000 }],
  ])('refuses a bad %s: %s (case %#)', (option, problem, value) => {
    const error = refusal(value);
    expect(error.code).toBe('ENGINE_INVALID_OPTION');
    expect(error.details).toEqual({ option });
    expect(error.message).toContain(`'${option}'`);
    expect(error.message).toContain(problem);
  });
});

describe('retryDelay', () => {
  it('doubles from baseDelayMs and stops at maxDelayMs', () => {
    const options = resolveOutboxOptions({ baseDelayMs: 100, maxDelayMs: 1_000 });
    expect([1, 2, 3, 4, 5, 6, 100, 10_000].map((n) => retryDelay(options, n))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
    expect(retryDelay(resolveOutboxOptions({ baseDelayMs: 0 }), 3)).toBe(0);
  });
});
