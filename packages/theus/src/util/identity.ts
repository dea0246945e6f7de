/**
 * A base class whose constructor returns its argument. A subclass's private fields are then
 * installed on that existing object ("stamping"): a per-object slot that costs no WeakMap insert
 * and no GC ephemeron work, and that reflection (`Reflect.ownKeys`, proxies, `structuredClone`,
 * inspection) cannot see. Stamp objects before freezing them.
 */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class Identity {
  constructor(node: object) {
    return node;
  }
}

/** A private brand: attaches a value to objects in a private field (see {@link Identity}). */
export interface Brand<T> {
  /** Attaches `value` to `holder` (before `holder` is frozen). */
  stamp(holder: object, value: T): void;
  /** The value attached to `holder`, or `undefined`; runs no getter and no proxy trap. */
  read(holder: object): T | undefined;
}

/**
 * Creates a brand of its own: each call declares a new class, hence a new private name, so one
 * brand never recognises another's objects.
 */
export function createBrand<T>(): Brand<T> {
  class Stamp extends Identity {
    readonly #value: T;

    constructor(holder: object, value: T) {
      super(holder);
      this.#value = value;
    }

    static read(holder: object): T | undefined {
      return #value in holder ? holder.#value : undefined;
    }
  }
  return {
    stamp: (holder, value) => {
      new Stamp(holder, value);
    },
    read: (holder) => Stamp.read(holder),
  };
}
