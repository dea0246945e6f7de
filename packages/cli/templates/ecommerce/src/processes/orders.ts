import { InvalidOrderState, UnknownProduct } from '../errors.js';
import { shop } from '../state.js';

/** Turns the cart into a placed order: prices every item from the CONST price list. */
export const placeOrder = shop.process(
  {
    name: 'place_order',
    inputs: ['domain.order', 'inventory.const_prices'],
    outputs: ['domain.order', 'signal'],
    errors: ['UnknownProduct', 'InvalidOrderState'],
  },
  (ctx) => {
    const order = ctx.domain.order;
    if (order.status !== 'cart') throw new InvalidOrderState(`Order ${order.id} is ${order.status}, not a cart`);
    let total = 0;
    for (const [sku, quantity] of Object.entries(order.items)) {
      const price = ctx.inventory.const_prices[sku];
      if (price === undefined) throw new UnknownProduct(`No product '${sku}'`);
      total += price * quantity;
    }
    order.total = Math.round(total * 100) / 100;
    order.status = 'placed';
    ctx.signal('order_placed', { id: order.id, total: order.total });
    return shop.update({}, { result: order.total });
  },
);

/** Hands a paid order to the carrier: an outbox message, stored in the same commit as the status. */
export const shipOrder = shop.process(
  {
    name: 'ship_order',
    inputs: ['domain.order', 'inventory.reserved'],
    outputs: ['domain.order', 'inventory.reserved', 'signal'],
    errors: ['InvalidOrderState'],
  },
  (ctx) => {
    const order = ctx.domain.order;
    if (order.status !== 'paid') throw new InvalidOrderState(`Order ${order.id} is ${order.status}: only paid orders ship`);
    // The reserved units leave the warehouse with the parcel.
    delete ctx.inventory.reserved[order.id];
    order.status = 'shipped';
    ctx.outbox.add('shipping.requested', { order: order.id, items: { ...order.items }, address: order.address });
    ctx.signal('order_shipped', { id: order.id });
    return shop.update({}, { result: order.status });
  },
);

/** Cancels an order that was not paid (the stock is released first, by `release_stock`). */
export const cancelOrder = shop.process(
  { name: 'cancel_order', inputs: ['domain.order'], outputs: ['domain.order', 'signal'], errors: ['InvalidOrderState'] },
  (ctx) => {
    const order = ctx.domain.order;
    if (order.status === 'paid' || order.status === 'shipped' || order.status === 'delivered') {
      throw new InvalidOrderState(`Order ${order.id} is ${order.status}: refund it instead`);
    }
    order.status = 'cancelled';
    ctx.signal('order_cancelled', { id: order.id });
    return shop.update({}, { result: order.status });
  },
);

/** Records the carrier's confirmation (the state machine runs it on entering DELIVERED). */
export const confirmDelivery = shop.process(
  { name: 'confirm_delivery', inputs: ['domain.order'], outputs: ['domain.order'], errors: ['InvalidOrderState'] },
  (ctx) => {
    const order = ctx.domain.order;
    if (order.status !== 'shipped') throw new InvalidOrderState(`Order ${order.id} is ${order.status}, not shipped`);
    return { ...order, status: 'delivered' as const };
  },
);
