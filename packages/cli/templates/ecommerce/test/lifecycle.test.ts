import { describe, expect, it } from 'vitest';
import { initialContext } from '../src/context.js';
import { createShop, projectFile } from '../src/engine.js';
import { followOrder, waitForState } from '../src/lifecycle.js';

describe('the order state machine', () => {
  it('follows the committed signals to SHIPPED, then runs confirm_delivery on DELIVERED', async () => {
    const engine = createShop();
    const { machine, disconnect } = await followOrder(engine);
    await engine.executeWorkflow(projectFile('workflows/checkout.yaml'));
    await waitForState(machine, 'SHIPPED');
    const result = await machine.send('DELIVERED');
    expect(result.chainError).toBeUndefined();
    expect(machine.history.map((move) => move.to)).toEqual(['PLACED', 'PAID', 'SHIPPED', 'DELIVERED']);
    expect(engine.state.domain.order.status).toBe('delivered');
    disconnect();
    await engine.close();
  });

  it('ends in CANCELLED when the card is declined', async () => {
    const context = initialContext();
    const engine = createShop({ ...context, payment: { ...context.payment, balance: 0 } });
    const { machine, disconnect } = await followOrder(engine);
    await engine.executeWorkflow(projectFile('workflows/checkout.yaml'));
    await waitForState(machine, 'CANCELLED');
    expect(machine.history.map((move) => move.to)).toEqual(['PLACED', 'DECLINED', 'CANCELLED']);
    disconnect();
    await engine.close();
  });
});
