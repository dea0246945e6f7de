/**
 * The state machine: definitions loaded from YAML or objects, and a `Machine` that runs entry
 * chains through a runtime and can be driven by committed signals.
 *
 * @packageDocumentation
 */
export { loadMachine } from './load-machine.js';
export type { MachineLoadOptions } from './load-machine.js';
export { Machine } from './machine.js';
export { EVT_CHAIN_DONE, EVT_CHAIN_FAIL } from './machine-definition.js';
export type { EntryAction, MachineDefinition, MachineStateDefinition } from './machine-definition.js';
export type { ConnectOptions, MachineOptions, MachineRuntime, MachineSendResult, MachineTransition } from './machine-runtime.js';
