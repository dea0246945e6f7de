import { fileURLToPath } from 'node:url';
import type { Engine } from 'theus';
import { initialContext } from './context.js';
import { observe } from './processes/observe.js';
import { think } from './processes/think.js';
import { calculate, lookup } from './processes/tools.js';
import { agent, type AgentState } from './state.js';

/** Every process of the agent: its policy, its tools, and the observation step. */
export const processes = [think, lookup, calculate, observe];

/** A file of this project, by its path from the project's root (whatever the working folder). */
export function projectFile(path: string): string {
  return fileURLToPath(new URL(`../${path}`, import.meta.url));
}

/**
 * Creates an agent engine: every process and the audit recipe of `specs/audit_recipe.yaml`.
 * `maxOps` is the workflow safety trip, a second bound beside the step budget.
 */
export function createAgent(context: AgentState = initialContext(), maxOps = 500): Engine<AgentState> {
  return agent.engine({ context, processes, audit: projectFile('specs/audit_recipe.yaml'), maxOps });
}
