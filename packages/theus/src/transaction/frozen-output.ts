import { isPlainObject, sealValue } from '../context/value-model.js';
import type { Patch } from './patches.js';

/**
 * Freezes a committed patch list in place: the list, each patch and each path. The values are
 * committed state, frozen already (HEAVY binaries excepted, which cannot be frozen). The same
 * objects feed the conflict check, the store and listeners, so none of them can change another's.
 */
export function freezePatches(patches: readonly Patch[]): readonly Patch[] {
  if (Object.isFrozen(patches)) return patches;
  for (const patch of patches) {
    Object.freeze(patch.path);
    Object.freeze(patch);
  }
  return Object.freeze(patches);
}

/**
 * The arguments a run receives and the form its commit records, both settled before the run
 * starts. Plain data (the usual case) is copied and deeply frozen once, and that one copy is what
 * the process, the audit gates and the record see: neither the process nor a getter of the
 * caller's object can make the record differ from what the process saw, and the caller's object
 * is never changed. Anything else (a `Date`, a class instance) is handed over as given and recorded
 * as {@link recordArgs} says.
 */
export function runArguments(args: unknown): { readonly given: unknown; readonly recorded: unknown } {
  if (args === undefined) return NO_ARGUMENTS;
  const copy = frozenCopy(args, 0);
  if (copy !== UNRECORDABLE) return { given: copy, recorded: copy };
  return { given: args, recorded: recordArgs(args) };
}

const NO_ARGUMENTS = Object.freeze({ given: undefined, recorded: undefined });

/**
 * The form a run's arguments are recorded in: a deeply frozen copy in the value model (the
 * caller keeps its object, and nobody can change the record later). Arguments outside the value
 * model are recorded as their JSON form (a `Date` becomes its ISO string, as a durable store
 * would write it); arguments JSON cannot represent are recorded as a frozen note saying so.
 */
export function recordArgs(args: unknown): unknown {
  if (args === undefined) return undefined;
  const copy = frozenCopy(args, 0);
  if (copy !== UNRECORDABLE) return copy;
  try {
    return sealValue(args, SITE);
  } catch {
    try {
      const json = JSON.stringify(args);
      return json === undefined ? undefined : sealValue(JSON.parse(json), SITE);
    } catch (error) {
      return Object.freeze({ unrecorded: error instanceof Error ? error.message : String(error) });
    }
  }
}

const SITE = { who: 'The run', path: ['args'], zone: 'DATA', zoneless: true } as const;

const UNRECORDABLE = Symbol('unrecordable');
const MAX_DEPTH = 100;

/**
 * A deeply frozen copy of plain data (null, booleans, finite numbers, strings, plain arrays and
 * objects; `undefined` properties dropped as JSON does), or {@link UNRECORDABLE} for anything
 * else: the fast path for the usual small argument objects.
 */
function frozenCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : UNRECORDABLE;
    case 'object':
      break;
    default:
      return UNRECORDABLE;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return UNRECORDABLE;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return UNRECORDABLE;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = frozenCopy(value[i], depth + 1);
      if (item === UNRECORDABLE || item === undefined) return UNRECORDABLE;
      out.push(item);
    }
    return Object.freeze(out);
  }
  if (!isPlainObject(value)) return UNRECORDABLE;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return UNRECORDABLE;
    const child: unknown = value[key];
    if (child === undefined) continue;
    const item = frozenCopy(child, depth + 1);
    if (item === UNRECORDABLE) return UNRECORDABLE;
    out[key] = item;
  }
  return Object.freeze(out);
}
