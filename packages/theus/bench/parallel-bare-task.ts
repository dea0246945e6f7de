/**
 * The bare piscina task of the parallel bench rows: what a worker thread costs without Theus.
 *
 * @packageDocumentation
 */

/** A trivial task. */
export default function bareTask(): number {
  return 1;
}
