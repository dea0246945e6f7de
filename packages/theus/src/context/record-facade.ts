/**
 * The facade of a persistent record: a read-only Proxy over its store that behaves like a frozen
 * plain object (see docs/plain-data.md for what holds and the few things a Proxy cannot do).
 */

import { forEachInsertion } from './record-order.js';
import { ABSENT, demandPlainView, recordHas, recordKeys, recordLookup, type RecordStore } from './record-store.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The facade answers this key with its store; engine-internal (see `recordStoreOf`), never given to user code. */
export const STORE: unique symbol = Symbol('theus.record-store');

/**
 * The Proxy target of a facade. Until something asks whether the facade is extensible or frozen
 * it holds no properties (the store answers every trap). `Object.isFrozen`, `Object.freeze` and
 * friends *materialize* it: the target becomes a real frozen plain object with the record's
 * entries, which is what the Proxy invariants require before a facade may report itself
 * non-extensible. That costs one plain copy, once per version, and only for those calls.
 */
class RecordTarget {
  // Private, so a materialized target's own keys are exactly the record's.
  readonly #store: RecordStore;
  #materialized = false;

  constructor(store: RecordStore) {
    this.#store = store;
  }

  static store(target: RecordTarget): RecordStore {
    return target.#store;
  }

  /** True once the target is a frozen copy. */
  static materialized(target: RecordTarget): boolean {
    return target.#materialized;
  }

  static materialize(target: RecordTarget): void {
    if (target.#materialized) return;
    const store = target.#store;
    forEachInsertion(store.index, store.nextSeq, (value, key) => {
      Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
    });
    // A frozen plain object: Node's inspector now shows the target as it is.
    Object.setPrototypeOf(target, Object.prototype);
    Object.preventExtensions(target);
    target.#materialized = true;
  }

  /** Node's inspector unwraps the Proxy, reads this from the target and calls it with the facade as `this`. */
  [INSPECT](this: object): Record<string, unknown> {
    const store = (this as { [STORE]?: RecordStore })[STORE] ?? RecordTarget.store(this as RecordTarget);
    const out: Record<string, unknown> = {};
    forEachInsertion(store.index, store.nextSeq, (value, key) => {
      // A '__proto__' key as an own data property, like every other key.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    });
    return out;
  }
}

function readOnly(key: string | symbol): never {
  throw new TypeError(
    `Cannot change '${String(key)}' of a committed Theus record: committed state is frozen. ` +
      'Write through a process output, or use structuredClone(toPlain(value)) for a mutable copy.',
  );
}

const OBJECT_PROTOTYPE: object = Object.prototype;

/**
 * The traps answer from the store; once the version has a plain view (built after enough reading,
 * see `demandPlainView`), keyed reads go through the view, a native lookup.
 */
const facadeHandler: ProxyHandler<RecordTarget> = {
  get(target, key, receiver) {
    if (typeof key === 'string') {
      const store = RecordTarget.store(target);
      // The view's own entries, else Object.prototype's members: what a plain object answers.
      const plain = store.plain ?? demandPlainView(store, 1);
      if (plain !== undefined) return plain[key];
      const value = recordLookup(store, key);
      if (value !== ABSENT) return value;
    } else if (key === STORE) return RecordTarget.store(target);
    // Like any plain object: toString, hasOwnProperty, constructor... come from Object.prototype.
    return Reflect.get(OBJECT_PROTOTYPE, key, receiver) as unknown;
  },
  has(target, key) {
    if (typeof key !== 'string') return key in OBJECT_PROTOTYPE;
    const store = RecordTarget.store(target);
    const plain = store.plain ?? demandPlainView(store, 1);
    return plain !== undefined ? key in plain : recordHas(store, key) || key in OBJECT_PROTOTYPE;
  },
  ownKeys(target) {
    const store = RecordTarget.store(target);
    demandPlainView(store, 2 * store.size);
    return recordKeys(store);
  },
  getOwnPropertyDescriptor(target, key) {
    if (typeof key !== 'string') return undefined;
    if (RecordTarget.materialized(target)) return Reflect.getOwnPropertyDescriptor(target, key);
    const value = recordLookup(RecordTarget.store(target), key);
    return value === ABSENT ? undefined : { value, writable: false, enumerable: true, configurable: true };
  },
  getPrototypeOf() {
    return OBJECT_PROTOTYPE;
  },
  set(_target, key) {
    return readOnly(key);
  },
  deleteProperty(target, key) {
    // Deleting a key an object does not have succeeds, frozen or not.
    if (typeof key === 'symbol' || !recordHas(RecordTarget.store(target), key)) return true;
    return readOnly(key);
  },
  defineProperty(target, key, descriptor) {
    // As on a frozen object, only a definition that changes nothing succeeds (Object.freeze makes those).
    RecordTarget.materialize(target);
    return Reflect.defineProperty(target, key, descriptor) || readOnly(key);
  },
  setPrototypeOf(_target, proto) {
    return proto === OBJECT_PROTOTYPE || readOnly('__proto__');
  },
  isExtensible(target) {
    RecordTarget.materialize(target);
    return false;
  },
  preventExtensions(target) {
    RecordTarget.materialize(target);
    return true;
  },
};

/** A new facade for `store` (which must not have one yet). */
export function createFacade(store: RecordStore): object {
  return new Proxy(new RecordTarget(store), facadeHandler);
}
