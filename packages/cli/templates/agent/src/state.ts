import { createTheus } from 'theus';

/** A tool call the agent decided on: which tool, with what input. */
export interface ToolCall {
  tool: 'lookup' | 'calculate';
  input: string;
}

/** One line of the agent's trace. */
export interface TraceEntry {
  step: number;
  phase: 'think' | 'observe';
  detail: string;
}

/**
 * The agent's state. `global.const_max_steps` is CONST (processes read it, never change it),
 * `domain.log_trace` is LOG (append-only), `knowledge` is a namespace: the world the tools see.
 */
export interface AgentState {
  global: {
    /** The step budget: how many times the agent may think before it gives up. */
    const_max_steps: number;
  };
  domain: {
    question: string;
    /** The facts the question needs; the agent looks each one up, then adds them. */
    needs: string[];
    /** What the agent has observed, by fact (null: the lookup found nothing). */
    notes: Record<string, number | null>;
    /** The calculator's observed result. */
    total: number | null;
    /** The tool call decided by the last `think`, until `observe` consumes it. */
    action: ToolCall | null;
    /** The output of the last tool call. */
    result: number | null;
    steps: number;
    status: 'running' | 'answered' | 'out_of_budget';
    answer: string | null;
    log_trace: TraceEntry[];
  };
  knowledge: {
    facts: Record<string, number>;
  };
}

/** The typed front door: every path a process declares is checked against `AgentState`. */
export const agent = createTheus<AgentState>();
