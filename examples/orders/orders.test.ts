import { describe, expect, it } from 'vitest';
import { AuditBlockError } from 'theus';
import { createOrderEngine, ORDER_FLOW, ORDER_MACHINE } from './orders.js';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the order example', () => {
  it('charges with a retry, ships, and moves the machine on the committed signal', async () => {
    const engine = createOrderEngine();
    const machine = engine.machine(ORDER_MACHINE);
    const disconnect = machine.connect();
    const run = await engine.executeWorkflow(ORDER_FLOW);
    expect(run.executed).toEqual(['validate_order', 'charge', 'recover_gateway', 'charge', 'ship']);
    expect(engine.state.domain.order).toMatchObject({ paid: true, shipped: true });
    for (let i = 0; i < 50 && machine.state !== 'SHIPPED'; i++) await tick(1);
    expect(machine.state).toBe('SHIPPED');
    disconnect();
  });

  it('blocks an unsupported currency without changing anything', async () => {
    const engine = createOrderEngine();
    await expect(engine.execute('charge', { currency: 'GBP' })).rejects.toBeInstanceOf(AuditBlockError);
    expect(engine.version).toBe(0);
    expect(engine.audit.logs().some((entry) => !entry.ok && entry.field === 'currency')).toBe(true);
  });
});
