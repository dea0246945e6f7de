/**
 * The HEAVY zone: shared binary data committed by reference (`engine.heavy`).
 *
 * @packageDocumentation
 */
export { EngineHeavy } from './engine-heavy.js';
export type { HeavyHost, HeavyAllocOptions } from './engine-heavy.js';
export { HEAVY_MAX_BYTES, HEAVY_TYPES } from './heavy-types.js';
export type { HeavyArray, HeavyArrayTypes, HeavyType, HeavyValue, SharedFloat16Array } from './heavy-types.js';
export { MAX_HEAVY_NAME_LENGTH } from './alloc-request.js';
