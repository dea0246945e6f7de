import { expectTypeOf, test } from 'vitest';
import type { EngineHeavy, HeavyValue, SharedFloat16Array } from '../../src/heavy/index.js';

declare const heavy: EngineHeavy;

test('alloc returns the typed array of its element type, on shared memory', async () => {
  expectTypeOf(await heavy.alloc('a', { type: 'float32', length: 1 })).toEqualTypeOf<Float32Array>();
  expectTypeOf(await heavy.alloc('b', { type: 'uint8clamped', length: 1 })).toEqualTypeOf<Uint8ClampedArray>();
  expectTypeOf(await heavy.alloc('c', { type: 'biguint64', length: 1, replace: true })).toEqualTypeOf<BigUint64Array>();
  expectTypeOf(await heavy.alloc('d', { type: 'float16', length: 1 })).toEqualTypeOf<SharedFloat16Array>();
  expectTypeOf(heavy.get('a')).toEqualTypeOf<HeavyValue | undefined>();
});

test('a type that is not an element type, or a missing length, does not compile', () => {
  // @ts-expect-error -- not an element type
  void heavy.alloc('a', { type: 'float128', length: 1 });
  // @ts-expect-error -- length is required
  void heavy.alloc('a', { type: 'int8' });
});
