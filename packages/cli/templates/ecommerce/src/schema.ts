import { z } from 'zod';

/** Where an order is in its life (the state machine in `specs/order_lifecycle.yaml` follows it). */
const orderStatus = z.enum(['cart', 'placed', 'reserved', 'paid', 'declined', 'shipped', 'cancelled', 'delivered']);

const sku = z.string().min(1);

/**
 * The shop's whole context, checked at every commit (the engine's `schema`): a commit that would
 * break it fails with `SchemaViolationError` and changes nothing. Layers: `global` (settings),
 * `domain` (the order), and two namespaces, `inventory` and `payment`. The top level is strict: a
 * layer the shop does not know is refused (the engine judges the state without its transient
 * `signal` / `cmd` layers, which it writes itself).
 */
export const contextSchema = z.strictObject({
  global: z.object({ currency: z.enum(['EUR', 'USD']) }),
  domain: z.object({
    order: z.object({
      id: z.string().min(1),
      items: z.record(sku, z.number().int().positive()),
      total: z.number().nonnegative(),
      status: orderStatus,
      address: z.string().min(1),
    }),
  }),
  inventory: z.object({
    /** Units on the shelf, never negative. */
    stock: z.record(sku, z.number().int().nonnegative()),
    /** Units set aside for an order (by order id) between reservation and shipping. */
    reserved: z.record(z.string(), z.record(sku, z.number().int().positive())),
    /** Unit prices: CONST, processes read them and never change them. */
    const_prices: z.record(sku, z.number().positive()),
  }),
  payment: z.object({
    /** What the customer's card can still pay. */
    balance: z.number().nonnegative(),
    /** Every charge made, append-only. */
    log_charges: z.array(z.object({ order: z.string(), amount: z.number().positive() })),
  }),
});

/** The shop's state type, inferred from {@link contextSchema}: one source for both. */
export type ShopState = z.infer<typeof contextSchema>;
