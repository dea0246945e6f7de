import { describe, expect, it } from 'vitest';
import { AuditAbortError, WorkflowError } from '../errors/index.js';
import { loadWorkflow } from './load-workflow.js';
import { runWorkflow } from './run-workflow.js';
import type { WorkflowRunOptions, WorkflowStatus } from './workflow-runtime.js';

type Ctx = Record<string, unknown>;

/** Runs workflow text against a mutable context dict, as the original's unit tests do. */
async function run(
  text: string,
  ctx: Ctx = {},
  onRun: (name: string, ctx: Ctx) => unknown = () => undefined,
  options: WorkflowRunOptions = {},
) {
  const calls: string[] = [];
  const runtime = {
    execute: (name: string) => {
      calls.push(name);
      return onRun(name, ctx);
    },
    scope: () => ctx,
  };
  const result = await runWorkflow(loadWorkflow(text), runtime, options);
  return { ...result, calls };
}

const loop = (condition: string, body: string) => `steps:\n  - flux: while\n    condition: "${condition}"\n    do: ${body}\n`;

describe('operation counting (reference examples)', () => {
  it('maxOps 1 trips an endless loop before its first step runs', async () => {
    const r = await run(loop('True', '[p]'), {}, undefined, { maxOps: 1 });
    expect(r.calls).toEqual([]);
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('WORKFLOW_MAX_OPS');
    expect(r.ops).toBe(2);
  });

  it('maxOps 10 with while(True){ if(True){ inner } } runs inner exactly 3 times', async () => {
    const text =
      'steps:\n  - flux: while\n    condition: "True"\n    do:\n      - flux: if\n        condition: "True"\n        then: [inner]\n';
    const r = await run(text, {}, undefined, { maxOps: 10 });
    expect(r.calls).toEqual(['inner', 'inner', 'inner']);
    expect(r.error?.code).toBe('WORKFLOW_MAX_OPS');
    expect(r.error?.details).toMatchObject({ maxOps: 10, ops: 11 });
  });

  it('100 iterations of a one-step loop need exactly 201 operations', async () => {
    const step = (_: string, ctx: Ctx) => void (ctx['i'] = (ctx['i'] as number) + 1);
    const ok = await run(loop('i < 100', '[p]'), { i: 0 }, step, { maxOps: 201 });
    expect(ok.status).toBe('complete');
    expect(ok.ops).toBe(201);
    expect(ok.executed).toHaveLength(100);
    const tripped = await run(loop('i < 100', '[p]'), { i: 0 }, step, { maxOps: 200 });
    expect(tripped.error?.code).toBe('WORKFLOW_MAX_OPS');
    expect(tripped.executed).toHaveLength(99);
  });

  it('100 iterations with maxOps 50000 return 100 names', async () => {
    const r = await run(loop('i < 100', '[p]'), { i: 0 }, (_, c) => void (c['i'] = (c['i'] as number) + 1), { maxOps: 50_000 });
    expect(r.executed).toEqual(Array.from({ length: 100 }, () => 'p'));
  });

  it('maxOps 5 trips an endless loop; do: [] with maxOps 10 trips instead of hanging', async () => {
    expect((await run(loop('True', '[p]'), {}, undefined, { maxOps: 5 })).calls).toEqual(['p', 'p']);
    const empty = await run(loop('True', '[]'), {}, undefined, { maxOps: 10 });
    expect(empty.error?.code).toBe('WORKFLOW_MAX_OPS');
    expect(empty.ops).toBe(11);
  });

  it('counts every step visited, in every block kind', async () => {
    const text = 'steps:\n  - a\n  - flux: run\n    steps: [b, c]\n  - flux: if\n    condition: "False"\n    then: [x]\n    else: [d]\n';
    const r = await run(text);
    expect(r.executed).toEqual(['a', 'b', 'c', 'd']);
    expect(r.ops).toBe(6);
  });

  it('defaults to 10,000 operations', async () => {
    const r = await run(loop('True', '[]'));
    expect(r.error?.code).toBe('WORKFLOW_MAX_OPS');
    expect(r.ops).toBe(10_001);
  });
});

describe('control flow', () => {
  it('elif by nesting picks big / medium / small', async () => {
    const text = `steps:
  - flux: if
    condition: "x > 10"
    then: [big]
    else:
      - flux: if
        condition: "x > 5"
        then: [medium]
        else: [small]
`;
    for (const [x, want] of [
      [15, 'big'],
      [7, 'medium'],
      [2, 'small'],
    ] as const)
      expect((await run(text, { x })).executed).toEqual([want]);
  });

  it('if inside while alternates by parity', async () => {
    const text = `steps:
  - flux: while
    condition: "i < 3"
    do:
      - flux: if
        condition: "i % 2 == 0"
        then: [even]
        else: [odd]
      - next
`;
    const r = await run(text, { i: 0 }, (name, c) => void (name === 'next' && (c['i'] = (c['i'] as number) + 1)));
    expect(r.executed).toEqual(['even', 'next', 'odd', 'next', 'even', 'next']);
  });

  it('while inside if, enabled and disabled', async () => {
    const text = `steps:
  - flux: if
    condition: "enable_loop"
    then:
      - flux: while
        condition: "n < 2"
        do: [tick]
`;
    const tick = (_: string, c: Ctx) => void (c['n'] = (c['n'] as number) + 1);
    expect((await run(text, { enable_loop: true, n: 0 }, tick)).executed).toEqual(['tick', 'tick']);
    expect((await run(text, { enable_loop: false, n: 0 }, tick)).executed).toEqual([]);
  });

  it('run blocks keep order; a counter loop with % runs 5 times', async () => {
    const nested = 'steps:\n  - start\n  - flux: run\n    steps: [nested_a, nested_b]\n  - end\n';
    expect((await run(nested)).executed).toEqual(['start', 'nested_a', 'nested_b', 'end']);
    const r = await run(
      loop('counter % 5 != 0 or counter == 0', '[inc]'),
      { counter: 0 },
      (_, c) => void (c['counter'] = (c['counter'] as number) + 1),
    );
    expect(r.executed).toHaveLength(5);
  });

  it('stops a loop when a step sets the signal it reads', async () => {
    const text = loop("signal.get('stop') != 'True'", '[work]');
    const ctx = { signal: { stop: 'False' } as Record<string, string> };
    const r = await run(text, ctx, () => void (ctx.signal['stop'] = 'True'));
    expect(r.executed).toEqual(['work']);
  });

  it('nested blocks return to their parent in order, with every visit counted', async () => {
    const text = [
      'steps:',
      '  - flux: while',
      '    condition: "i < 2"',
      '    do:',
      '      - inc',
      '      - flux: if',
      '        condition: "i == 1"',
      '        then:',
      '          - flux: run',
      '            steps: [a]',
      '        else:',
      '          - flux: parallel',
      '            branches: [[b], [c]]',
      '          - flux: while',
      '            condition: "False"',
      '            do: [never]',
      '  - d',
      '',
    ].join('\n');
    const count = (name: string, c: Ctx): void => void (name === 'inc' && (c['i'] = (c['i'] as number) + 1));
    const r = await run(text, { i: 0 }, count);
    expect(r.status).toBe('complete');
    expect(r.executed).toEqual(['inc', 'a', 'inc', 'b', 'c', 'd']);
    expect(r.ops).toBe(14);
    const inBranch = await run(text, { i: 0 }, count, { maxOps: 10 });
    expect(inBranch.error?.details).toMatchObject({ line: 13, ops: 11 });
    expect(inBranch.executed).toEqual(['inc', 'a', 'inc']);
    const afterLoop = await run(text, { i: 0 }, count, { maxOps: 13 });
    expect(afterLoop.error?.details).toMatchObject({ line: 17, ops: 14 });
    expect(afterLoop.executed).toEqual(['inc', 'a', 'inc', 'b', 'c']);
  });

  it('a falsy string stops the loop; an initially false loop is skipped', async () => {
    expect((await run(loop('val', '[p]'), { val: '' })).executed).toEqual([]);
    const once = await run(loop('val', '[p]'), { val: 'x' }, (_, c) => void (c['val'] = ''));
    expect(once.executed).toEqual(['p']);
  });
});

describe('failures are results', () => {
  it('a step error stops the run: before ran, after did not', async () => {
    const text = 'steps:\n  - before\n  - flux: if\n    condition: "True"\n    then: [boom]\n  - after\n';
    const cause = new Error('kaput');
    const r = await run(text, {}, (name) => {
      if (name === 'boom') throw cause;
    });
    expect(r.calls).toEqual(['before', 'boom']);
    expect(r.executed).toEqual(['before']);
    expect(r.error).toBeInstanceOf(WorkflowError);
    expect(r.error?.code).toBe('WORKFLOW_STEP_FAILED');
    expect(r.error?.cause).toBe(cause);
    expect(r.error?.details).toMatchObject({ process: 'boom', line: 5, column: 12 });
  });

  it('an executor error at iteration 3 fails after 3 calls', async () => {
    const r = await run(loop('True', '[p]'), { n: 0 }, (_, c) => {
      c['n'] = (c['n'] as number) + 1;
      if (c['n'] === 3) return Promise.reject(new Error('third'));
      return undefined;
    });
    expect(r.calls).toHaveLength(3);
    expect(r.executed).toHaveLength(2);
    expect(r.error?.code).toBe('WORKFLOW_STEP_FAILED');
  });

  it('a condition reading a missing name fails with its position', async () => {
    const r = await run(loop('counter < 3', '[p]'), { counter: 0 }, (_, c) => void delete c['counter']);
    expect(r.executed).toEqual(['p']);
    expect(r.error?.code).toBe('WORKFLOW_CONDITION');
    expect(r.error?.message).toMatch(/^<inline>:3:16: /);
  });
});

describe('status, waiting-io and abort', () => {
  const statuses = async (onRun: () => unknown, text = 'steps: [a]\n') => {
    const seen: WorkflowStatus[] = [];
    const r = await run(text, {}, onRun, { onStatus: (s) => seen.push(s) });
    return { seen, r };
  };

  it('reports pending → running → complete for synchronous steps', async () => {
    expect((await statuses(() => 1)).seen).toEqual(['pending', 'running', 'complete']);
    expect((await statuses(() => 1, 'steps: []\n')).seen).toEqual(['pending', 'running', 'complete']);
  });

  it('reports waiting-io while an asynchronous step is pending', async () => {
    const { seen } = await statuses(() => new Promise((resolve) => setTimeout(resolve, 1)));
    expect(seen).toEqual(['pending', 'running', 'waiting-io', 'running', 'complete']);
  });

  it('ends in failed, and a throwing observer changes nothing', async () => {
    const seen: WorkflowStatus[] = [];
    const onStatus = (s: WorkflowStatus) => {
      seen.push(s);
      throw new Error('observer');
    };
    const r = await run('steps: [a, b]\n', {}, (n) => (n === 'b' ? Promise.reject(new Error('x')) : 1), { onStatus });
    expect(r.status).toBe('failed');
    expect(seen.at(-1)).toBe('failed');
    expect(r.executed).toEqual(['a']);
  });

  it('an AbortSignal cancels between steps, with its reason as cause', async () => {
    const controller = new AbortController();
    const r = await run('steps: [a, b, c]\n', {}, (name) => name === 'b' && controller.abort('stop now'), { signal: controller.signal });
    expect(r.executed).toEqual(['a', 'b']);
    expect(r.error?.code).toBe('WORKFLOW_ABORTED');
    expect(r.error?.cause).toBe('stop now');
  });
});

describe('flux: parallel', () => {
  const text = 'steps:\n  - flux: parallel\n    branches: [[a1, a2], [b1]]\n  - after\n';
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs branches concurrently and continues once all finished', async () => {
    const r = await run(text, {}, (name) => delay(name === 'a1' ? 20 : 1));
    expect(r.executed).toEqual(['b1', 'a1', 'a2', 'after']);
    expect(r.ops).toBe(5);
  });

  it('a failing branch fails the run after the others settle', async () => {
    const r = await run(text, {}, (name) => (name === 'b1' ? Promise.reject(new Error('sms down')) : delay(5)));
    expect(r.executed).toEqual(['a1', 'a2']);
    expect(r.error?.code).toBe('WORKFLOW_STEP_FAILED');
    expect((r.error?.cause as Error).message).toBe('sms down');
  });

  it('an audit abort in one branch stops its siblings at their next step', async () => {
    const abort = new AuditAbortError('AUDIT_ABORT', 'limit');
    const r = await run(text, {}, (name) => (name === 'b1' ? Promise.reject(abort) : delay(5)));
    expect(r.executed).toEqual(['a1']);
    expect(r.error?.cause).toBe(abort);
  });
});
