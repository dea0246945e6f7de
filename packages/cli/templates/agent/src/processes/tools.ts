import { ToolError } from '../errors.js';
import { agent } from '../state.js';

/** The lookup tool: finds a fact in the knowledge base (null when it has none). */
export const lookup = agent.process(
  { name: 'lookup', inputs: ['domain.action', 'knowledge.facts'], outputs: ['domain.result'], errors: ['ToolError'] },
  (ctx) => {
    const action = ctx.domain.action;
    if (action?.tool !== 'lookup') throw new ToolError('lookup runs only for a lookup action');
    return ctx.knowledge.facts[action.input] ?? null;
  },
);

/** The calculator tool: adds up the numbers the agent has noted. */
export const calculate = agent.process(
  { name: 'calculate', inputs: ['domain.action', 'domain.notes'], outputs: ['domain.result'], errors: ['ToolError'] },
  (ctx) => {
    const action = ctx.domain.action;
    if (action?.tool !== 'calculate' || action.input !== 'sum') throw new ToolError('calculate only knows sum');
    return Object.values(ctx.domain.notes).reduce<number>((sum, value) => sum + (value ?? 0), 0);
  },
);
