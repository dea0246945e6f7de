import { describe, expect, it } from 'vitest';
import { TheusError, WorkflowError } from '../errors/index.js';
import { loadMachine } from './load-machine.js';
import { Machine } from './machine.js';
import type { MachineRuntime } from './machine-runtime.js';

const SPEC = `initial: IDLE
states:
  IDLE:       { events: { CMD_TX: PROCESSING } }
  PROCESSING: { entry: transfer, events: { EVT_CHAIN_DONE: NOTIFY, EVT_CHAIN_FAIL: IDLE } }
  NOTIFY:     { entry: [notify, audit_log], events: { DONE: IDLE } }
`;

/** A runtime that records calls and fails the processes named in `failing`. */
function fakeRuntime(failing: string[] = [], extra: Partial<MachineRuntime> = {}) {
  const calls: string[] = [];
  const runtime: MachineRuntime = {
    execute: async (name) => {
      calls.push(name);
      await Promise.resolve();
      if (failing.includes(name)) throw new Error(`${name} failed`);
    },
    ...extra,
  };
  return { calls, runtime };
}

/** An async iterable fed by hand. */
function channel<T>() {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  return {
    push(value: T) {
      queue.push(value);
      wake?.();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      while (!closed) {
        const next = queue.shift();
        if (next !== undefined) yield next;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close() {
      closed = true;
      wake?.();
    },
  };
}

describe('Machine', () => {
  it('runs the entry chain and follows EVT_CHAIN_DONE', async () => {
    const { calls, runtime } = fakeRuntime();
    const machine = new Machine(loadMachine(SPEC), runtime, { now: () => 7 });
    expect(machine.state).toBe('IDLE');
    const result = await machine.send('CMD_TX');
    expect(calls).toEqual(['transfer', 'notify', 'audit_log']);
    expect(machine.state).toBe('NOTIFY');
    expect(result.transitions.map((t) => `${t.from}-${t.event}->${t.to}`)).toEqual([
      'IDLE-CMD_TX->PROCESSING',
      'PROCESSING-EVT_CHAIN_DONE->NOTIFY',
    ]);
    expect(machine.history[0]).toEqual({ from: 'IDLE', event: 'CMD_TX', to: 'PROCESSING', time: 7 });
    await machine.send('DONE');
    expect(machine.state).toBe('IDLE');
    expect(machine.history).toHaveLength(3);
  });

  it('follows EVT_CHAIN_FAIL when an entry process fails, stopping the chain', async () => {
    const { calls, runtime } = fakeRuntime(['transfer']);
    const machine = new Machine(loadMachine(SPEC), runtime);
    const result = await machine.send('CMD_TX');
    expect(machine.state).toBe('IDLE');
    expect(calls).toEqual(['transfer']);
    expect((result.chainError as Error).message).toBe('transfer failed');
    expect(machine.lastError).toBe(result.chainError);
  });

  it('ignores chain events a state does not handle', async () => {
    const { runtime } = fakeRuntime(['notify']);
    const machine = new Machine(loadMachine(SPEC), runtime);
    await machine.send('CMD_TX');
    expect(machine.state).toBe('NOTIFY');
  });

  it('rejects an unknown event with FSM_UNKNOWN_EVENT and stays', async () => {
    const machine = new Machine(loadMachine(SPEC), fakeRuntime().runtime);
    await expect(machine.send('DONE')).rejects.toMatchObject({ code: 'FSM_UNKNOWN_EVENT', details: { state: 'IDLE', event: 'DONE' } });
    expect(machine.state).toBe('IDLE');
    expect(machine.history).toEqual([]);
  });

  it('queues a send made during an entry chain', async () => {
    const holder: { machine?: Machine } = {};
    let queued: Promise<unknown> | undefined;
    const runtime: MachineRuntime = {
      execute: (name) => {
        if (name === 'transfer') queued = holder.machine?.send('DONE');
      },
    };
    const machine = new Machine(loadMachine(SPEC), runtime);
    holder.machine = machine;
    await machine.send('CMD_TX');
    expect(machine.state).toBe('NOTIFY');
    await queued;
    expect(machine.state).toBe('IDLE');
  });

  it('runs workflow entries through the runtime; a failed result is a chain failure', async () => {
    const def = loadMachine({
      states: { IDLE: { events: { GO: 'W' } }, W: { entry: { workflow: 'w.yaml' }, events: { EVT_CHAIN_FAIL: 'IDLE' } } },
    });
    expect(() => new Machine(def, fakeRuntime().runtime)).toThrow(WorkflowError);
    const failure = new WorkflowError('WORKFLOW_MAX_OPS', 'trip');
    const machine = new Machine(def, {
      execute: () => undefined,
      runWorkflow: (file) => ({ status: file === 'w.yaml' ? 'failed' : 'complete', error: failure }),
    });
    const result = await machine.send('GO');
    expect(machine.state).toBe('IDLE');
    expect(result.chainError).toBe(failure);
  });

  it('stops an entry chain that loops forever', async () => {
    const def = loadMachine('states:\n  A: { entry: p, events: { EVT_CHAIN_DONE: A, GO: A } }\n');
    const machine = new Machine(def, { execute: () => undefined }, { maxChain: 10 });
    await expect(machine.send('GO')).rejects.toMatchObject({ code: 'WORKFLOW_MAX_OPS' });
  });

  it('connect() delivers topics naming an event of the current state, skips lag, and disposes', async () => {
    const { runtime } = fakeRuntime();
    const source = channel<{ topic: string } | 'lag'>();
    const lagging = {
      async *[Symbol.asyncIterator]() {
        for await (const item of source) {
          if (item === 'lag') throw new TheusError('SIGNAL_LAG', 'lag');
          yield item;
        }
      },
    };
    const machine = new Machine(loadMachine(SPEC), { ...runtime, subscribe: () => lagging });
    const errors: unknown[] = [];
    const stop = machine.connect(undefined, { onError: (e) => errors.push(e) });
    source.push({ topic: 'unrelated' });
    source.push({ topic: 'DONE' });
    source.push({ topic: 'CMD_TX' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await machine.settled();
    expect(machine.state).toBe('NOTIFY');
    stop();
    source.push({ topic: 'DONE' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await machine.settled();
    expect(machine.state).toBe('NOTIFY');
    expect(errors).toEqual([]);
    source.close();
  });
});
