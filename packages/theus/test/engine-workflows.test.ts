import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditAbortError, Engine, process, WorkflowError, type WorkflowStatus } from 'theus';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const validate = process({ name: 'validate_order', inputs: ['domain.items'], outputs: ['domain.valid'] }, (ctx) =>
  Array.isArray(ctx.domain.items),
);
const charge = process(
  { name: 'charge', inputs: ['domain.total'], outputs: ['domain.paid', 'domain.currency'] },
  async (ctx, args: { currency: string }) => {
    await tick();
    return [(ctx.domain.total as number) > 0, args.currency];
  },
);
const retry = process({ name: 'retry_payment', inputs: ['domain.retries'], outputs: ['domain.retries', 'signal'] }, (ctx) => {
  const next = (ctx.domain.retries as number) + 1;
  if (next === 2) ctx.signal('cmd_stop', true);
  return next;
});
const ship = process({ name: 'ship', outputs: ['domain.shipped'] }, () => true);
const refund = process({ name: 'refund', outputs: ['domain.refunded'] }, () => true);
const notifyEmail = process({ name: 'notify_email', inputs: ['domain.notified'], outputs: ['domain.notified'] }, async (ctx) => {
  const seen = ctx.domain.notified as number;
  await tick(2);
  return seen + 1;
});
const notifySms = process({ name: 'notify_sms', inputs: ['domain.notified'], outputs: ['domain.notified'] }, async (ctx) => {
  const seen = ctx.domain.notified as number;
  await tick(1);
  return seen + 1;
});

const ORDER_FLOW = `
steps:
  - validate_order
  - process: charge
    args: { currency: EUR }
  - flux: if
    condition: "domain['paid'] == True and len(domain.items) > 0"
    then: [ship]
    else: [refund]
  - flux: while
    condition: "domain.retries < 3 and not signal.get('cmd_stop')"
    do: [retry_payment]
  - flux: parallel
    branches: [[notify_email], [notify_sms]]
`;

function orderEngine(): Engine {
  return new Engine({
    context: { domain: { items: ['book'], total: 12, retries: 0, notified: 0 } },
    processes: [validate, charge, retry, ship, refund, notifyEmail, notifySms],
  });
}

describe('engine.executeWorkflow', () => {
  it('runs steps, arguments, branches, loops on committed signals and parallel branches', async () => {
    const engine = orderEngine();
    const statuses: WorkflowStatus[] = [];
    const run = await engine.executeWorkflow(ORDER_FLOW, { onStatus: (status) => statuses.push(status) });
    expect(run.status).toBe('complete');
    expect(run.executed.slice(0, 5)).toEqual(['validate_order', 'charge', 'ship', 'retry_payment', 'retry_payment']);
    expect(new Set(run.executed.slice(5))).toEqual(new Set(['notify_email', 'notify_sms']));
    expect(engine.state).toMatchObject({ domain: { paid: true, currency: 'EUR', shipped: true, retries: 2, notified: 2 } });
    expect(statuses[0]).toBe('pending');
    expect(statuses).toContain('waiting-io');
    expect(statuses.at(-1)).toBe('complete');
  });

  it('loads a workflow file by path and names the file in load errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'theus-wf-'));
    const good = join(dir, 'flow.yaml');
    writeFileSync(good, 'steps:\n  - ship\n');
    await expect(orderEngine().executeWorkflow(good)).resolves.toMatchObject({ executed: ['ship'], ops: 1 });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'steps:\n  - ship\n  - shipp\n  - flux: iff\n');
    const error = await orderEngine()
      .executeWorkflow(bad)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).code).toBe('WORKFLOW_INVALID');
    expect((error as WorkflowError).message).toContain(`${bad}:3:5`);
    expect((error as WorkflowError).message).toContain(`${bad}:4:`);
  });

  it('trips maxOps with WORKFLOW_MAX_OPS and leaves the steps before it committed', async () => {
    const engine = orderEngine();
    const error = await engine
      .executeWorkflow('steps:\n  - flux: while\n    condition: "True"\n    do: [ship]\n', { maxOps: 5 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WORKFLOW_MAX_OPS', details: { status: 'failed', ops: 6 } });
  });

  it('stops on an A-level audit failure with the abort as the cause', async () => {
    const audit = { process_recipes: { charge: { inputs: [{ field: 'currency', in: ['USD'], level: 'A' }] } } };
    const engine = new Engine({
      context: { domain: { items: [], total: 1, retries: 0, notified: 0 } },
      processes: [validate, charge, ship],
      audit,
    });
    const error = await engine
      .executeWorkflow('steps:\n  - process: charge\n    args: { currency: EUR }\n  - ship\n')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WORKFLOW_STEP_FAILED', details: { status: 'failed', executed: [] } });
    expect((error as WorkflowError).cause).toBeInstanceOf(AuditAbortError);
    expect(engine.state).not.toHaveProperty('domain.shipped');
  });

  it('cancels between steps with an AbortSignal', async () => {
    const controller = new AbortController();
    const engine = orderEngine();
    const running = engine.executeWorkflow('steps: [validate_order, ship]', { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(running).rejects.toMatchObject({ code: 'WORKFLOW_ABORTED' });
  });

  it('reports unknown names and injection attempts in conditions', async () => {
    const engine = orderEngine();
    await expect(engine.executeWorkflow('steps:\n  - flux: if\n    condition: "orders.x > 1"\n    then: [ship]\n')).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
    });
    for (const condition of ['domain.__proto__ != None', "domain['constructor'] != None", 'domain.items.map']) {
      const error = await engine
        .executeWorkflow(`steps:\n  - flux: if\n    condition: "${condition}"\n    then: [ship]\n`)
        .catch((e: unknown) => e);
      expect(error, condition).toBeInstanceOf(WorkflowError);
    }
    expect(engine.version).toBe(0);
  });
});

describe('engine.machine', () => {
  const MACHINE = `
initial: IDLE
states:
  IDLE:       { events: { CMD_TX: PROCESSING } }
  PROCESSING: { entry: charge_usd, events: { EVT_CHAIN_DONE: NOTIFY, EVT_CHAIN_FAIL: IDLE } }
  NOTIFY:     { entry: [ship], on: { DONE: IDLE } }
`;
  const chargeUsd = process({ name: 'charge_usd', inputs: ['domain.total'], outputs: ['domain.paid'] }, (ctx) => {
    if ((ctx.domain.total as number) <= 0) throw new Error('nothing to charge');
    return true;
  });
  const alarm = process({ name: 'alarm', outputs: ['signal'] }, (ctx) => ctx.signal('CMD_TX'));

  it('runs entry chains through the engine and moves on chain events', async () => {
    const engine = new Engine({ context: { domain: { total: 5 } }, processes: [chargeUsd, ship, alarm] });
    const machine = engine.machine(MACHINE);
    await machine.send('CMD_TX');
    expect(machine.state).toBe('NOTIFY');
    expect(engine.state).toMatchObject({ domain: { paid: true, shipped: true } });
    await machine.send('DONE');
    expect(machine.history.map((t) => `${t.from}-${t.event}->${t.to}`)).toEqual([
      'IDLE-CMD_TX->PROCESSING',
      'PROCESSING-EVT_CHAIN_DONE->NOTIFY',
      'NOTIFY-DONE->IDLE',
    ]);
  });

  it('takes the failure edge when the entry chain fails', async () => {
    const engine = new Engine({ context: { domain: { total: 0 } }, processes: [chargeUsd, ship] });
    const machine = engine.machine(MACHINE);
    const result = await machine.send('CMD_TX');
    expect(machine.state).toBe('IDLE');
    expect(result.chainError).toBeInstanceOf(Error);
  });

  it('delivers committed signals as events once connected', async () => {
    const engine = new Engine({ context: { domain: { total: 5 } }, processes: [chargeUsd, ship, alarm] });
    const machine = engine.machine(MACHINE);
    const stop = machine.connect();
    await engine.execute('alarm');
    for (let i = 0; i < 50 && machine.state !== 'NOTIFY'; i++) await tick(2);
    await machine.settled();
    expect(machine.state).toBe('NOTIFY');
    stop();
  });

  it('rejects unknown entry processes at definition time', () => {
    const engine = new Engine({ context: {}, processes: [ship] });
    expect(() => engine.machine('initial: A\nstates:\n  A: { entry: nope }\n')).toThrow(/nope/);
  });
});

describe('workflow files', () => {
  it('reports a missing workflow file as WORKFLOW_INVALID naming the file', async () => {
    const error = await orderEngine()
      .executeWorkflow('does/not/exist.yaml')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: 'WORKFLOW_INVALID', details: { file: 'does/not/exist.yaml' } });
  });
});

describe('workflow text given again', () => {
  const loopText = (stop: number): string =>
    `steps:\n  - flux: while\n    condition: "domain.retries < ${String(stop)}"\n    do: [retry_payment]\n`;

  it('runs the same text again with the same result, each run on the current state', async () => {
    const engine = orderEngine();
    expect(await engine.executeWorkflow(loopText(1))).toEqual({ status: 'complete', executed: ['retry_payment'], ops: 3 });
    expect(await engine.executeWorkflow(loopText(1))).toEqual({ status: 'complete', executed: [], ops: 1 });
    expect(await engine.executeWorkflow(loopText(1), { file: 'again.yaml' })).toEqual({ status: 'complete', executed: [], ops: 1 });
  });

  it('checks process names against the processes registered now', async () => {
    const engine = new Engine({ context: { domain: { shipped: false } }, processes: [refund] });
    const text = 'steps: [refund, ship]\n';
    const refused = await engine.executeWorkflow(text).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'WORKFLOW_INVALID', details: { issues: [expect.objectContaining({ line: 1 })] } });
    engine.register(ship);
    expect(await engine.executeWorkflow(text)).toMatchObject({ status: 'complete', executed: ['refund', 'ship'] });
  });

  it('refuses bad text with the same positioned error every time', async () => {
    const engine = orderEngine();
    const text = 'steps:\n  - flux: if\n    then: [ship]\n';
    const errors = [
      await engine.executeWorkflow(text).catch((e: unknown) => e),
      await engine.executeWorkflow(text).catch((e: unknown) => e),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(WorkflowError);
      expect(error).toMatchObject({ code: 'WORKFLOW_INVALID', details: { issues: [expect.objectContaining({ line: 2 })] } });
    }
    expect((errors[1] as WorkflowError).message).toBe((errors[0] as WorkflowError).message);
  });

  it('applies tighter limits to text that loaded before', async () => {
    const engine = orderEngine();
    await engine.executeWorkflow(loopText(0));
    const refused = await engine.executeWorkflow(loopText(0), { limits: { maxNodes: 3 } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'WORKFLOW_INVALID' });
  });
});
