import { TheusError } from '../errors/index.js';

/**
 * How the outbox delivers messages (the `outbox` engine option): retries with exponential
 * back-off, a dead letter after `maxAttempts`, and bounds on handlers in flight and on each one's
 * duration.
 *
 * @example
 * ```ts
 * const engine = new Engine({ context, store, outbox: { maxAttempts: 8, baseDelayMs: 250, concurrency: 16 } });
 * ```
 */
export interface OutboxOptions {
  /** Attempts of one message before it becomes a dead letter (an integer from 1 to 10,000; default 5). */
  readonly maxAttempts?: number;
  /**
   * The delay before the first retry, in milliseconds; each further retry doubles it, up to
   * `maxDelayMs` (an integer from 0 to `maxDelayMs`; default 100).
   */
  readonly baseDelayMs?: number;
  /** The longest delay between two attempts, in milliseconds (an integer from 0 to 2,147,483,647; default 30,000). */
  readonly maxDelayMs?: number;
  /** Handlers in flight at once, across all topics (an integer from 1 to 10,000; default 4). */
  readonly concurrency?: number;
  /**
   * How long a handler may take, in milliseconds, before its attempt counts as failed (an integer
   * from 1 to 2,147,483,647; default 30,000). The handler is not cancelled: what it does after
   * that is ignored.
   */
  readonly handlerTimeoutMs?: number;
}

/** {@link OutboxOptions} after validation and defaults. */
export interface ResolvedOutboxOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly concurrency: number;
  readonly handlerTimeoutMs: number;
}

/** The defaults of {@link OutboxOptions}. */
export const DEFAULT_OUTBOX_OPTIONS: ResolvedOutboxOptions = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  concurrency: 4,
  handlerTimeoutMs: 30_000,
});

/** The longest delay `setTimeout` honours (a longer one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

/** The allowed range of each option. */
const RANGES: Readonly<Record<keyof ResolvedOutboxOptions, readonly [min: number, max: number]>> = {
  maxAttempts: [1, 10_000],
  baseDelayMs: [0, MAX_TIMER_MS],
  maxDelayMs: [0, MAX_TIMER_MS],
  concurrency: [1, 10_000],
  handlerTimeoutMs: [1, MAX_TIMER_MS],
};

/**
 * Validates the `outbox` engine option (untrusted input) and fills in the defaults.
 *
 * @throws TheusError `ENGINE_INVALID_OPTION` naming the first bad field (`outbox.<field>`) and what
 *   it must be; unknown fields are refused.
 */
export function resolveOutboxOptions(value: unknown): ResolvedOutboxOptions {
  if (value === undefined) return DEFAULT_OUTBOX_OPTIONS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('outbox', 'must be an object such as { maxAttempts: 5, concurrency: 4 }');
  }
  const input = value as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(RANGES, key)) bad(`outbox.${key}`, `unknown option (known: ${Object.keys(RANGES).join(', ')})`);
  }
  const pick = (key: keyof ResolvedOutboxOptions): number => {
    const field = input[key];
    if (field === undefined) return DEFAULT_OUTBOX_OPTIONS[key];
    const [min, max] = RANGES[key];
    if (typeof field !== 'number' || !Number.isInteger(field) || field < min || field > max) {
      bad(`outbox.${key}`, `must be an integer from ${format(min)} to ${format(max)}, got ${describe(field)}`);
    }
    return field;
  };
  const resolved: ResolvedOutboxOptions = {
    maxAttempts: pick('maxAttempts'),
    baseDelayMs: pick('baseDelayMs'),
    maxDelayMs: pick('maxDelayMs'),
    concurrency: pick('concurrency'),
    handlerTimeoutMs: pick('handlerTimeoutMs'),
  };
  if (resolved.baseDelayMs > resolved.maxDelayMs) {
    bad(
      'outbox.baseDelayMs',
      `must not exceed outbox.maxDelayMs (${format(resolved.maxDelayMs)}), got ${format(resolved.baseDelayMs)}: lower it or raise outbox.maxDelayMs`,
    );
  }
  return Object.freeze(resolved);
}

/**
 * The delay before the next attempt of a message that has failed `attempts` times (1-based):
 * `min(maxDelayMs, baseDelayMs * 2^(attempts - 1))`, without jitter.
 */
export function retryDelay(options: ResolvedOutboxOptions, attempts: number): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
}

function bad(option: string, problem: string): never {
  throw new TheusError('ENGINE_INVALID_OPTION', `Engine option '${option}': ${problem}.`, { details: { option } });
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
