import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors/index.js';
import { loadWorkflow } from './load-workflow.js';

/** The WORKFLOW_INVALID error loading `text` throws. */
function invalid(text: string, options: Parameters<typeof loadWorkflow>[1] = {}): WorkflowError {
  try {
    loadWorkflow(text, options);
  } catch (error) {
    if (error instanceof WorkflowError && error.code === 'WORKFLOW_INVALID') return error;
    throw error;
  }
  throw new Error('expected WORKFLOW_INVALID');
}

describe('loadWorkflow', () => {
  it('reads every step form into a frozen IR', () => {
    const wf = loadWorkflow(`name: demo
version: 1.0
steps:
  - validate
  - process: charge
    args: { currency: EUR, cents: [1, 2] }
  - flux: if
    condition: "domain['paid'] == True"
    then: [ship]
  - flux: while
    condition: "domain.retries < 3"
    do: [retry]
  - flux: run
    steps: [cleanup]
  - flux: parallel
    branches: [[email], [sms]]
`);
    expect(wf.name).toBe('demo');
    expect(wf.steps.map((s) => s.kind)).toEqual(['process', 'process', 'if', 'while', 'run', 'parallel']);
    expect(wf.steps[1]).toEqual({
      kind: 'process',
      process: 'charge',
      args: { currency: 'EUR', cents: [1, 2] },
      pos: { line: 5, column: 14 },
    });
    expect(wf.steps[2]).toMatchObject({
      condition: { source: "domain['paid'] == True", names: ['domain'], pos: { line: 8, column: 16 } },
      else: [],
    });
    expect(wf.processes).toEqual(['charge', 'cleanup', 'email', 'retry', 'ship', 'sms', 'validate']);
    expect(Object.isFrozen(wf.steps[1])).toBe(true);
    const args = (wf.steps[1] as unknown as { args: { cents: number[] } }).args;
    expect(Object.isFrozen(args.cents)).toBe(true);
    expect(() => args.cents.push(3)).toThrow(TypeError);
  });

  it('treats an empty file, a missing steps key and steps: [] as an empty workflow', () => {
    for (const text of ['', 'name: nothing\n', 'steps: []\n', 'steps:\n']) expect(loadWorkflow(text).steps).toEqual([]);
  });

  it('accepts a bare list of steps', () => {
    expect(loadWorkflow('- a\n- b\n').processes).toEqual(['a', 'b']);
  });

  it('warns (not fails) on empty blocks and on keys the original ignored', () => {
    const wf = loadWorkflow(
      'steps:\n  - flux: if\n    condition: "x"\n  - flux: while\n    condition: "x"\n    do: []\n  - process: a\n    on_success: b\n',
    );
    expect(wf.warnings.map((w) => `${String(w.line)}:${String(w.column)}`)).toEqual(['2:5', '4:5', '8:5']);
  });

  it('reports an invalid YAML document with its position', () => {
    const error = invalid('steps:\n  - a\n - b\n');
    expect(error.message).toMatch(/^<inline>:\d+:\d+: YAML syntax/);
  });

  it('names the missing key of while, if and run, and an unknown flux type', () => {
    expect(invalid('steps:\n  - flux: while\n    condition: "x"\n').message).toBe("<inline>:2:5: 'flux: while' requires a 'do' block");
    expect(invalid('steps:\n  - flux: while\n    do: [a]\n').message).toContain("requires a 'condition'");
    expect(invalid('steps:\n  - flux: if\n    then: [a]\n').message).toContain("'flux: if' requires a 'condition'");
    expect(invalid('steps:\n  - flux: run\n').message).toContain("'flux: run' requires a 'steps' block");
    expect(invalid('steps:\n  - flux: foreach\n').message).toBe(
      "<inline>:2:11: unknown flux type 'foreach' (known: if, while, run, parallel)",
    );
  });

  it('checks condition names against the scope when given', () => {
    const scopeNames = new Set(['domain', 'global', 'signal', 'cmd']);
    expect(loadWorkflow('steps:\n  - flux: if\n    condition: "len(domain.items) > 0"\n', { scopeNames }).steps).toHaveLength(1);
    const error = invalid('steps:\n  - flux: if\n    condition: "count < max_count"\n', { scopeNames });
    expect(error.details['issues']).toHaveLength(2);
    expect(error.message).toContain("<inline>:3:16: condition reads unknown name 'count'");
  });

  it('uses the given file name in every position', () => {
    expect(invalid('steps: 3\n', { file: 'flows/a.yaml' }).message).toBe("flows/a.yaml:1:8: 'steps' must be a list of steps, not number 3");
  });
});
