import type { Engine, Machine } from 'theus';
import { loadMachineFile } from 'theus/node';
import { projectFile } from './engine.js';
import type { ShopState } from './state.js';

/**
 * The order's state machine (`specs/order_lifecycle.yaml`), connected to the engine's committed
 * signals: `order_placed`, `order_paid`... move it along. Call the returned `disconnect` when done.
 */
export async function followOrder(engine: Engine<ShopState>): Promise<{ machine: Machine; disconnect: () => void }> {
  const machine = engine.machine(await loadMachineFile(projectFile('specs/order_lifecycle.yaml')));
  return { machine, disconnect: machine.connect() };
}

/**
 * Waits until `machine` is in `state`. Signals reach a connected machine asynchronously, after
 * their commit, so a caller that just ran a workflow waits for them here.
 */
export async function waitForState(machine: Machine, state: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (machine.state !== state) {
    if (Date.now() > deadline) throw new Error(`The machine is in ${machine.state}, still not ${state} after ${timeoutMs} ms`);
    await machine.settled();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
