import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from 'theus';
import { createShop, projectFile } from '../src/engine.js';

describe('the shipping outbox', () => {
  it('delivers shipping.requested to its handler once the order has shipped', async () => {
    const engine = createShop();
    const delivered = new Promise<OutboxMessage>((resolve) => engine.outbox.on('shipping.requested', resolve));
    await engine.executeWorkflow(projectFile('workflows/checkout.yaml'));
    const message = await delivered;
    expect(message.payload).toMatchObject({ order: 'A-1001' });
    await engine.close();
    expect(await engine.outbox.pending()).toEqual([]);
  });
});
