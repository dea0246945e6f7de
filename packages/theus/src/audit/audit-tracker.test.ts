import { describe, expect, it } from 'vitest';
import { AuditAbortError, AuditBlockError, AuditError, AuditStopError, TheusError } from '../errors/index.js';
import { AuditTracker, fieldsOf, loadAuditRecipe, type AuditGate, type AuditOutcome } from './index.js';

const RECIPE = loadAuditRecipe(`
process_recipes:
  transfer:
    inputs:
      - { field: amount, min: 0.01, max: 10000, message: "Transfer limit" }
      - { field: dest, regex: "^User", level: C }
    outputs:
      - { field: domain.total, min: 0, level: S }
  leveled:
    inputs:
      - { field: s, eq: ok, level: S }
      - { field: a, eq: ok, level: A }
      - { field: b, eq: ok, level: B }
      - { field: c, eq: ok, level: C }
      - { field: i, eq: ok, level: I }
  counted:
    max_threshold: 3
    inputs:
      - { field: x, min: 0 }
  dual:
    min_threshold: 2
    max_threshold: 5
    inputs:
      - { field: x, min: 0 }
  keep:
    reset_on_success: false
    max_threshold: 3
    inputs:
      - { field: x, min: 0 }
  same_field:
    max_threshold: 3
    inputs:
      - { field: x, min: 0 }
      - { field: x, min: -5, level: A, max_threshold: 2 }
      - { field: y, eq: 1 }
`);

function check(tracker: AuditTracker, process: string, values: Record<string, unknown>, gate: AuditGate = 'input'): AuditOutcome {
  return tracker.check({ process, gate, read: (field) => (Object.hasOwn(values, field) ? values[field] : undefined) });
}

describe('levels', () => {
  it.each([
    ['s', 'stop', AuditStopError, 'AUDIT_STOP'],
    ['a', 'abort', AuditAbortError, 'AUDIT_ABORT'],
    ['b', 'block', AuditBlockError, 'AUDIT_BLOCK'],
  ] as const)('level of field %s -> %s with its error', (field, action, ErrorClass, code) => {
    const outcome = check(new AuditTracker(RECIPE), 'leveled', { [field]: 'bad' });
    expect(outcome.action).toBe(action);
    expect(outcome.error).toBeInstanceOf(ErrorClass);
    expect(outcome.error).toBeInstanceOf(AuditError);
    expect(outcome.error?.code).toBe(code);
    expect(outcome.error?.details).toMatchObject({ process: 'leveled', gate: 'input', failures: [{ field, action }] });
  });

  it('C warns and I informs, without an error', () => {
    const tracker = new AuditTracker(RECIPE);
    expect(check(tracker, 'leveled', { c: 'bad' })).toMatchObject({ action: 'warn', failures: [{ field: 'c', level: 'C' }] });
    expect(check(tracker, 'leveled', { i: 'bad' })).toMatchObject({ action: 'info', failures: [{ field: 'i', level: 'I' }] });
    expect(check(tracker, 'leveled', { i: 'bad' }).error).toBeUndefined();
  });

  it('the strongest action wins and every failure is reported', () => {
    const outcome = check(new AuditTracker(RECIPE), 'leveled', { s: 1, a: 1, b: 1, c: 1, i: 1 });
    expect(outcome.action).toBe('stop');
    expect(outcome.failures.map((f) => [f.field, f.action])).toEqual([
      ['s', 'stop'],
      ['a', 'abort'],
      ['b', 'block'],
      ['c', 'warn'],
      ['i', 'info'],
    ]);
    expect(outcome.error).toBeInstanceOf(AuditStopError);
  });

  it('a passing check returns pass with no failures', () => {
    expect(check(new AuditTracker(RECIPE), 'transfer', { amount: 5, dest: 'User1' })).toEqual({ action: 'pass', failures: [] });
    expect(check(new AuditTracker(RECIPE), 'unknown_process', { amount: -1 }).action).toBe('pass');
  });
});

describe('thresholds', () => {
  it('counts silently below max_threshold, fires at it, then starts again', () => {
    const tracker = new AuditTracker(RECIPE);
    const actions = Array.from({ length: 7 }, () => check(tracker, 'counted', { x: -1 }).action);
    expect(actions).toEqual(['count', 'count', 'block', 'count', 'count', 'block', 'count']);
    expect(tracker.counter('counted', 'input', 'x')).toBe(1);
  });

  it('warns from min_threshold until max_threshold', () => {
    const tracker = new AuditTracker(RECIPE);
    const outcomes = Array.from({ length: 6 }, () => check(tracker, 'dual', { x: -1 }));
    expect(outcomes.map((o) => o.action)).toEqual(['count', 'warn', 'warn', 'warn', 'block', 'count']);
    expect(outcomes.map((o) => o.failures[0]?.counter)).toEqual([1, 2, 3, 4, 5, 1]);
  });

  it('reset_on_success resets the counter on a passing check', () => {
    const tracker = new AuditTracker(RECIPE);
    check(tracker, 'counted', { x: -1 });
    check(tracker, 'counted', { x: -1 });
    expect(tracker.counter('counted', 'input', 'x')).toBe(2);
    check(tracker, 'counted', { x: 1 });
    expect(tracker.counter('counted', 'input', 'x')).toBe(0);
    expect(check(tracker, 'counted', { x: -1 }).action).toBe('count');
  });

  it('reset_on_success: false keeps counting across passing checks', () => {
    const tracker = new AuditTracker(RECIPE);
    const actions = [-1, 1, -1, 1, -1].map((x) => check(tracker, 'keep', { x }).action);
    expect(actions).toEqual(['count', 'pass', 'count', 'pass', 'block']);
  });

  it('counts a field once per check however many of its rules fail; the strongest rule governs', () => {
    const tracker = new AuditTracker(RECIPE);
    const first = check(tracker, 'same_field', { x: -1, y: 1 });
    expect(first.failures.map((f) => [f.rule, f.counter])).toEqual([[0, 1]]);
    const both = check(tracker, 'same_field', { x: -1000, y: 1 });
    expect(both.failures.map((f) => [f.rule, f.counter, f.action])).toEqual([
      [0, 2, 'abort'],
      [1, 2, 'abort'],
    ]);
    expect(both.action).toBe('abort');
    expect(tracker.counter('same_field', 'input', 'x')).toBe(0);
  });

  it('keeps input and output counters apart', () => {
    const tracker = new AuditTracker(RECIPE);
    check(tracker, 'counted', { x: -1 });
    expect(tracker.counter('counted', 'output', 'x')).toBe(0);
    expect(check(tracker, 'transfer', { 'domain.total': -1 }, 'output').action).toBe('stop');
    expect(tracker.counters()).toEqual([{ process: 'counted', gate: 'input', field: 'x', count: 1 }]);
  });
});

describe('missing fields and messages', () => {
  it('skips rules whose field is absent, logs them as skipped and leaves counters alone', () => {
    const tracker = new AuditTracker(RECIPE, { now: () => 42 });
    check(tracker, 'counted', { x: -1 });
    expect(check(tracker, 'counted', {}).action).toBe('pass');
    expect(tracker.counter('counted', 'input', 'x')).toBe(1);
    expect(tracker.logs().at(-1)).toMatchObject({ time: 42, field: 'x', status: 'skipped', ok: true, value: 'undefined', counter: 1 });
    expect(check(tracker, 'counted', { x: null }).action).toBe('count');
  });

  it('names process, gate, field, rule, value (truncated), bound and the rule message', () => {
    const outcome = check(new AuditTracker(RECIPE), 'transfer', { amount: 'x'.repeat(500), dest: 'User' });
    const message = outcome.error?.message ?? '';
    expect(message).toContain("process 'transfer', input gate");
    expect(message).toContain("field 'amount' rule #0 (min, max; level B; failure 1/1)");
    expect(message).toContain('expected a number >= 0.01');
    expect(message).toContain('Transfer limit');
    expect(message).toContain('<inline>:5:9');
    expect(message.length).toBeLessThan(600);
    expect(outcome.failures[0]).toMatchObject({ expected: '>= 0.01 and <= 10000', checks: ['min', 'max'] });
    expect(JSON.parse(JSON.stringify((outcome.error as TheusError).toJSON()))).toMatchObject({ code: 'AUDIT_BLOCK' });
  });
});

describe('the log and tracker state', () => {
  it('logs every evaluation, oldest first, within its bound', () => {
    let clock = 0;
    const tracker = new AuditTracker(RECIPE, { logSize: 3, now: () => ++clock });
    for (let i = 0; i < 5; i++) check(tracker, 'counted', { x: i % 2 === 0 ? -1 : 1 });
    const logs = tracker.logs();
    expect(logs.map((e) => [e.time, e.status])).toEqual([
      [3, 'fail'],
      [4, 'pass'],
      [5, 'fail'],
    ]);
    expect(logs[0]).toMatchObject({
      process: 'counted',
      gate: 'input',
      field: 'x',
      rule: 0,
      ok: false,
      level: 'B',
      value: '-1',
      counter: 1,
    });
    expect(Object.isFrozen(logs[0])).toBe(true);
  });

  it('keeps 1000 entries by default and none with logSize 0', () => {
    const tracker = new AuditTracker(RECIPE);
    for (let i = 0; i < 1200; i++) check(tracker, 'counted', { x: 1 });
    expect(tracker.logs()).toHaveLength(1000);
    const silent = new AuditTracker(RECIPE, { logSize: 0 });
    check(silent, 'counted', { x: 1 });
    expect(silent.logs()).toEqual([]);
    expect(() => new AuditTracker(RECIPE, { logSize: -1 })).toThrow(TheusError);
  });

  it('two trackers share nothing; reset clears counters and log', () => {
    const one = new AuditTracker(RECIPE);
    const two = new AuditTracker(RECIPE);
    check(one, 'counted', { x: -1 });
    check(one, 'counted', { x: -1 });
    expect(one.counter('counted', 'input', 'x')).toBe(2);
    expect(two.counter('counted', 'input', 'x')).toBe(0);
    expect(two.logs()).toEqual([]);
    one.reset();
    expect(one.counter('counted', 'input', 'x')).toBe(0);
    expect(one.logs()).toEqual([]);
  });
});

describe('fieldsOf', () => {
  it('lists each field of a gate once, classified as argument or context path', () => {
    expect(fieldsOf(RECIPE, 'same_field', 'input').map((f) => [f.field, f.kind])).toEqual([
      ['x', 'argument'],
      ['y', 'argument'],
    ]);
    expect(fieldsOf(RECIPE, 'transfer', 'output')).toEqual([{ field: 'domain.total', kind: 'path', segments: ['domain', 'total'] }]);
    expect(fieldsOf(RECIPE, 'nope', 'input')).toEqual([]);
    expect(fieldsOf(RECIPE, 'toString', 'input')).toEqual([]);
  });
});
