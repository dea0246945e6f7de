/**
 * The element types `engine.heavy.alloc()` knows, and the typed array each one makes.
 *
 * @packageDocumentation
 */

/**
 * A `Float16Array` over shared memory, typed by what it shares with every typed array (the
 * TypeScript library Theus targets, ES2023, does not declare `Float16Array` yet).
 */
export interface SharedFloat16Array extends ArrayBufferView {
  readonly length: number;
  [index: number]: number;
}

/**
 * The typed array `engine.heavy.alloc()` returns for each element type, backed by a
 * `SharedArrayBuffer` (typed without the buffer parameter TypeScript 5.7 added to typed arrays,
 * so that the declarations hold from TypeScript 5.6 on).
 */
export interface HeavyArrayTypes {
  int8: Int8Array;
  uint8: Uint8Array;
  uint8clamped: Uint8ClampedArray;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  /** Only where the runtime has `Float16Array` (Node 24 and later); elsewhere `alloc` throws `HEAVY_INVALID`. */
  float16: SharedFloat16Array;
  float32: Float32Array;
  float64: Float64Array;
  bigint64: BigInt64Array;
  biguint64: BigUint64Array;
}

/** An element type of `engine.heavy.alloc()`: `'float32'`, `'uint8'`, `'bigint64'`, ... */
export type HeavyType = keyof HeavyArrayTypes;

/** Any typed array `engine.heavy.alloc()` returns. */
export type HeavyArray = HeavyArrayTypes[HeavyType];

/** A binary value the HEAVY zone holds: an `ArrayBuffer`, a `SharedArrayBuffer` or a view of one (typed array, `DataView`, `Buffer`). */
export type HeavyValue = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** A typed-array constructor as `alloc` uses it. */
export interface HeavyArrayConstructor {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: SharedArrayBuffer): HeavyArray;
}

/**
 * The constructor of each element type this runtime has, in the order messages list them:
 * `float16` only where `Float16Array` exists.
 */
const CONSTRUCTORS: ReadonlyMap<string, HeavyArrayConstructor> = (() => {
  const table = new Map<string, HeavyArrayConstructor>([
    ['int8', Int8Array],
    ['uint8', Uint8Array],
    ['uint8clamped', Uint8ClampedArray],
    ['int16', Int16Array],
    ['uint16', Uint16Array],
    ['int32', Int32Array],
    ['uint32', Uint32Array],
  ]);
  const float16: unknown = (globalThis as { Float16Array?: unknown }).Float16Array;
  if (typeof float16 === 'function') table.set('float16', float16 as HeavyArrayConstructor);
  table.set('float32', Float32Array);
  table.set('float64', Float64Array);
  table.set('bigint64', BigInt64Array);
  table.set('biguint64', BigUint64Array);
  return table;
})();

/** The element types this runtime can allocate (every {@link HeavyType}, `float16` only where `Float16Array` exists). */
export const HEAVY_TYPES: readonly HeavyType[] = Object.freeze([...CONSTRUCTORS.keys()] as HeavyType[]);

/** The constructor of `type`, or `undefined` when this runtime has none (an unknown name, or `float16` before Node 24). */
export function heavyArrayConstructor(type: unknown): HeavyArrayConstructor | undefined {
  return typeof type === 'string' ? CONSTRUCTORS.get(type) : undefined;
}

/**
 * The largest buffer `alloc` makes: 4 GiB (2^32 bytes). It is the largest `Buffer` Node makes on
 * 64-bit hosts (`buffer.constants.MAX_LENGTH`), so any HEAVY array can also be viewed as a
 * `Buffer`. The memory starts zeroed; most hosts commit its pages only when they are first written.
 */
export const HEAVY_MAX_BYTES = 2 ** 32;
