import { agent } from '../state.js';

/** Records the last tool call's result where `think` will look for it, and clears the call. */
export const observe = agent.process(
  {
    name: 'observe',
    inputs: ['domain.action', 'domain.result', 'domain.steps'],
    outputs: ['domain.notes', 'domain.total', 'domain.action', 'domain.result', 'domain.log_trace'],
  },
  (ctx) => {
    const action = ctx.domain.action;
    const result = ctx.domain.result;
    if (action === null) return agent.update({}, { result: 'nothing to observe' });
    if (action.tool === 'lookup') ctx.domain.notes[action.input] = result;
    else ctx.domain.total = result;
    ctx.domain.log_trace.push({ step: ctx.domain.steps, phase: 'observe', detail: `${action.tool}(${action.input}) → ${String(result)}` });
    ctx.domain.action = null;
    ctx.domain.result = null;
    return agent.update({}, { result: 'observed' });
  },
);
