import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { process } from '../contract/process.js';
import { loadWorkflow } from './load-workflow.js';
import { runWorkflow } from './run-workflow.js';
import type { WorkflowStatus } from './workflow-runtime.js';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `steps: [a, b, c]` with `execute` and returns the statuses observed. */
async function statuses(execute: (name: string) => unknown, text = 'steps: [a, b, c]\n'): Promise<WorkflowStatus[]> {
  const seen: WorkflowStatus[] = [];
  const result = await runWorkflow(loadWorkflow(text), { execute, scope: () => ({}) }, { onStatus: (status) => seen.push(status) });
  expect(result.status).toBe(seen.at(-1));
  return seen;
}

describe('waiting-io is reported only while a step really waits', () => {
  it.each([
    ['returns a value', () => 1],
    ['returns a resolved promise', () => Promise.resolve(1)],
    ['is an async function that never awaits', async () => Promise.resolve(1)],
    [
      'awaits only microtasks',
      async () => {
        await Promise.resolve();
        await Promise.resolve();
        return 1;
      },
    ],
    ['returns a thenable that settles at once', () => ({ then: (resolve: (v: number) => void) => resolve(1) })],
  ])('never, for a step that %s', async (_, execute) => {
    expect(await statuses(execute)).toEqual(['pending', 'running', 'complete']);
  });

  it.each([
    ['a timer', () => tick(1)],
    ['a zero-delay timer', () => tick(0)],
    ['setImmediate', immediate],
    ['file I/O', () => readFile(fileURLToPath(import.meta.url))],
  ])('for each step that waits on %s', async (_, execute) => {
    expect(await statuses(execute)).toEqual([
      'pending',
      'running',
      'waiting-io',
      'running',
      'waiting-io',
      'running',
      'waiting-io',
      'running',
      'complete',
    ]);
  });

  it('only for the steps that wait, in a mixed workflow', async () => {
    const seen = await statuses((name) => (name === 'b' ? tick(1) : Promise.resolve()));
    expect(seen).toEqual(['pending', 'running', 'waiting-io', 'running', 'complete']);
  });

  it('a failing step that waited ends in failed, without a stray running', async () => {
    const seen = await statuses((name) => (name === 'b' ? tick(1).then(() => Promise.reject(new Error('down'))) : 1));
    expect(seen).toEqual(['pending', 'running', 'waiting-io', 'failed']);
    const sync = await statuses((name) => (name === 'b' ? Promise.reject(new Error('down')) : 1));
    expect(sync).toEqual(['pending', 'running', 'failed']);
  });

  it('parallel branches: waiting-io while any branch waits, running once none does', async () => {
    const text = 'steps:\n  - flux: parallel\n    branches: [[a1, a2], [b1]]\n  - after\n';
    const seen = await statuses((name) => (name === 'a1' ? tick(5) : name === 'b1' ? tick(1) : 1), text);
    expect(seen).toEqual(['pending', 'running', 'waiting-io', 'running', 'complete']);
  });

  it('with the engine: synchronous processes never report waiting-io, asynchronous ones do', async () => {
    const sync = process({ name: 'sync', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
    const slow = process({ name: 'slow', inputs: ['domain.n'], outputs: ['domain.n'] }, async (ctx) => {
      await tick(1);
      return (ctx.domain.n as number) + 1;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [sync, slow] });
    const seen: WorkflowStatus[] = [];
    const onStatus = (status: WorkflowStatus): void => void seen.push(status);
    await engine.executeWorkflow('steps: [sync, sync, sync]\n', { onStatus });
    expect(seen).toEqual(['pending', 'running', 'complete']);
    seen.length = 0;
    await engine.executeWorkflow('steps: [sync, slow, sync]\n', { onStatus });
    expect(seen).toEqual(['pending', 'running', 'waiting-io', 'running', 'complete']);
    expect(engine.state).toEqual({ domain: { n: 6 } });
  });
});
