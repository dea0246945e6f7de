import { agent, type ToolCall } from '../state.js';

/**
 * The agent's policy: decides the next tool call, the answer, or to give up when the step budget
 * is spent. It stands in for a model call; its decision is data (`domain.action`) plus a signal
 * naming the next event of the state machine (`act_lookup`, `act_calculate`, `agent_done`).
 */
export const think = agent.process(
  {
    name: 'think',
    inputs: ['domain.needs', 'domain.notes', 'domain.total', 'domain.steps', 'domain.status', 'global.const_max_steps'],
    outputs: ['domain.action', 'domain.steps', 'domain.status', 'domain.answer', 'domain.log_trace', 'signal'],
  },
  (ctx) => {
    const step = ctx.domain.steps + 1;
    const trace = (detail: string): void => {
      ctx.domain.log_trace.push({ step, phase: 'think', detail });
    };
    if (ctx.domain.status !== 'running') return agent.update({}, { result: ctx.domain.status });
    if (ctx.domain.steps >= ctx.global.const_max_steps) {
      ctx.domain.status = 'out_of_budget';
      trace(`the budget of ${ctx.global.const_max_steps} steps is spent: giving up`);
      ctx.signal('agent_done', { status: 'out_of_budget' });
      return agent.update({}, { result: 'out_of_budget' });
    }
    ctx.domain.steps = step;
    const missing = ctx.domain.needs.find((fact) => !Object.hasOwn(ctx.domain.notes, fact));
    const unknown = ctx.domain.needs.find((fact) => ctx.domain.notes[fact] === null);
    let next: ToolCall | null = null;
    if (missing !== undefined) next = { tool: 'lookup', input: missing };
    else if (unknown !== undefined) ctx.domain.answer = `I could not find ${unknown}.`;
    else if (ctx.domain.total === null) next = { tool: 'calculate', input: 'sum' };
    else ctx.domain.answer = `${ctx.domain.needs.join(' + ')} = ${ctx.domain.total}`;
    ctx.domain.action = next;
    if (next === null) ctx.domain.status = 'answered';
    trace(next === null ? `answer: ${ctx.domain.answer ?? ''}` : `call ${next.tool}(${next.input})`);
    ctx.signal(next === null ? 'agent_done' : `act_${next.tool}`, { step });
    return agent.update({}, { result: ctx.domain.status });
  },
);
