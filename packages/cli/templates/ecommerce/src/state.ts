import { createTheus } from 'theus';
import type { ShopState } from './schema.js';

export type { ShopState } from './schema.js';

/** The typed front door: every path a process declares is checked against `ShopState`. */
export const shop = createTheus<ShopState>();
