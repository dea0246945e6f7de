/**
 * Runs a callback once the event loop has moved on from the current turn (after every pending
 * microtask), and lets the caller cancel it. The workflow runner uses it to tell a step that really
 * waits (for I/O, a timer, an immediate, a worker) from one whose promise settles within the
 * current turn.
 *
 * @packageDocumentation
 */

/** Cancels a callback scheduled by {@link afterThisTurn}; calling it twice is harmless. */
export type CancelTurn = () => void;

type Immediate = (callback: () => void) => unknown;
type ClearImmediate = (handle: unknown) => void;

/**
 * Schedules `callback` for the next turn of the event loop, both as a zero-delay timer and (where
 * it exists: Node, Bun, Deno) as an immediate; whichever comes first runs it and cancels the other.
 * Scheduled before a step starts, one of them always comes before the step's own first timer or
 * immediate, whichever phase of the loop runs first. Returns the function that cancels both.
 */
export function afterThisTurn(callback: () => void): CancelTurn {
  const host = globalThis as { setImmediate?: Immediate; clearImmediate?: ClearImmediate };
  const { setImmediate, clearImmediate } = host;
  let immediate: unknown;
  const hasImmediate = typeof setImmediate === 'function' && typeof clearImmediate === 'function';
  const cancel = (): void => {
    clearTimeout(timer);
    if (hasImmediate) clearImmediate(immediate);
  };
  const fire = (): void => {
    cancel();
    callback();
  };
  const timer = setTimeout(fire, 0);
  if (hasImmediate) immediate = setImmediate(fire);
  return cancel;
}
