import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors/index.js';
import { loadWorkflow } from './load-workflow.js';
import { WorkflowCache } from './workflow-cache.js';

const TEXT = `name: order
steps:
  - validate
  - process: charge
    args: { currency: EUR, tags: [a, b] }
  - flux: while
    condition: "domain.retries < 3 and not signal.get('stop')"
    do: [retry]
`;
const PROCESSES = new Set(['validate', 'charge', 'retry']);
const NAMES = new Set(['domain', 'signal']);
const known = (names: Iterable<string>) => (): Iterable<string> => names;

/** The error `load` throws (fails the test when it does not throw). */
function thrown(load: () => unknown): WorkflowError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    return error as WorkflowError;
  }
  throw new Error('expected a WorkflowError');
}

function isDeeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

describe('WorkflowCache', () => {
  it('returns the same deeply frozen workflow for the same text, equal to a fresh load', () => {
    const cache = new WorkflowCache();
    const first = cache.load(TEXT, { processes: known(PROCESSES), scopeNames: known(NAMES) });
    const again = cache.load(TEXT.split('\n').join('\n'), { processes: known([...PROCESSES]), scopeNames: known(NAMES) });
    expect(again).toBe(first);
    expect(again).toEqual(loadWorkflow(TEXT, { processes: PROCESSES, scopeNames: NAMES }));
    expect(isDeeplyFrozen(again)).toBe(true);
    expect(cache.size).toBe(1);
  });

  it('keeps a separate workflow per file name and refuses text past tighter limits', () => {
    const cache = new WorkflowCache();
    const inline = cache.load(TEXT);
    const named = cache.load(TEXT, { file: 'order.yaml' });
    expect(named).not.toBe(inline);
    expect(named.file).toBe('order.yaml');
    const error = thrown(() => cache.load(TEXT, { file: 'order.yaml', limits: { maxNodes: 5 } }));
    expect(error.code).toBe('WORKFLOW_INVALID');
    expect(error.message).toContain('order.yaml');
  });

  it('reports a process or a name that is no longer known, with its position, as a fresh load does', () => {
    const cache = new WorkflowCache();
    cache.load(TEXT, { processes: known(PROCESSES), scopeNames: known(NAMES) });
    const processError = thrown(() => cache.load(TEXT, { processes: known(['validate', 'retry']), scopeNames: known(NAMES) }));
    expect(processError.code).toBe('WORKFLOW_INVALID');
    expect(processError.details['issues']).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining("'charge'") })]);
    const nameError = thrown(() => cache.load(TEXT, { processes: known(PROCESSES), scopeNames: known(['domain']) }));
    expect(nameError.details['issues']).toEqual([expect.objectContaining({ line: 7, message: expect.stringContaining("'signal'") })]);
    expect(thrown(() => cache.load(TEXT, { processes: known('validate' as never) })).message).toContain("option 'processes'");
    expect(cache.load(TEXT, { processes: known([...PROCESSES, 'other']), scopeNames: known([...NAMES, 'global']) }).processes).toEqual([
      'charge',
      'retry',
      'validate',
    ]);
  });

  it('throws the same positioned error on every load of bad text, and keeps nothing', () => {
    const cache = new WorkflowCache();
    const bad = 'steps:\n  - flux: while\n    do: [x]\n  - [oops\n';
    const first = thrown(() => cache.load(bad, { file: 'bad.yaml' }));
    const second = thrown(() => cache.load(bad, { file: 'bad.yaml' }));
    expect(second).not.toBe(first);
    expect(second.code).toBe('WORKFLOW_INVALID');
    expect(second.message).toBe(first.message);
    expect(second.details['issues']).toEqual(first.details['issues']);
    expect(second.message).toMatch(/^bad\.yaml:\d+:\d+: /);
    expect(cache.size).toBe(0);
  });

  it('never holds more workflows or text than its bounds', () => {
    const cache = new WorkflowCache({ entries: 4, maxTextLength: 200, totalTextLength: 300 });
    const texts = Array.from({ length: 10 }, (_, i) => `steps: [step${String(i)}]\n`);
    const loaded = texts.map((text) => cache.load(text));
    expect(cache.size).toBe(4);
    expect(cache.load(texts[9] as string)).toBe(loaded[9]);
    expect(cache.load(texts[0] as string)).not.toBe(loaded[0]);
    expect(cache.size).toBe(4);

    const long = `steps:\n${'  - step\n'.repeat(30)}`;
    expect(long.length).toBeGreaterThan(200);
    expect(cache.load(long)).not.toBe(cache.load(long));

    const large = (i: number): string => `# ${'x'.repeat(100)}\nsteps: [big${String(i)}]\n`;
    for (let i = 0; i < 4; i++) cache.load(large(i));
    expect(cache.size).toBe(2);
  });

  it('drops the least recently used workflow first', () => {
    const cache = new WorkflowCache({ entries: 2, maxTextLength: 100, totalTextLength: 1000 });
    const a = cache.load('steps: [a]');
    cache.load('steps: [b]');
    expect(cache.load('steps: [a]')).toBe(a);
    cache.load('steps: [c]');
    expect(cache.load('steps: [a]')).toBe(a);
    expect(cache.size).toBe(2);
  });
});
