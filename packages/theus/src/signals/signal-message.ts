/**
 * One published signal, delivered by reference to every matching subscriber.
 *
 * The same record is shared by every subscriber and is read-only by type (not frozen at run time:
 * `Object.freeze` per message halved throughput). Its `payload` is never serialised, cloned or
 * frozen: every subscriber receives the very object that was published, so treat it as immutable.
 */
export interface SignalMessage<T = unknown> {
  /** The topic it was published on. */
  readonly topic: string;
  /** The payload, exactly as published (same reference, same type). */
  readonly payload: T;
  /** The hub-wide publish number: 1 for the first message, increasing by 1 per publish. */
  readonly seq: number;
  /** The engine version whose commit emitted it, or absent for a direct `publish`. */
  readonly version?: number;
}
