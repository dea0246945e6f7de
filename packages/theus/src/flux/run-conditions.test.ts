import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors/index.js';
import { loadWorkflow } from './load-workflow.js';
import { runWorkflow } from './run-workflow.js';

type Ctx = Record<string, unknown>;

/** `before`, then an if on `condition` choosing `yes` / `no`, then `after`; returns the executed names. */
async function branch(condition: string, ctx: Ctx, elseBlock = '[no]'): Promise<readonly string[]> {
  const text = `steps:\n  - before\n  - flux: if\n    condition: ${JSON.stringify(condition)}\n    then: [yes]\n    else: ${elseBlock}\n  - after\n`;
  const result = await runWorkflow(loadWorkflow(text), { execute: () => undefined, scope: () => ctx });
  if (result.error !== undefined) throw result.error;
  return result.executed;
}

describe('conditions the original tests use', () => {
  it.each([
    ['flag == True', { flag: true }, 'yes'],
    ['flag == True', { flag: false }, 'no'],
    ['len(items) > 0 and count < max_count', { items: [1], count: 1, max_count: 3 }, 'yes'],
    ["domain['score'] > 50", { domain: { score: 70 } }, 'yes'],
    ['max(scores) > 90', { scores: [10, 95] }, 'yes'],
    ["cfg['db']['host'] == 'localhost'", { cfg: { db: { host: 'localhost' } } }, 'yes'],
    ['val is None', { val: null }, 'yes'],
    ['True', {}, 'yes'],
    ['False', {}, 'no'],
    ["signal.get('cmd_stop') == 'True'", { signal: { cmd_stop: 'True' } }, 'yes'],
    ["signal.get('cmd_stop') == 'True'", { signal: { cmd_stop: 'False' } }, 'no'],
    ["signal.get('cmd_stop') == 'True'", { signal: {} }, 'no'],
  ] as const)('%s with %j → %s', async (condition, ctx, want) => {
    expect(await branch(condition, ctx)).toEqual(['before', want, 'after']);
  });

  it('skips a false if without else, and an empty then', async () => {
    expect(await branch('False', {}, '[]')).toEqual(['before', 'after']);
    const text = 'steps:\n  - before\n  - flux: if\n    condition: "True"\n    then: []\n  - after\n';
    const result = await runWorkflow(loadWorkflow(text), { execute: () => undefined, scope: () => ({}) });
    expect(result.executed).toEqual(['before', 'after']);
  });

  it('fails on an undefined name, and rejects bad syntax or disallowed calls at load or run', async () => {
    await expect(branch('missing > 1', {})).rejects.toMatchObject({ code: 'WORKFLOW_CONDITION' });
    expect(() => loadWorkflow('steps:\n  - flux: if\n    condition: "x >>"\n')).toThrow(WorkflowError);
    let failed = false;
    try {
      await branch("__import__('os')", {});
    } catch (error) {
      failed = error instanceof WorkflowError;
    }
    expect(failed).toBe(true);
  });

  it('three levels of nesting reach the deep process', async () => {
    const text = `steps:
  - flux: while
    condition: "i < 1"
    do:
      - flux: if
        condition: "enabled"
        then:
          - flux: run
            steps: [deep_process]
      - increment
`;
    const ctx: Ctx = { i: 0, enabled: true };
    const result = await runWorkflow(loadWorkflow(text), {
      execute: (name) => void (name === 'increment' && (ctx['i'] = (ctx['i'] as number) + 1)),
      scope: () => ctx,
    });
    expect(result.executed).toEqual(['deep_process', 'increment']);
  });
});
