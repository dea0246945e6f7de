import { ContractViolationError, SchemaViolationError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import { flagsOf, NodeFlag } from '../context/node-flags.js';
import { toPlain } from '../context/to-plain.js';
import { sealValue } from '../context/value-model.js';

/** The longest signal or outbox topic accepted, in characters. */
export const MAX_TOPIC_LENGTH = 256;

/** In a `u` regular expression a surrogate pair is one code point: this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The most outbox messages one run may add: a bound on what one run can make every store hold. */
export const MAX_OUTBOX_MESSAGES = 10_000;

/** The most `ctx.log` lines one run may write, and the longest line (in characters). */
export const MAX_LOG_LINES = 10_000;
export const MAX_LOG_LINE_LENGTH = 10_000;

/** Keys that name JavaScript's object machinery; never a topic, never a key of committed state. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Where a signal is stored: always under the `signal` layer, keyed by the whole topic. A topic is
 * a name (`'order.created'`, `'cmd_stop'`), never a path, so a signal can only ever write the
 * SIGNAL zone, whatever its text.
 */
export function signalPath(topic: string): PathSegments {
  return ['signal', topic];
}

/**
 * Checks a topic given to `ctx.signal`, `ctx.outbox.add` or `update({ signals, outbox })`.
 *
 * @throws ContractViolationError (`CONTRACT_BAD_ARGS`) naming the call and what is wrong.
 */
export function assertTopic(who: string, process: string, call: string, topic: unknown): asserts topic is string {
  let problem: string | undefined;
  if (typeof topic !== 'string' || topic === '') problem = 'pass a non-empty string';
  else if (topic.length > MAX_TOPIC_LENGTH) problem = `topics are at most ${MAX_TOPIC_LENGTH} characters`;
  else if (RESERVED.has(topic)) problem = `'${topic}' is reserved; choose another name`;
  // A lone surrogate is not text: a store would write it as U+FFFD and the topic would change.
  else if (LONE_SURROGATE.test(topic)) problem = 'it holds a lone UTF-16 surrogate (not valid Unicode text)';
  if (problem === undefined) return;
  throw new ContractViolationError('CONTRACT_BAD_ARGS', `${who} called ${call} with an invalid topic: ${problem}.`, {
    details: { process },
  });
}

/**
 * An outbox message's payload as it is stored: a deeply frozen copy in the value model (plain
 * objects, arrays, null, booleans, finite numbers, strings), so that every store can write it
 * and no handler can change another's copy. Checked when the message is added, so a payload a
 * store could not write fails the run that added it, never its commit.
 *
 * @throws SchemaViolationError (`TX_INVALID_VALUE`) naming `outbox.<topic>` and the bad value's path.
 */
export function outboxPayload(who: string, topic: string, payload: unknown): unknown {
  if (payload === undefined) return undefined;
  const sealed = sealValue(payload, { who: `${who} (an outbox payload)`, path: ['outbox', topic], zone: 'DATA', zoneless: true });
  if (typeof sealed === 'object' && sealed !== null && (flagsOf(sealed) & NodeFlag.Binary) !== 0) {
    // A `heavy_` key inside a payload would let a binary through: shared memory is not a message.
    throw new SchemaViolationError(
      'TX_INVALID_VALUE',
      `${who} added an outbox message on '${topic}' whose payload holds a binary (ArrayBuffer or typed array); payloads are plain data that every store can write: send numbers, strings or arrays of numbers instead.`,
      { details: { path: formatPath(['outbox', topic]) } },
    );
  }
  // Handlers get plain objects (a large object is a record facade inside the state).
  return toPlain(sealed);
}

/**
 * Checks that a run may add one more outbox message.
 *
 * @throws ContractViolationError (`CONTRACT_BAD_ARGS`) past {@link MAX_OUTBOX_MESSAGES}.
 */
export function assertOutboxRoom(who: string, process: string, added: number): void {
  if (added < MAX_OUTBOX_MESSAGES) return;
  throw new ContractViolationError(
    'CONTRACT_BAD_ARGS',
    `${who} added more than ${String(MAX_OUTBOX_MESSAGES)} outbox messages in one run; send a batch as one message, or split the work over several runs.`,
    { details: { process, limit: MAX_OUTBOX_MESSAGES } },
  );
}

/**
 * A log line as a run keeps it, checked against the per-run bounds.
 *
 * @throws ContractViolationError (`CONTRACT_BAD_ARGS`) past {@link MAX_LOG_LINES} lines or for a
 *   line longer than {@link MAX_LOG_LINE_LENGTH} characters.
 */
export function logLine(who: string, process: string, written: number, message: unknown): string {
  const line = String(message);
  if (written < MAX_LOG_LINES && line.length <= MAX_LOG_LINE_LENGTH) return line;
  throw new ContractViolationError(
    'CONTRACT_BAD_ARGS',
    written >= MAX_LOG_LINES
      ? `${who} wrote more than ${String(MAX_LOG_LINES)} log lines in one run; log a summary instead.`
      : `${who} wrote a log line of ${String(line.length)} characters (at most ${String(MAX_LOG_LINE_LENGTH)}); log a summary instead.`,
    { details: { process, limit: written >= MAX_LOG_LINES ? MAX_LOG_LINES : MAX_LOG_LINE_LENGTH } },
  );
}
