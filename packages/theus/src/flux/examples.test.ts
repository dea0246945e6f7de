import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAS_REFERENCE_EXAMPLES, LEGACY_FIXTURES, REFERENCE_EXAMPLES, REFERENCE_NOTE } from '../../test/reference-examples.js';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from './load-workflow.js';
import { runWorkflow } from './run-workflow.js';

const scopeNames = new Set(['domain', 'global', 'signal', 'cmd']);

type Domain = Record<string, unknown>;
type Stub = (domain: Domain) => void;

/** Runs a workflow against a fake runtime whose state is a `domain` dict. */
async function runExample(text: string, stubs: Record<string, Stub>, signal: Record<string, string> = {}) {
  const domain: Domain = {};
  const workflow = loadWorkflow(text, { scopeNames });
  const result = await runWorkflow(workflow, {
    execute: (name) => stubs[name]?.(domain),
    scope: () => ({ domain, global: {}, signal, cmd: signal }),
  });
  return { workflow, result, domain };
}

const countOf = (executed: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const name of executed) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
};

// --- The project's own fixtures (test/fixtures/legacy/workflows/<case>/case.yaml + expected.json) ---

/** What a fixture's `expected.json` states. */
interface WorkflowCase {
  readonly name?: string;
  readonly processes: readonly string[];
  readonly warnings: readonly { line: number; column: number; contains: string }[];
  /** Stub processes: `set` assigns domain keys, `add` increments numbers, `append` pushes onto lists. */
  readonly effects?: Record<string, { set?: Domain; add?: Record<string, number>; append?: Domain }>;
  readonly runs: readonly {
    readonly signal?: Record<string, string>;
    readonly executed?: readonly string[];
    readonly counts?: Record<string, number>;
    readonly last?: string;
    readonly domain?: Domain;
  }[];
}

const stubsOf = (effects: WorkflowCase['effects'] = {}): Record<string, Stub> =>
  Object.fromEntries(
    Object.entries(effects).map(([name, effect]): [string, Stub] => [
      name,
      (domain) => {
        for (const [key, value] of Object.entries(effect.set ?? {})) domain[key] = structuredClone(value);
        for (const [key, step] of Object.entries(effect.add ?? {})) domain[key] = (domain[key] as number) + step;
        for (const [key, value] of Object.entries(effect.append ?? {}))
          domain[key] = [...((domain[key] as unknown[] | undefined) ?? []), value];
      },
    ]),
  );

const CASES = join(LEGACY_FIXTURES, 'workflows');
const cases = readdirSync(CASES).filter((name) => existsSync(join(CASES, name, 'case.yaml')));
const caseText = (name: string): string => readFileSync(join(CASES, name, 'case.yaml'), 'utf8');
const expectedOf = (name: string): WorkflowCase => JSON.parse(readFileSync(join(CASES, name, 'expected.json'), 'utf8')) as WorkflowCase;

describe('legacy workflow format: the project fixtures (test/fixtures/legacy/workflows)', () => {
  it('covers the shapes of the original files', () => {
    expect(cases.sort()).toEqual(['counter-loop', 'named-steps', 'plain-sequence', 'sensor-loop', 'signal-branch']);
  });

  it.each(cases)('%s loads with its processes, name and warnings, with and without a process check', (name) => {
    const expected = expectedOf(name);
    const workflow = loadWorkflow(caseText(name), { file: `${name}/case.yaml`, scopeNames });
    expect(workflow.name).toBe(expected.name);
    expect(workflow.processes).toEqual(expected.processes);
    expect(workflow.warnings.map((w) => [w.line, w.column])).toEqual(expected.warnings.map((w) => [w.line, w.column]));
    expected.warnings.forEach((w, i) => expect(workflow.warnings[i]?.message).toContain(w.contains));
    const checked = loadWorkflow(caseText(name), { file: `${name}/case.yaml`, processes: new Set(expected.processes) });
    expect(checked.processes).toEqual(expected.processes);
  });

  it.each(cases)('%s runs with stub processes as expected', async (name) => {
    const expected = expectedOf(name);
    for (const run of expected.runs) {
      const { result, domain } = await runExample(caseText(name), stubsOf(expected.effects), run.signal);
      expect(result.status).toBe('complete');
      if (run.executed !== undefined) expect(result.executed).toEqual(run.executed);
      if (run.counts !== undefined) expect(countOf(result.executed)).toEqual(run.counts);
      if (run.last !== undefined) expect(result.executed.at(-1)).toBe(run.last);
      if (run.domain !== undefined) expect(domain).toEqual(run.domain);
    }
  });
});

// --- The original project's files, when they sit beside the repository ---

/** Stub processes that move the original examples' loops forward. */
const referenceStubs: Record<string, Stub> = {
  p_init: (d) => void (d['processed_count'] = 0),
  p_process: (d) => void (d['processed_count'] = (d['processed_count'] as number) + 1),
  sense_environment: (d) => void (d['sensor_data'] = { temp: 30 }),
  decide_action: (d) => {
    d['action'] = 'COOL_DOWN';
    d['action_log'] = [...((d['action_log'] as unknown[] | undefined) ?? []), 'cool'];
  },
};

const files = HAS_REFERENCE_EXAMPLES ? readdirSync(REFERENCE_EXAMPLES).filter((f) => f.endsWith('.yaml') && /workflow/.test(f)) : [];
const read = (file: string): string => readFileSync(REFERENCE_EXAMPLES + file, 'utf8');

describe(`the original example workflows ${REFERENCE_NOTE}`, () => {
  it.skipIf(!HAS_REFERENCE_EXAMPLES)('are all present', () => expect(files).toHaveLength(8));

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('each loads unchanged, with and without a process check, and runs with stub processes', async () => {
    for (const file of files) {
      const workflow = loadWorkflow(read(file), { file, scopeNames });
      expect(workflow.steps.length, file).toBeGreaterThan(0);
      expect(loadWorkflow(read(file), { file, processes: new Set(workflow.processes) }).processes, file).toEqual(workflow.processes);
      const { result } = await runExample(read(file), referenceStubs);
      expect(result.status, file).toBe('complete');
      expect(result.executed.length, file).toBeGreaterThan(0);
    }
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('the checkpoint loop runs p_process 50 times and checkpoints at 20 and 40', async () => {
    const { result } = await runExample(read('examples_ecommerce_specs_workflow.yaml'), referenceStubs);
    expect(result.executed.filter((n) => n === 'p_process')).toHaveLength(50);
    expect(result.executed.filter((n) => n === 'save_checkpoint_placeholder')).toHaveLength(2);
    expect(result.executed.at(-1)).toBe('p_finalize');
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('the agent loop stops after five actions', async () => {
    const { result, domain } = await runExample(read('examples_ecommerce_workflows_agent_loop.yaml'), referenceStubs);
    expect(domain['action_log']).toHaveLength(5);
    expect(result.executed.filter((n) => n === 'decide_action')).toHaveLength(5);
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('the outbox demo branches on a latched signal', async () => {
    const text = read('examples_async_outbox_workflow.yaml');
    expect((await runExample(text, referenceStubs, { cmd_start_outbox: 'True' })).result.executed[0]).toBe('p_log_success');
    expect((await runExample(text, referenceStubs)).result.executed[0]).toBe('p_log_blindness');
  });

  it.skipIf(!HAS_REFERENCE_EXAMPLES)('the order flow ignores on_success / on_fail with warnings and runs in list order', async () => {
    const { workflow, result } = await runExample(read('examples_fastapi_service_workflows_order_flow.yaml'), referenceStubs);
    expect(workflow.warnings).toHaveLength(3);
    expect(result.executed).toEqual(['check_stock', 'create_order', 'send_email']);
  });
});
