import type { PathSegments } from '../context/paths.js';
import { carriesPrivate, isPrivateKey } from '../context/private-carriers.js';
import { violation, type Actor } from './violations.js';
import { createBrand } from '../util/identity.js';

/** Brands the read-only input views, so a process handing one back is recognised without running a trap. */
const GuardBrand = createBrand<object>();

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** One level of `value` without its PRIVATE keys (deeper carriers stay guarded views). */
function visibleCopy(value: object, path: PathSegments, actor: Actor): unknown {
  const show = (key: string): unknown => {
    const child = (value as Record<string, unknown>)[key];
    return typeof child === 'object' && child !== null && carriesPrivate(child) ? guardPrivate(child, [...path, key], actor) : child;
  };
  if (Array.isArray(value)) return value.map((_, i) => show(String(i)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!isPrivateKey(key)) Object.defineProperty(out, key, { value: show(key), enumerable: true });
  return out;
}

/** The committed value behind a read-only input view, or `undefined` for any other object. */
export function guardedValue(view: object): object | undefined {
  return GuardBrand.read(view);
}

/**
 * A read-only view of committed data that hides PRIVATE (`internal_`) keys. Used only for
 * declared inputs whose subtree holds such keys; every other input is handed out as the frozen
 * value itself, so reads cost what native reads cost.
 */
export function guardPrivate(value: object, path: PathSegments, actor: Actor): object {
  const target: object = Array.isArray(value) ? [] : {};
  // `util.inspect` reads the target, not the traps: show the visible data there.
  Object.defineProperty(target, INSPECT, { value: () => visibleCopy(value, path, actor), configurable: true });
  const view = new Proxy(target, {
    get(_, key) {
      if (typeof key === 'symbol') return (value as Record<symbol, unknown>)[key];
      if (isPrivateKey(key)) {
        throw violation(
          'CONTRACT_ILLEGAL_READ',
          actor,
          [...path, key],
          'may not read the PRIVATE path',
          "only engine.edit() may touch 'internal_' fields",
        );
      }
      const child = (value as Record<string, unknown>)[key];
      return typeof child === 'object' && child !== null && carriesPrivate(child) ? guardPrivate(child, [...path, key], actor) : child;
    },
    has: (_, key) => typeof key !== 'symbol' && !isPrivateKey(key) && key in value,
    ownKeys: () => Reflect.ownKeys(value).filter((k) => typeof k === 'symbol' || !isPrivateKey(k)),
    getOwnPropertyDescriptor(_, key) {
      if (typeof key === 'string' && isPrivateKey(key)) return undefined;
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: !(Array.isArray(value) && key === 'length') };
    },
    getPrototypeOf: () => Object.getPrototypeOf(value) as object | null,
    set: (_, key) => {
      throw violation('CONTRACT_ILLEGAL_WRITE', actor, [...path, String(key)], 'may not write the input-only path');
    },
    deleteProperty: (_, key) => {
      throw violation('CONTRACT_ILLEGAL_WRITE', actor, [...path, String(key)], 'may not delete from the input-only path');
    },
    defineProperty: (_, key) => {
      throw violation('CONTRACT_ILLEGAL_WRITE', actor, [...path, String(key)], 'may not define on the input-only path');
    },
  });
  GuardBrand.stamp(view, value);
  return view;
}
