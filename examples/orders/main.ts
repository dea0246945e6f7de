/**
 * The order example: audit + workflow + state machine + signals on one engine.
 * Run it with `npm run demo:orders`.
 */
import { AuditBlockError } from 'theus';
import { createOrderEngine, ORDER_FLOW, ORDER_MACHINE } from './orders.js';

const engine = createOrderEngine();
const machine = engine.machine(ORDER_MACHINE);
const disconnect = machine.connect();

const run = await engine.executeWorkflow(ORDER_FLOW, {
  onStatus: (status) => console.log(`  workflow: ${status}`),
});
console.log('executed:', run.executed.join(' → '), `(${run.ops} operations)`);
console.log('order:', JSON.stringify(engine.state.domain.order));
await machine.settled();
console.log('machine state:', machine.state);

try {
  await engine.execute('charge', { currency: 'GBP' });
} catch (error) {
  if (error instanceof AuditBlockError) console.log('audit blocked a GBP charge; version stays', engine.version);
}
console.log('audit log entries:', engine.audit.logs().length);
disconnect();
await engine.close();
