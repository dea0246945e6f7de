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
