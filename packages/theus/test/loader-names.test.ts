import { describe, expect, it } from 'vitest';
import { Engine, loadMachine, loadWorkflow, process, WorkflowError } from 'theus';

const charge = process({ name: 'charge', outputs: ['domain.paid'] }, () => true);
const ship = process({ name: 'ship', outputs: ['domain.shipped'] }, () => true);
const engine = new Engine({ context: { domain: { paid: false, shipped: false } }, processes: [charge, ship] });

const WORKFLOW = 'steps: [charge, ship]';
const MACHINE = { initial: 'IDLE', states: { IDLE: { events: { GO: 'PAY' } }, PAY: { entry: 'charge', events: { DONE: 'IDLE' } } } };

/** The error `load` throws. */
function thrown(load: () => unknown): WorkflowError {
  try {
    load();
  } catch (error) {
    if (error instanceof WorkflowError) return error;
    throw error;
  }
  throw new Error('expected a WorkflowError');
}

describe('loader options take process names as any iterable', () => {
  it('accepts engine.processes (an array) where a Set used to be required', () => {
    expect(Array.isArray(engine.processes)).toBe(true);
    expect(loadWorkflow(WORKFLOW, { processes: engine.processes }).processes).toEqual(['charge', 'ship']);
    expect(loadMachine(MACHINE, { processes: engine.processes }).states['PAY']?.entry).toEqual([{ kind: 'process', process: 'charge' }]);
  });

  it('accepts a Set, a Map key iterator and a generator, and still reports unknown names', () => {
    function* names(): Generator<string> {
      yield 'charge';
    }
    expect(loadWorkflow(WORKFLOW, { processes: new Set(['charge', 'ship']) }).steps).toHaveLength(2);
    expect(
      loadWorkflow(WORKFLOW, {
        processes: new Map([
          ['charge', 1],
          ['ship', 2],
        ]).keys(),
      }).steps,
    ).toHaveLength(2);
    const error = thrown(() => loadWorkflow(WORKFLOW, { processes: names() }));
    expect(error.code).toBe('WORKFLOW_INVALID');
    expect(error.message).toContain('ship');
    const fsmError = thrown(() => loadMachine(MACHINE, { processes: ['ship'] }));
    expect(fsmError.code).toBe('FSM_INVALID');
    expect(fsmError.message).toContain('charge');
  });

  it('accepts scopeNames as an array too', () => {
    const wf = loadWorkflow('steps: [{ flux: if, condition: "domain.paid", then: [ship] }]', { scopeNames: ['domain'] });
    expect(wf.steps).toHaveLength(1);
    expect(thrown(() => loadWorkflow('steps: [{ flux: if, condition: "other.x", then: [ship] }]', { scopeNames: ['domain'] })).code).toBe(
      'WORKFLOW_INVALID',
    );
  });

  it('rejects a single string or a non-iterable, naming the option', () => {
    for (const bad of ['charge', 42, { has: () => true }]) {
      const error = thrown(() => loadWorkflow(WORKFLOW, { processes: bad as never }));
      expect(error.code).toBe('WORKFLOW_INVALID');
      expect(error.message).toContain("option 'processes'");
      const fsmError = thrown(() => loadMachine(MACHINE, { processes: bad as never }));
      expect(fsmError.code).toBe('FSM_INVALID');
      expect(fsmError.message).toContain("option 'processes'");
    }
  });
});
