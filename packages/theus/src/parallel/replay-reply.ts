/**
 * A worker's reply, checked and turned into an attempt on the main thread. The worker ran user
 * code, which could have changed anything in its own thread (the guards included), so its reply
 * is not trusted: its writes are made again here, through a fresh draft of the same contract over
 * the same snapshot, so that every write passes the main thread's own guards (declared outputs,
 * pure processes, zones, the value model, the LOG append rule, signals and outbox topics). What
 * the draft finalizes is what commits; a reply a real run could not have produced fails the run.
 *
 * @packageDocumentation
 */
import { TheusError } from '../errors/index.js';
import { formatPath, type PathSegments } from '../context/paths.js';
import type { CompiledContract } from '../contract/process.js';
import { Attempt } from '../transaction/attempt.js';
import { DraftSession } from '../transaction/draft-session.js';
import { draftOf } from '../transaction/draft-node.js';
import { RunHelpers } from '../transaction/run-helpers.js';
import { createRunEffects } from '../transaction/run-effects.js';
import type { Patch } from '../transaction/patches.js';
import type { TaskSuccess, WirePatch } from './wire.js';

const NO_PATCHES: readonly Patch[] = Object.freeze([]);

/** How deep a path in a reply may go (the value model's own bound). */
const MAX_PATH_LENGTH = 1000;

/** The most read paths a reply may report (each costs the conflict check a walk). */
const MAX_READ_PATHS = 100_000;

/**
 * Makes the writes of a worker's successful reply again on a draft of `root` (the snapshot the
 * worker was sent) and returns the attempt to commit.
 *
 * @throws ContractViolationError, SchemaViolationError as the same write would on the main thread;
 *   TheusError (`POOL_BAD_REPLY`) for a reply no run could produce.
 */
export function replayReply(kind: 'process' | 'open', contract: CompiledContract, root: object, reply: unknown): Attempt {
  const checked = checkShape(contract.name, reply);
  const reads = { readPaths: checked.readPaths, presenceReads: checked.presenceReads };
  if (checked.patches.length === 0 && checked.outbox.length === 0 && checked.logs.length === 0) {
    // Nothing to make again (a run that only read, or only returned a value).
    return new Attempt(root, NO_PATCHES, createRunEffects(), checked.result, undefined, reads);
  }
  const who = `Process '${contract.name}'`;
  const session = new DraftSession(who, contract.name, kind, contract.semantic === 'pure', root, contract.access);
  const effects = createRunEffects();
  const helpers = new RunHelpers(session, contract, effects);
  try {
    for (const patch of checked.patches) write(contract.name, session, helpers, patch);
    for (const message of checked.outbox) helpers.outbox.add(message.topic, message.payload);
    for (const line of checked.logs) helpers.log(line);
    if (session.violation !== undefined) throw session.violation;
  } catch (error) {
    session.revoke();
    throw error;
  }
  const finalized = session.finalize();
  return new Attempt(finalized.root, finalized.patches, effects, checked.result, session, reads);
}

/** Makes one write through the draft's proxies, as user code would (a signal through `ctx.signal`). */
function write(process: string, session: DraftSession, helpers: RunHelpers, patch: WirePatch): void {
  const path = patch.path;
  const last = path[path.length - 1] as string | number;
  if (path.length === 2 && path[0] === 'signal' && typeof last === 'string' && patch.op !== 'remove') {
    helpers.signal(last, patch.value);
    return;
  }
  let target: object = session.root.proxy;
  for (let i = 0; i < path.length - 1; i++) {
    const next: unknown = (target as Record<string | number, unknown>)[path[i] as string | number];
    // Only drafts are written through: never into a binary, a new value or anything else a path could reach.
    if (typeof next !== 'object' || next === null || draftOf(next) === undefined) {
      badReply(
        process,
        `a write at '${formatPath(path)}' goes through '${formatPath(path.slice(0, i + 1))}', which is not an object of the state`,
      );
    }
    target = next;
  }
  const container = target as Record<string | number, unknown>;
  if (Array.isArray(target)) {
    const length = target.length;
    const index = typeof last === 'number' ? last : -1;
    const fits = patch.op === 'remove' ? index === length - 1 : patch.op === 'add' ? index === length : index >= 0 && index < length;
    if (!fits) badReply(process, `a ${patch.op} at '${formatPath(path)}' does not fit an array of ${String(length)} elements`);
    if (patch.op === 'remove') container.length = index;
    else container[index] = patch.value;
    return;
  }
  if (typeof last !== 'string') badReply(process, `a write at '${formatPath(path)}' names an object key by a number`);
  if (patch.op === 'remove') delete container[last];
  else container[last] = patch.value;
}

/** The reply with its shape checked (it crossed from a thread running user code). */
function checkShape(process: string, reply: unknown): TaskSuccess {
  const r = reply as Partial<Record<keyof TaskSuccess, unknown>>;
  if (typeof reply !== 'object' || reply === null) badReply(process, 'the reply is not an object');
  const lists = ['patches', 'outbox', 'logs', 'readPaths', 'presenceReads'] as const;
  for (const key of lists) if (!Array.isArray(r[key])) badReply(process, `'${key}' is not a list`);
  for (const patch of r.patches as unknown[]) {
    const p = patch as Partial<WirePatch> | null;
    if (typeof p !== 'object' || p === null || (p.op !== 'add' && p.op !== 'replace' && p.op !== 'remove') || !isPath(p.path, 1)) {
      badReply(process, 'a patch is not { op, path, value }');
    }
  }
  for (const message of r.outbox as unknown[]) {
    if (typeof message !== 'object' || message === null) badReply(process, 'an outbox message is not { topic, payload }');
  }
  for (const line of r.logs as unknown[]) if (typeof line !== 'string') badReply(process, 'a log line is not a string');
  for (const key of ['readPaths', 'presenceReads'] as const) {
    const paths = r[key] as unknown[];
    if (paths.length > MAX_READ_PATHS)
      badReply(process, `'${key}' lists ${String(paths.length)} paths (at most ${String(MAX_READ_PATHS)})`);
    for (const path of paths) if (!isPath(path, 0)) badReply(process, `'${key}' holds something that is not a path`);
  }
  return reply as TaskSuccess;
}

function isPath(value: unknown, minLength: number): value is PathSegments {
  if (!Array.isArray(value) || value.length < minLength || value.length > MAX_PATH_LENGTH) return false;
  return value.every(
    (segment) => typeof segment === 'string' || (typeof segment === 'number' && Number.isSafeInteger(segment) && segment >= 0),
  );
}

function badReply(process: string, what: string): never {
  throw new TheusError(
    'POOL_BAD_REPLY',
    `Parallel process '${process}' sent back a reply no run can produce (${what}); nothing was committed. Its worker may have been tampered with by the process's own code.`,
    { details: { process } },
  );
}
