import { InvalidOrderState, OutOfStock } from '../errors.js';
import { shop } from '../state.js';

/** Sets the order's units aside: they leave `stock` for `reserved`, or nothing moves at all. */
export const reserveStock = shop.process(
  {
    name: 'reserve_stock',
    inputs: ['domain.order', 'inventory.stock', 'inventory.reserved'],
    outputs: ['domain.order', 'inventory.stock', 'inventory.reserved'],
    errors: ['OutOfStock', 'InvalidOrderState'],
  },
  (ctx) => {
    const order = ctx.domain.order;
    if (order.status !== 'placed') throw new InvalidOrderState(`Order ${order.id} is ${order.status}, not placed`);
    for (const [sku, quantity] of Object.entries(order.items)) {
      const onShelf = ctx.inventory.stock[sku] ?? 0;
      if (onShelf < quantity) throw new OutOfStock(`Only ${onShelf} of ${sku} left, order ${order.id} needs ${quantity}`);
      ctx.inventory.stock[sku] = onShelf - quantity;
    }
    ctx.inventory.reserved[order.id] = { ...order.items };
    order.status = 'reserved';
    return shop.update({}, { result: Object.keys(order.items).length });
  },
);

/** Puts an order's reserved units back on the shelf (nothing to do if none are reserved). */
export const releaseStock = shop.process(
  {
    name: 'release_stock',
    inputs: ['domain.order', 'inventory.stock', 'inventory.reserved'],
    outputs: ['inventory.stock', 'inventory.reserved'],
  },
  (ctx) => {
    const id = ctx.domain.order.id;
    const reserved = ctx.inventory.reserved[id] ?? {};
    for (const [sku, quantity] of Object.entries(reserved)) {
      ctx.inventory.stock[sku] = (ctx.inventory.stock[sku] ?? 0) + quantity;
    }
    delete ctx.inventory.reserved[id];
    return shop.update({}, { result: Object.keys(reserved).length });
  },
);
