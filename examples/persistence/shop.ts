import { createTheus } from 'theus';

/** The shop's state: orders by id. */
export interface ShopState {
  domain: { orders: Record<string, { item: string; quantity: number }> };
}

/** The typed front door for the shop. */
export const shop = createTheus<ShopState>();

/** Places an order and, in the same commit, a message for the mailer. */
export const placeOrder = shop.process(
  { inputs: ['domain.orders'], outputs: ['domain.orders'] },
  function placeOrder(ctx, args: { id: string; item: string; quantity: number }) {
    ctx.domain.orders[args.id] = { item: args.item, quantity: args.quantity };
    ctx.outbox.add('order.placed', { id: args.id, item: args.item });
  },
);
