/**
 * The processes of the parallel bench rows, at the top level of their own module so that worker
 * threads can import them (a parallel process is found in the module that defined it).
 *
 * @packageDocumentation
 */
import { process } from 'theus';

/** CPU work of about `n` million floating-point steps; returns a checksum. */
export function work(n: number): number {
  let x = 0;
  for (let i = 0; i < n * 1_000_000; i++) x += Math.sqrt(i % 1000);
  return Math.round(x);
}

/** Reads a HEAVY array in a worker: the hand-off is the shared memory, never a copy. */
export const touchHeavy = process({ name: 'touchHeavy', inputs: ['heavy.big'], parallel: true }, (ctx) => {
  const big = ctx.heavy.big as Float32Array;
  return big.length + (big[0] ?? 0);
});

/** CPU-bound work in a worker. */
export const spin = process({ name: 'spin', parallel: true }, (_ctx, { n }: { n: number }) => work(n));

/** The same work on the main thread. */
export const spinInline = process({ name: 'spinInline' }, (_ctx, { n }: { n: number }) => work(n));

/** Nothing at all, in a worker: the per-task overhead. */
export const trivial = process({ name: 'trivial', parallel: true }, () => 1);
