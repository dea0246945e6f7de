import type { Engine, Machine, WorkflowRun } from 'theus';
import { loadMachineFile } from 'theus/node';
import { projectFile } from './engine.js';
import type { AgentState } from './state.js';

/** The states where the machine stops. */
const FINAL = new Set(['DONE', 'FAILED']);

/** Runs the agent as a workflow: `workflows/agent_loop.yaml`, a `while` loop over think, act, observe. */
export function runLoop(engine: Engine<AgentState>): Promise<WorkflowRun> {
  return engine.executeWorkflow(projectFile('workflows/agent_loop.yaml'));
}

/**
 * Runs the agent as a state machine (`specs/agent_machine.yaml`): `think` commits a signal that
 * names the next event, and the connected machine moves on it. Resolves in DONE or FAILED.
 */
export async function runMachine(engine: Engine<AgentState>, timeoutMs = 5000): Promise<Machine> {
  const machine = engine.machine(await loadMachineFile(projectFile('specs/agent_machine.yaml')));
  const disconnect = machine.connect();
  try {
    await machine.send('START');
    const deadline = Date.now() + timeoutMs;
    // Signals reach the machine after their commit, asynchronously: wait for the last one.
    while (!FINAL.has(machine.state)) {
      if (Date.now() > deadline) throw new Error(`The agent's machine is still in ${machine.state} after ${timeoutMs} ms`);
      await machine.settled();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return machine;
  } finally {
    disconnect();
  }
}
