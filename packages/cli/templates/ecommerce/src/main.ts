/**
 * A checkout from cart to doorstep: the checkout workflow, the carrier's outbox message, and the
 * order's state machine following every step. `npm start` runs this file.
 */
import { createShop, projectFile } from './engine.js';
import { followOrder, waitForState } from './lifecycle.js';

const engine = createShop();
engine.on('commit', (event) => console.log(`  commit v${event.version} by ${event.process}`));
const { machine, disconnect } = await followOrder(engine);

// The carrier: outbox messages are delivered after their commit, at least once, with retries.
const handedOver = new Promise<void>((resolve) => {
  engine.outbox.on('shipping.requested', (message) => {
    console.log(`  carrier: parcel for ${JSON.stringify(message.payload)} (message ${message.id})`);
    resolve();
  });
});

console.log(`Order ${engine.state.domain.order.id}: ${JSON.stringify(engine.state.domain.order.items)}`);
const run = await engine.executeWorkflow(projectFile('workflows/checkout.yaml'));
console.log(`Checkout ${run.status}: ${run.executed.join(' → ')}`);
await handedOver;
await waitForState(machine, 'SHIPPED');

console.log('The carrier confirms the delivery');
await machine.send('DELIVERED');
console.log(`Machine: ${machine.history.map((move) => move.to).join(' → ')}`);
const { order } = engine.state.domain;
console.log(
  `Order ${order.id} is ${order.status}; paid ${order.total} ${engine.state.global.currency}; stock ${JSON.stringify(engine.state.inventory.stock)}`,
);
disconnect();
await engine.close();
