import { readdirSync, readFileSync } from 'node:fs';
import { REFERENCE_EXAMPLES } from '../../test/reference-examples.js';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from './load-workflow.js';
import { runWorkflow } from './run-workflow.js';

/** The original project's workflow files, unchanged. */
const dir = REFERENCE_EXAMPLES;
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && /workflow/.test(f));
const read = (file: string): string => readFileSync(dir + file, 'utf8');
const scopeNames = new Set(['domain', 'global', 'signal', 'cmd']);

type Domain = Record<string, unknown>;

/** Stub processes that move the examples' loops forward. */
const stubs: Record<string, (domain: Domain) => void> = {
  p_init: (d) => void (d['processed_count'] = 0),
  p_process: (d) => void (d['processed_count'] = (d['processed_count'] as number) + 1),
  sense_environment: (d) => void (d['sensor_data'] = { temp: 30 }),
  decide_action: (d) => {
    d['action'] = 'COOL_DOWN';
    d['action_log'] = [...((d['action_log'] as unknown[] | undefined) ?? []), 'cool'];
  },
};

/** Runs a workflow against a fake runtime whose state is a `domain` dict. */
async function runExample(text: string, signal: Record<string, string> = {}) {
  const domain: Domain = {};
  const workflow = loadWorkflow(text, { scopeNames });
  const result = await runWorkflow(workflow, {
    execute: (name) => stubs[name]?.(domain),
    scope: () => ({ domain, global: {}, signal, cmd: signal }),
  });
  return { workflow, result, domain };
}

describe('the original example workflows', () => {
  it('are all present', () => expect(files).toHaveLength(8));

  it.each(files)('%s loads unchanged, with and without a process check', (file) => {
    const workflow = loadWorkflow(read(file), { file, scopeNames });
    expect(workflow.steps.length).toBeGreaterThan(0);
    expect(loadWorkflow(read(file), { file, processes: new Set(workflow.processes) }).processes).toEqual(workflow.processes);
  });

  it.each(files)('%s runs with stub processes', async (file) => {
    const { result } = await runExample(read(file));
    expect(result.status).toBe('complete');
    expect(result.executed.length).toBeGreaterThan(0);
  });

  it('the checkpoint loop runs p_process 50 times and checkpoints at 20 and 40', async () => {
    const { result } = await runExample(read('examples_ecommerce_specs_workflow.yaml'));
    expect(result.executed.filter((n) => n === 'p_process')).toHaveLength(50);
    expect(result.executed.filter((n) => n === 'save_checkpoint_placeholder')).toHaveLength(2);
    expect(result.executed.at(-1)).toBe('p_finalize');
  });

  it('the agent loop stops after five actions', async () => {
    const { result, domain } = await runExample(read('examples_ecommerce_workflows_agent_loop.yaml'));
    expect(domain['action_log']).toHaveLength(5);
    expect(result.executed.filter((n) => n === 'decide_action')).toHaveLength(5);
  });

  it('the outbox demo branches on a latched signal', async () => {
    const text = read('examples_async_outbox_workflow.yaml');
    expect((await runExample(text, { cmd_start_outbox: 'True' })).result.executed[0]).toBe('p_log_success');
    expect((await runExample(text)).result.executed[0]).toBe('p_log_blindness');
  });

  it('the order flow ignores on_success / on_fail with warnings and runs in list order', async () => {
    const { workflow, result } = await runExample(read('examples_fastapi_service_workflows_order_flow.yaml'));
    expect(workflow.warnings).toHaveLength(3);
    expect(result.executed).toEqual(['check_stock', 'create_order', 'send_email']);
  });
});
