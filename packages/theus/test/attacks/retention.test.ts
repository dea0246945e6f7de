/**
 * Attacks on retention (issue 8): inputs that used to grow memory without limit. Each bound is
 * checked by counting what is retained, never by timing: the signal hub's `latest` per topic, the
 * engine hub, subscriber buffers, the state machine's history and the audit log.
 */
import { describe, expect, it } from 'vitest';
import { Engine, process, SignalHub, SignalLagError, WorkflowError } from 'theus';

const TOPICS = 20_000;

describe('SignalHub.latest keeps a bounded number of topics', () => {
  it('keeps the latest payloads of the 1,000 most recently published topics by default', () => {
    const hub = new SignalHub();
    for (let i = 0; i < TOPICS; i++) hub.publish(`topic.${String(i)}`, { i });
    expect(hub.retainedTopics).toBe(1000);
    const latest = hub.latest;
    const keys = Object.keys(latest);
    expect(keys).toHaveLength(1000);
    expect(keys[0]).toBe(`topic.${String(TOPICS - 1000)}`);
    expect(keys.at(-1)).toBe(`topic.${String(TOPICS - 1)}`);
    expect(latest['topic.0']).toBeUndefined();
    expect(latest[`topic.${String(TOPICS - 1)}`]).toEqual({ i: TOPICS - 1 });
  });

  it.each([1, 3, 50, 2500])('honours latestTopics: %i', (limit) => {
    const hub = new SignalHub({ latestTopics: limit });
    for (let i = 0; i < TOPICS; i++) hub.publish(`t${String(i)}`, i);
    expect(hub.retainedTopics).toBe(limit);
    expect(Object.values(hub.latest)).toEqual(Array.from({ length: limit }, (_, k) => TOPICS - limit + k));
  });

  it('forgets the topic published least recently: a hot topic survives a flood of new ones', () => {
    const hub = new SignalHub({ latestTopics: 3 });
    hub.publish('hot', 0);
    for (let i = 1; i <= 10; i++) {
      hub.publish(`cold.${String(i)}`, i);
      hub.publish('hot', i);
    }
    expect(Object.keys(hub.latest)).toEqual(['cold.9', 'cold.10', 'hot']);
    expect(hub.latest['hot']).toBe(10);
  });

  it('with latestTopics: 0 keeps nothing, and still delivers to subscribers', async () => {
    const hub = new SignalHub({ latestTopics: 0 });
    const sub = hub.subscribe('x.*');
    for (let i = 0; i < 1000; i++) hub.publish(`x.${String(i)}`, i);
    expect(hub.retainedTopics).toBe(0);
    expect(hub.latest).toEqual({});
    await expect(sub.next()).rejects.toBeInstanceOf(SignalLagError); // the buffer kept the last 100
    expect((await sub.next()).value?.payload).toBe(900);
  });

  it('a forgotten topic is absent from latest until published again; a late subscriber gets only new messages', async () => {
    const hub = new SignalHub({ latestTopics: 2 });
    hub.publish('a', 1);
    hub.publish('b', 2);
    hub.publish('c', 3);
    expect('a' in hub.latest).toBe(false);
    const late = hub.subscribe('a');
    hub.publish('a', 4);
    expect(hub.latest['a']).toBe(4);
    expect(Object.keys(hub.latest)).toEqual(['c', 'a']);
    expect((await late.next()).value).toMatchObject({ topic: 'a', payload: 4 });
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number])(
    'rejects latestTopics %s with RangeError',
    (limit) => {
      expect(() => new SignalHub({ latestTopics: limit })).toThrow(RangeError);
      expect(() => new SignalHub({ latestTopics: limit })).toThrow(/latestTopics must be an integer >= 0/);
    },
  );
});

describe('the engine hub retains no payload of its own', () => {
  it('keeps nothing for 20,000 direct publishes of distinct topics', () => {
    const engine = new Engine({ context: {} });
    for (let i = 0; i < TOPICS; i++) engine.signals.publish(`direct.${String(i)}`, 'x'.repeat(100));
    expect(engine.signals.retainedTopics).toBe(0);
    expect(engine.signals.latest).toEqual({});
  });

  it('latest holds only the current version’s signals after thousands of distinct committed topics', async () => {
    const emit = process({ name: 'emit', inputs: ['domain.n'], outputs: ['domain.n', 'signal'] }, (ctx) => {
      const n = ctx.domain.n as number;
      ctx.signal(`cmd_${String(n)}`, n);
      return n + 1;
    });
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [emit] });
    for (let i = 0; i < 2000; i++) await engine.execute('emit');
    expect(engine.signals.retainedTopics).toBe(0);
    expect({ ...engine.signals.latest }).toEqual({ cmd_1999: 1999 });
  });

  it('a subscriber that never reads holds at most its buffer', async () => {
    const engine = new Engine({ context: {} });
    const idle = engine.signals.subscribe();
    const small = engine.signals.subscribe(undefined, { bufferSize: 5 });
    for (let i = 0; i < TOPICS; i++) engine.signals.publish(`flood.${String(i)}`, i);
    const lag = await idle.next().catch((e: unknown) => e);
    expect(lag).toBeInstanceOf(SignalLagError);
    expect((lag as SignalLagError).details.missed).toBe(TOPICS - 100);
    expect(((await small.next().catch((e: unknown) => e)) as SignalLagError).details.missed).toBe(TOPICS - 5);
    expect((await small.next()).value?.payload).toBe(TOPICS - 5);
  });
});

describe('state machine history is bounded', () => {
  const PING_PONG = 'initial: A\nstates:\n  A: { events: { GO: B } }\n  B: { events: { GO: A } }\n';

  it('keeps the last 1,000 moves by default, oldest dropped first', async () => {
    const engine = new Engine({ context: {} });
    const machine = engine.machine(PING_PONG);
    for (let i = 0; i < 5000; i++) await machine.send('GO');
    const history = machine.history;
    expect(history).toHaveLength(1000);
    // Move k (0-based) goes from A to B when k is even: move 4000 is the oldest kept.
    expect(history[0]).toMatchObject({ from: 'A', event: 'GO', to: 'B' });
    expect(history.at(-1)).toMatchObject({ from: 'B', event: 'GO', to: 'A' });
    expect(machine.state).toBe('A');
  });

  it.each([1, 7, 1500])('honours historySize: %i', async (size) => {
    const machine = new Engine({ context: {} }).machine(PING_PONG, { historySize: size });
    for (let i = 0; i < 3000; i++) await machine.send('GO');
    expect(machine.history).toHaveLength(size);
    expect(machine.history.at(-1)).toMatchObject({ from: 'B', to: 'A' });
  });

  it('with historySize: 0 keeps nothing, and send() still reports its moves', async () => {
    const machine = new Engine({ context: {} }).machine(PING_PONG, { historySize: 0 });
    const result = await machine.send('GO');
    expect(result.transitions).toHaveLength(1);
    expect(machine.history).toEqual([]);
  });

  it('counts chained entry moves against the same bound', async () => {
    const noop = process({ name: 'noop' }, () => undefined);
    const engine = new Engine({ context: {}, processes: [noop] });
    const machine = engine.machine(
      'initial: IDLE\nstates:\n  IDLE: { events: { GO: WORK } }\n  WORK: { entry: noop, events: { EVT_CHAIN_DONE: IDLE } }\n',
      { historySize: 10 },
    );
    for (let i = 0; i < 100; i++) await machine.send('GO');
    expect(machine.history).toHaveLength(10);
    expect(machine.history.map((m) => m.event).slice(-2)).toEqual(['GO', 'EVT_CHAIN_DONE']);
  });

  it.each([-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number])('rejects historySize %s with FSM_INVALID', (size) => {
    const error: unknown = (() => {
      try {
        new Engine({ context: {} }).machine(PING_PONG, { historySize: size });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: 'FSM_INVALID', details: { option: 'historySize' } });
    expect((error as WorkflowError).message).toMatch(/historySize' must be an integer >= 0/);
  });
});

describe('the audit log is bounded', () => {
  const check = process({ name: 'check' }, () => undefined);
  const audit = 'process_recipes:\n  check:\n    inputs:\n      - { field: x, min: 0, level: I }\n';

  it('keeps the last 1,000 checks by default', async () => {
    const engine = new Engine({ context: {}, processes: [check], audit });
    for (let i = 0; i < 3000; i++) await engine.execute('check', { x: i % 2 === 0 ? i : -i });
    const logs = engine.audit.logs();
    expect(logs).toHaveLength(1000);
    expect(logs.at(-1)).toMatchObject({ value: '-2999', status: 'fail' });
    expect(logs[0]).toMatchObject({ value: '2000', status: 'pass' });
  });

  it('honours auditLogSize, 0 included', async () => {
    for (const size of [0, 1, 10]) {
      const engine = new Engine({ context: {}, processes: [check], audit, auditLogSize: size });
      for (let i = 0; i < 50; i++) await engine.execute('check', { x: i });
      expect(engine.audit.logs()).toHaveLength(size);
    }
  });
});
