import type { PathSegments } from '../context/paths.js';
import { carriesPrivate, isPrivateKey } from '../context/private-carriers.js';
import { violation, type Actor } from './violations.js';

/**
 * A read-only view of committed data that hides PRIVATE (`internal_`) keys. Used only for
 * declared inputs whose subtree holds such keys; every other input is handed out as the frozen
 * value itself, so reads cost what native reads cost.
 */
export function guardPrivate(value: object, path: PathSegments, actor: Actor): object {
  const target = Array.isArray(value) ? [] : {};
  return new Proxy(target, {
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
}
