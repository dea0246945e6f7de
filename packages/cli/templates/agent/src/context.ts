import type { AgentState } from './state.js';

/** The state a new agent starts from (`specs/initial_context.yaml` holds the same, for `theus run`). */
export function initialContext(): AgentState {
  return {
    global: { const_max_steps: 6 },
    domain: {
      question: 'How many people live in Paris and Lyon together?',
      needs: ['paris', 'lyon'],
      notes: {},
      total: null,
      action: null,
      result: null,
      steps: 0,
      status: 'running',
      answer: null,
      log_trace: [],
    },
    knowledge: { facts: { paris: 2102650, lyon: 522250, marseille: 873076 } },
  };
}
