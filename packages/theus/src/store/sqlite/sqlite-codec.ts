/**
 * Values to and from the JSON text the SQLite store keeps. Everything committed is plain data
 * (after `toPlain`), which JSON represents exactly, with two exceptions: `-0` is written as `0`,
 * and HEAVY binaries (`ArrayBuffer`, typed arrays) are refused (this store does not persist them
 * yet). Decoding parses with `JSON.parse`, which makes a `__proto__` key an own data property and
 * never touches a prototype, then checks what it parsed against the value model (`sealValue`):
 * stored text is untrusted, and only values a commit could have made come out of it.
 *
 * @packageDocumentation
 */
import { toPlain } from '../../context/to-plain.js';
import { isBinary, MAX_VALUE_DEPTH, sealValue } from '../../context/value-model.js';
import { describe, formatPath, type PathSegments } from '../../context/paths.js';
import { zoneOfPath, type Zone } from '../../context/zones.js';
import { SchemaViolationError } from '../../errors/index.js';
import type { Patch } from '../../transaction/patches.js';
import type { OutboxEntry } from '../store.js';

/** Why a value could not be encoded: `at` is the path of the bad value inside it. */
export class EncodeProblem extends Error {
  constructor(
    readonly at: PathSegments,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** Thrown by the replacer to stop at a binary (made once: only its identity matters). */
const BINARY = new Error('binary data');

function refuseBinary(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && isBinary(value)) throw BINARY;
  return value;
}

/**
 * The JSON text of a committed value (`undefined` for `undefined`).
 *
 * @throws EncodeProblem naming the path of a value JSON cannot represent.
 */
export function encodeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let plain: unknown;
  try {
    plain = toPlain(value);
    return JSON.stringify(plain, refuseBinary);
  } catch (error) {
    // Only after a failure: walk to the bad value to name it and its path.
    const found = findUnencodable(plain ?? value, []);
    throw new EncodeProblem(found?.at ?? [], found?.what ?? (error === BINARY ? BINARY_NOTE : String(error)));
  }
}

const BINARY_NOTE = 'binary data (an ArrayBuffer or typed array), which the durable stores do not persist yet';

interface Found {
  readonly at: PathSegments;
  readonly what: string;
}

/** The first value under `value` that is not plain JSON data, found the slow way. */
function findUnencodable(value: unknown, path: (string | number)[]): Found | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { at: path, what: `the number ${String(value)}, which JSON cannot represent` };
    case 'object':
      break;
    default:
      return { at: path, what: `${describe(value)}, which JSON cannot represent` };
  }
  if (value === null) return undefined;
  if (path.length > MAX_VALUE_DEPTH) return { at: path, what: `values nested over ${MAX_VALUE_DEPTH} levels deep (or a cycle)` };
  if (isBinary(value)) return { at: path, what: BINARY_NOTE };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = value[i] === undefined ? { at: [...path, i], what: 'undefined in an array' } : findUnencodable(value[i], [...path, i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return { at: path, what: `${describe(value)}, which JSON cannot represent` };
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    const found = child === undefined ? undefined : findUnencodable(child, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Where a bad value found at `at` inside an encoded value is, told in terms of the state. */
export type Locate = (at: PathSegments) => { readonly where: string; readonly at: PathSegments };

/** A path inside a commit's encoded patches, told as the state path the patch writes (`0.value.x` → the patch's path + `x`). */
export function patchPath(patches: readonly Patch[], at: PathSegments): ReturnType<Locate> {
  const index = at[0];
  const patch = typeof index === 'number' ? patches[index] : undefined;
  if (patch === undefined || at[1] !== 'value') return { where: 'the patches', at };
  return { where: `the value written to '${showPath(patch.path)}'`, at: [...patch.path, ...at.slice(2)] };
}

/** Where `problem` is, for a message: what holds the bad value (`what`, or `locate`'s answer) and its path shown. */
export function placeOf(problem: EncodeProblem, what: string, locate?: Locate): { readonly where: string; readonly at: string } {
  const place = locate?.(problem.at) ?? { where: what, at: problem.at };
  return { where: place.where, at: showPath(place.at) };
}

/** An outbox row whose columns have the right types, before its checks against the log. */
export interface OutboxRowFields {
  readonly id: string;
  readonly version: number;
  readonly idx: number;
  readonly topic: string;
  readonly attempts: number;
  readonly status: string;
  readonly lastError: string | null;
  readonly nextAttemptAt: number;
  readonly payload: unknown;
}

/**
 * The outbox entry of a stored row: it must belong to a stored commit (versions `first` to
 * `last`) and carry the id of that commit and its index; its payload is decoded (untrusted text).
 *
 * @throws DecodeProblem saying what is wrong.
 */
export function outboxEntryOf(row: OutboxRowFields, first: number, last: number): OutboxEntry {
  const { id, version, idx, topic, attempts, status, lastError, nextAttemptAt } = row;
  if (!Number.isSafeInteger(version) || version < first || version > last) {
    throw new DecodeProblem(
      `the outbox message '${id}' belongs to version ${version}, which is no stored commit (the commits are versions ${first} to ${last})`,
    );
  }
  if (!Number.isSafeInteger(idx) || idx < 0 || id !== `v${version}.${idx}`) {
    throw new DecodeProblem(`the outbox message '${id}' does not have the id of its commit and index (v${version}.${idx})`);
  }
  const payload = decodeValue(row.payload, `the payload of outbox message '${id}'`);
  return Object.freeze({
    id,
    topic,
    payload,
    version,
    attempts,
    status: status as OutboxEntry['status'],
    lastError: lastError ?? undefined,
    nextAttemptAt,
  });
}

/** A message-ready form of a path inside a value (`(root)` for the value itself). */
export function showPath(path: PathSegments): string {
  return path.length === 0 ? '(root)' : formatPath(path);
}

/** Thrown by the decoders: `what` says what was wrong with the stored text. */
export class DecodeProblem extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/** Parses stored JSON text (`what` names it for the message when it is not JSON). */
export function decodeJson(text: unknown, what: string): unknown {
  if (typeof text !== 'string') throw new DecodeProblem(`${what} is not JSON text (${text === null ? 'NULL' : typeof text})`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DecodeProblem(`${what} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** One object met by {@link deepFreeze}: where it is, to name the path of a value nested too deep. */
interface Frame {
  readonly node: object;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string;
}

/**
 * Freezes a parsed JSON value at every level and returns it, refusing values nested deeper than
 * the value model allows (`MAX_VALUE_DEPTH`). Iterative: the depth of stored text is untrusted
 * (`JSON.parse` reads 200,000 levels), so nothing here recurses along it. Checks nothing else
 * of the value model (see {@link decodeValue} for that).
 *
 * @throws DecodeProblem naming `what` and the path of the first object nested too deep.
 */
export function deepFreeze<T>(value: T, what: string): T {
  if (typeof value !== 'object' || value === null) return value;
  const stack: Frame[] = [{ node: value, depth: 0, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { node, depth } = frame;
    if (depth >= MAX_VALUE_DEPTH) {
      throw new DecodeProblem(`${what}: values nested over ${MAX_VALUE_DEPTH} levels deep (at '${shortPath(pathOf(frame))}')`);
    }
    // Own keys only: JSON.parse made every key an own data property (`__proto__` included).
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1, parent: frame, key });
    }
    Object.freeze(node);
  }
  return value;
}

function pathOf(frame: Frame): string[] {
  const path: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** A path for a message: its first segments only, when it is long. */
function shortPath(path: PathSegments): string {
  return path.length > 8 ? `${formatPath(path.slice(0, 8))}… (${path.length} segments)` : showPath(path);
}

/** The longest path of a value model message quoted whole in a `DecodeProblem`. */
const MAX_SHOWN_PATH = 80;

/**
 * Checks a parsed JSON value against the value model and returns its committed form (deeply
 * frozen, sealed; objects of more than 64 keys as records): no `__proto__` key, no number JSON
 * parsed as `Infinity` (`1e400`), nesting at most `MAX_VALUE_DEPTH` levels (checked before the
 * recursion can overflow the stack, whatever the depth of the text). `path` and `zone` are where
 * the value sits in the state (empty and `DATA` for arguments and payloads, which are also
 * `zoneless`: not state, so their keys name no zone).
 *
 * @throws DecodeProblem naming `what` and the path of the first value outside the model.
 */
export function sealDecoded(value: unknown, what: string, path: PathSegments = [], zone: Zone = 'DATA', zoneless = false): unknown {
  try {
    return sealValue(value, { who: 'The stored data', path, zone, zoneless });
  } catch (error) {
    if (!(error instanceof SchemaViolationError)) throw error;
    // A path 1,000 levels deep makes a long message: shown by its start.
    const at = error.details.path;
    let message = error.message.replace(/\.$/, '');
    if (typeof at === 'string' && at.length > MAX_SHOWN_PATH) message = message.replace(`'${at}'`, `'${at.slice(0, MAX_SHOWN_PATH)}…'`);
    throw new DecodeProblem(`${what}: ${message}`);
  }
}

/**
 * Decodes a value the engine recorded as plain data (a commit's arguments, an outbox payload):
 * parsed, checked by {@link sealDecoded}, and returned as deeply frozen plain objects and arrays
 * (never a record facade: handlers and `engine.history()` get plain data).
 *
 * @throws DecodeProblem when the text is not JSON or the value is outside the value model.
 */
export function decodeValue(text: unknown, what: string): unknown {
  // Not state: a `heavy_` key there is an ordinary key.
  return toPlain(sealDecoded(decodeJson(text, what), what, [], 'DATA', true));
}

const OPS = new Set(['add', 'replace', 'remove']);

/**
 * Checks the decoded patches of one commit and returns them typed and frozen, rebuilt from their
 * `op`, `path` and `value` (nothing else is kept): each value sealed by {@link sealDecoded} in the
 * zone of its path, as the committer sealed it. Paths are checked against the state they apply
 * to when they are replayed (`replayCommits`).
 */
export function decodePatches(text: unknown, what: string): readonly Patch[] {
  const parsed = decodeJson(text, what);
  if (!Array.isArray(parsed)) throw new DecodeProblem(`${what} is not an array of patches`);
  const patches: Patch[] = [];
  for (const [i, patch] of (parsed as unknown[]).entries()) {
    const { op, path } = (typeof patch === 'object' && patch !== null ? patch : {}) as Partial<Record<string, unknown>>;
    const validPath = Array.isArray(path) && path.every((segment) => typeof segment === 'string' || typeof segment === 'number');
    if (typeof op !== 'string' || !OPS.has(op) || !validPath || (op !== 'remove' && !Object.hasOwn(patch as object, 'value'))) {
      throw new DecodeProblem(`${what}: patch ${i} is not { op: 'add' | 'replace' | 'remove', path: [...], value }`);
    }
    const segments: PathSegments = Object.freeze(path.slice());
    if (op === 'remove') {
      patches.push(Object.freeze({ op, path: segments }));
    } else {
      const value = sealDecoded((patch as { value: unknown }).value, `${what}: the value of patch ${i}`, segments, zoneOfPath(segments));
      patches.push(Object.freeze({ op: op as Patch['op'], path: segments, value }));
    }
  }
  return Object.freeze(patches);
}
