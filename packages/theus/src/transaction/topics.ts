import { ContractViolationError } from '../errors/index.js';
import type { PathSegments } from '../context/paths.js';
import { sealValue } from '../context/value-model.js';

/** The longest signal or outbox topic accepted, in characters. */
export const MAX_TOPIC_LENGTH = 256;

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
  return sealValue(payload, { who: `${who} (an outbox payload)`, path: ['outbox', topic], zone: 'DATA' });
}
