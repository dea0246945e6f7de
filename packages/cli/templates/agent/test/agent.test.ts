import { describe, expect, it } from 'vitest';
import { AuditAbortError, AuditBlockError, WorkflowError } from 'theus';
import { initialContext } from '../src/context.js';
import { createAgent } from '../src/engine.js';
import { ToolError } from '../src/errors.js';
import { lookup } from '../src/processes/tools.js';
import { runLoop, runMachine } from '../src/runs.js';
import type { AgentState } from '../src/state.js';

/** The initial context with another budget or other facts to find. */
function contextWith(change: { maxSteps?: number; needs?: string[] }): AgentState {
  const context = initialContext();
  return {
    ...context,
    global: { const_max_steps: change.maxSteps ?? context.global.const_max_steps },
    domain: { ...context.domain, needs: change.needs ?? context.domain.needs },
  };
}

describe('the agent loop (workflow)', () => {
  it('thinks, calls a tool, observes, until it can answer', async () => {
    const engine = createAgent();
    const run = await runLoop(engine);
    expect(run.status).toBe('complete');
    expect(run.executed).toEqual(['think', 'lookup', 'observe', 'think', 'lookup', 'observe', 'think', 'calculate', 'observe', 'think']);
    expect(engine.state.domain).toMatchObject({ status: 'answered', answer: 'paris + lyon = 2624900', steps: 4 });
    expect(engine.state.domain.notes).toEqual({ paris: 2102650, lyon: 522250 });
  });

  it('gives up when the step budget is spent', async () => {
    const engine = createAgent(contextWith({ maxSteps: 2 }));
    await runLoop(engine);
    expect(engine.state.domain).toMatchObject({ status: 'out_of_budget', steps: 2, answer: null });
  });

  it('says so when a fact cannot be found', async () => {
    const engine = createAgent(contextWith({ needs: ['paris', 'atlantis'] }));
    await runLoop(engine);
    expect(engine.state.domain.answer).toBe('I could not find atlantis.');
  });

  it('is stopped by maxOps, the workflow safety trip, keeping the steps it committed', async () => {
    const engine = createAgent(initialContext(), 8);
    const failure = await runLoop(engine).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowError);
    expect((failure as WorkflowError).code).toBe('WORKFLOW_MAX_OPS');
    expect(engine.state.domain.steps).toBe(1);
  });
});

describe('the agent machine (think / act / observe states)', () => {
  it('moves on the signals think commits, and answers', async () => {
    const engine = createAgent();
    const machine = await runMachine(engine);
    expect(machine.state).toBe('DONE');
    expect(machine.history.map((move) => move.to)).toEqual([
      ...['THINK', 'ACT_LOOKUP', 'OBSERVE', 'THINK', 'ACT_LOOKUP', 'OBSERVE'],
      ...['THINK', 'ACT_CALCULATE', 'OBSERVE', 'THINK', 'DONE'],
    ]);
    expect(engine.state.domain.answer).toBe('paris + lyon = 2624900');
  });

  it('ends in DONE when the budget runs out', async () => {
    const engine = createAgent(contextWith({ maxSteps: 1 }));
    const machine = await runMachine(engine);
    expect(machine.state).toBe('DONE');
    expect(engine.state.domain.status).toBe('out_of_budget');
  });
});

describe('the guards', () => {
  it('a tool refuses to run without a call meant for it', async () => {
    const engine = createAgent();
    const warnings: string[] = [];
    engine.on('warning', (warning) => warnings.push(warning.code));
    await expect(engine.execute(lookup)).rejects.toBeInstanceOf(ToolError);
    // The audit rule on domain.action.input had nothing to check: reported once, as a warning.
    expect(warnings).toEqual(['AUDIT_FIELD_ABSENT']);
  });

  it('the audit blocks a lookup of a malformed topic', async () => {
    const engine = createAgent(contextWith({ needs: ['Paris!'] }));
    const failure = await runLoop(engine).catch((error: unknown) => error);
    expect((failure as WorkflowError).cause).toBeInstanceOf(AuditBlockError);
    expect(engine.state.domain.notes).toEqual({});
  });

  it('the audit aborts an agent thinking more than 20 times, whatever its budget', async () => {
    const needs = Array.from({ length: 25 }, (_, index) => `fact ${String.fromCharCode(97 + index)}`);
    const engine = createAgent(contextWith({ maxSteps: 100, needs }));
    const failure = await runLoop(engine).catch((error: unknown) => error);
    expect((failure as WorkflowError).cause).toBeInstanceOf(AuditAbortError);
    expect(engine.state.domain.steps).toBe(20);
  });
});
