/**
 * An order service in miniature: typed processes, an audit recipe, a workflow with a retry loop
 * and a state machine driven by committed signals. Imported by `main.ts` and by the example's test.
 */
import { createTheus, type Engine } from 'theus';

/** The shape of the order service's state. */
export interface OrderState {
  domain: {
    order: { id: string; items: string[]; total: number; paid: boolean; shipped: boolean };
    attempts: number;
    gateway_up: boolean;
  };
}

/** The typed front door for this state. */
export const orders = createTheus<OrderState>();

/** Checks that the order has items. */
export const validateOrder = orders.process({ name: 'validate_order', inputs: ['domain.order'], semantic: 'pure' }, (ctx) => {
  if (ctx.domain.order.items.length === 0) throw new Error('empty order');
  return true;
});

/** Tries to charge; succeeds once the gateway is up, and counts attempts. */
export const charge = orders.process(
  {
    name: 'charge',
    inputs: ['domain.order.total', 'domain.attempts', 'domain.gateway_up'],
    outputs: ['domain.order.paid', 'domain.attempts'],
  },
  (ctx, args: { currency: string }) => {
    const attempts = ctx.domain.attempts + 1;
    return { 'domain.order.paid': ctx.domain.gateway_up && args.currency === 'EUR', 'domain.attempts': attempts };
  },
);

/** Brings the payment gateway back (in real life: a health check). */
export const recoverGateway = orders.process({ name: 'recover_gateway', outputs: ['domain.gateway_up'] }, () => true);

/** Ships a paid order and emits `cmd_shipped`. */
export const ship = orders.process({ name: 'ship', inputs: ['domain.order.paid'], outputs: ['domain.order.shipped', 'signal'] }, (ctx) => {
  if (!ctx.domain.order.paid) throw new Error('cannot ship an unpaid order');
  ctx.signal('cmd_shipped', true);
  return true;
});

/** Every process of the example. */
export const processes = [validateOrder, charge, recoverGateway, ship];

/** Business rules, beside the code: a charge needs a known currency and a sane total. */
export const AUDIT = `
process_recipes:
  charge:
    inputs:
      - { field: currency, in: [EUR, USD], level: B, message: "Unsupported currency" }
      - { field: domain.order.total, min: 0.01, max: 10000, level: B }
`;

/** The order flow: validate, try to charge up to three times, then ship. */
export const ORDER_FLOW = `
steps:
  - validate_order
  - process: charge
    args: { currency: EUR }
  - flux: while
    condition: "not domain.order.paid and domain.attempts < 3"
    do:
      - recover_gateway
      - process: charge
        args: { currency: EUR }
  - flux: if
    condition: "domain.order.paid"
    then: [ship]
`;

/** A machine that follows the order: it moves to SHIPPED when the commit signal arrives. */
export const ORDER_MACHINE = `
initial: OPEN
states:
  OPEN:    { events: { cmd_shipped: SHIPPED } }
  SHIPPED: { events: {} }
`;

/** Creates the example engine with a fresh order. */
export function createOrderEngine(): Engine<OrderState> {
  return orders.engine({
    context: { domain: { order: { id: 'A-1', items: ['book'], total: 25, paid: false, shipped: false }, attempts: 0, gateway_up: false } },
    processes,
    audit: AUDIT,
  });
}
