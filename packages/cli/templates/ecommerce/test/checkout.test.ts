import { describe, expect, it } from 'vitest';
import { AuditBlockError, SchemaViolationError, WorkflowError } from 'theus';
import { initialContext } from '../src/context.js';
import { createShop, projectFile } from '../src/engine.js';
import { OutOfStock } from '../src/errors.js';
import type { ShopState } from '../src/state.js';

const CHECKOUT = projectFile('workflows/checkout.yaml');

/** The initial context with other order items or another card balance. */
function contextWith(change: { items?: Record<string, number>; balance?: number }): ShopState {
  const context = initialContext();
  return {
    ...context,
    domain: { order: { ...context.domain.order, items: change.items ?? context.domain.order.items } },
    payment: { ...context.payment, balance: change.balance ?? context.payment.balance },
  };
}

describe('the checkout workflow', () => {
  it('places, reserves, charges and ships a paid order, with an outbox message for the carrier', async () => {
    const engine = createShop();
    const run = await engine.executeWorkflow(CHECKOUT);
    expect(run.executed).toEqual(['place_order', 'reserve_stock', 'charge_payment', 'ship_order']);
    expect(engine.state.domain.order).toMatchObject({ status: 'shipped', total: 25 });
    expect(engine.state.inventory.stock).toEqual({ 'TEA-01': 8, 'MUG-02': 2, 'POT-03': 0 });
    expect(engine.state.inventory.reserved).toEqual({});
    expect(engine.state.payment).toEqual({ balance: 75, log_charges: [{ order: 'A-1001', amount: 25 }] });
    const pending = await engine.outbox.pending();
    expect(pending.map((message) => [message.topic, message.payload])).toEqual([
      ['shipping.requested', { order: 'A-1001', items: { 'TEA-01': 2, 'MUG-02': 1 }, address: '1 Harbour Road, Dublin' }],
    ]);
    await engine.close();
  });

  it('puts the stock back and cancels when the card is declined (the else branch)', async () => {
    const engine = createShop(contextWith({ balance: 10 }));
    const run = await engine.executeWorkflow(CHECKOUT);
    expect(run.executed).toEqual(['place_order', 'reserve_stock', 'charge_payment', 'release_stock', 'cancel_order']);
    expect(engine.state.domain.order.status).toBe('cancelled');
    expect(engine.state.inventory.stock).toEqual(initialContext().inventory.stock);
    expect(engine.state.payment.balance).toBe(10);
    expect(await engine.outbox.pending()).toEqual([]);
    await engine.close();
  });

  it('stops at reserve_stock when a product is out of stock, leaving the stock untouched', async () => {
    const engine = createShop(contextWith({ items: { 'POT-03': 1 } }));
    const failure = await engine.executeWorkflow(CHECKOUT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowError);
    expect((failure as WorkflowError).code).toBe('WORKFLOW_STEP_FAILED');
    expect((failure as WorkflowError).cause).toBeInstanceOf(OutOfStock);
    expect(engine.state.domain.order.status).toBe('placed');
    expect(engine.state.inventory.stock).toEqual(initialContext().inventory.stock);
    await engine.close();
  });
});

describe('the guards', () => {
  it('the audit blocks an order total above 500 before it commits', async () => {
    const engine = createShop(contextWith({ items: { 'TEA-01': 80 } }));
    await expect(engine.execute('place_order')).rejects.toBeInstanceOf(AuditBlockError);
    expect(engine.state.domain.order.status).toBe('cart');
    expect(engine.version).toBe(0);
    await engine.close();
  });

  it('the zod schema refuses a commit that would make the stock negative', async () => {
    const engine = createShop();
    await expect(
      engine.edit((draft) => {
        draft.inventory.stock['TEA-01'] = -1;
      }),
    ).rejects.toBeInstanceOf(SchemaViolationError);
    expect(engine.state.inventory.stock['TEA-01']).toBe(10);
    await engine.close();
  });
});
