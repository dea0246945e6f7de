import { fileURLToPath } from 'node:url';
import type { Engine } from 'theus';
import { initialContext } from './context.js';
import { releaseStock, reserveStock } from './processes/inventory.js';
import { cancelOrder, confirmDelivery, placeOrder, shipOrder } from './processes/orders.js';
import { chargePayment } from './processes/payment.js';
import { contextSchema } from './schema.js';
import { shop, type ShopState } from './state.js';

/** Every process of the shop. */
export const processes = [placeOrder, reserveStock, chargePayment, shipOrder, releaseStock, cancelOrder, confirmDelivery];

/** A file of this project, by its path from the project's root (whatever the working folder). */
export function projectFile(path: string): string {
  return fileURLToPath(new URL(`../${path}`, import.meta.url));
}

/**
 * Creates a shop engine: every process, the zod schema as the commit gatekeeper, and the audit
 * recipe of `specs/audit_recipe.yaml`. Outbox messages are delivered to `engine.outbox.on` handlers.
 */
export function createShop(context: ShopState = initialContext()): Engine<ShopState> {
  return shop.engine({ context, processes, schema: contextSchema, audit: projectFile('specs/audit_recipe.yaml') });
}
