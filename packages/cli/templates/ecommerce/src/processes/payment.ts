import { InvalidOrderState } from '../errors.js';
import { shop } from '../state.js';

/**
 * Charges the order's total to the customer's card. A card that cannot pay is not an error: the
 * order becomes `declined` (and the workflow releases the stock); `order_paid` or
 * `order_declined` is signalled either way.
 */
export const chargePayment = shop.process(
  {
    name: 'charge_payment',
    inputs: ['domain.order', 'payment.balance', 'payment.log_charges'],
    outputs: ['domain.order', 'payment.balance', 'payment.log_charges', 'signal'],
    errors: ['InvalidOrderState'],
  },
  (ctx) => {
    const order = ctx.domain.order;
    if (order.status !== 'reserved') throw new InvalidOrderState(`Order ${order.id} is ${order.status}, not reserved`);
    if (ctx.payment.balance < order.total) {
      order.status = 'declined';
      ctx.signal('order_declined', { id: order.id, total: order.total });
      return shop.update({}, { result: order.status });
    }
    ctx.payment.balance = Math.round((ctx.payment.balance - order.total) * 100) / 100;
    ctx.payment.log_charges.push({ order: order.id, amount: order.total });
    order.status = 'paid';
    ctx.signal('order_paid', { id: order.id, total: order.total });
    return shop.update({}, { result: order.status });
  },
);
