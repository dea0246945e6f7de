import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors/index.js';
import type { SourceIssue } from '../yaml/source-issue.js';
import { loadMachine } from './load-machine.js';

const SPEC = `initial: IDLE
states:
  IDLE:       { events: { CMD_TX: PROCESSING } }
  PROCESSING: { entry: transfer, events: { EVT_CHAIN_DONE: NOTIFY, EVT_CHAIN_FAIL: IDLE } }
  NOTIFY:     { entry: [notify, audit_log], events: { DONE: IDLE } }
`;

/** The issues of a definition that must not load. */
function issues(source: string | object, processes?: string[]): string[] {
  try {
    loadMachine(source, processes === undefined ? {} : { processes: new Set(processes) });
  } catch (error) {
    if (!(error instanceof WorkflowError) || error.code !== 'FSM_INVALID') throw error;
    return (error.details['issues'] as SourceIssue[]).map((i) => `${String(i.line)}:${String(i.column)}: ${i.message}`);
  }
  throw new Error('expected FSM_INVALID');
}

describe('loadMachine', () => {
  it('reads the SPEC example into a frozen definition', () => {
    const def = loadMachine(SPEC, { processes: new Set(['transfer', 'notify', 'audit_log']) });
    expect(def.initial).toBe('IDLE');
    expect(def.states['NOTIFY']?.entry).toEqual([
      { kind: 'process', process: 'notify' },
      { kind: 'process', process: 'audit_log' },
    ]);
    expect(def.events).toEqual(['CMD_TX', 'DONE', 'EVT_CHAIN_DONE', 'EVT_CHAIN_FAIL']);
    expect(Object.isFrozen(def.states['IDLE']?.events)).toBe(true);
  });

  it('accepts on / transitions / events, a YAML 1.1 boolean `on` key, process and workflow entries', () => {
    const def = loadMachine({
      states: {
        IDLE: { on: { GO: 'A' } },
        A: { process: 'p', transitions: { BACK: 'IDLE' }, description: 'alias' },
        B: { entry: { workflow: 'flows/b.yaml' }, true: { X: 'IDLE' } },
      },
    });
    expect(def.initial).toBe('IDLE');
    expect(def.states['IDLE']?.events).toEqual({ GO: 'A' });
    expect(def.states['A']?.entry).toEqual([{ kind: 'process', process: 'p' }]);
    expect(def.states['B']?.events).toEqual({ X: 'IDLE' });
    expect(def.states['B']?.entry).toEqual([{ kind: 'workflow', file: 'flows/b.yaml' }]);
    expect(loadMachine('states:\n  S:\n    on:\n      E: S\n').states['S']?.events).toEqual({ E: 'S' });
  });

  it('starts in the first state when there is neither initial nor IDLE', () => {
    expect(loadMachine('states:\n  START: {}\n  END:\n').initial).toBe('START');
  });

  it('reports every problem with its position', () => {
    const text = `initial: NOPE
states:
  IDLE:
    events: { GO: MISSING, OK: IDLE }
    entry: [known, unknown_proc]
    colour: red
  B:
    on: { X: IDLE }
    events: { Y: IDLE }
extra: 1
`;
    expect(issues(text, ['known'])).toEqual([
      "1:10: unknown initial state 'NOPE' (states: IDLE, B)",
      "4:19: state 'IDLE': event 'GO' targets unknown state 'MISSING' (states: IDLE, B)",
      "5:20: state 'IDLE': unknown entry process 'unknown_proc': register it or fix the name",
      "6:5: state 'IDLE': unknown key 'colour' (allowed: entry, process, events, on, true, transitions, description)",
      "9:5: state 'B': use one of events / on / transitions, not several",
      "10:1: unknown key 'extra' (allowed: initial, states, name, description, version)",
    ]);
  });

  it('lists in the unknown-key message exactly the keys a state accepts', () => {
    const [message = ''] = issues('states:\n  S: { colour: red }\n');
    const allowed = /\(allowed: (.*)\)$/.exec(message)?.[1]?.split(', ');
    expect(allowed).toEqual(['entry', 'process', 'events', 'on', 'true', 'transitions', 'description']);
    for (const key of allowed ?? []) expect(() => loadMachine({ states: { S: { [key]: null } } }), key).not.toThrow();
  });

  it('refuses empty and blank entry process names at their position, whether or not processes are given', () => {
    const text = `states:
  A: { entry: "" }
  B: { process: [ok, "  "] }
  C: { entry: [{ process: "" }] }
`;
    const blank = 'an entry process name must not be empty or blank';
    const expected = [`2:15: state 'A': ${blank}`, `3:22: state 'B': ${blank}`, `4:27: state 'C': ${blank}`];
    expect(issues(text)).toEqual(expected);
    expect(issues(text, ['ok'])).toEqual(expected);
    expect(() => loadMachine(text, { file: 'm.yaml' })).toThrow(`m.yaml:2:15: state 'A': ${blank}`);
    expect(issues({ states: { A: { process: { process: ' ' } } } })).toEqual([`1:1: state 'A': ${blank}`]);
  });

  it('rejects a definition without states, and non-plain object values', () => {
    expect(issues('initial: A\n')[0]).toContain("'states' must be a non-empty mapping");
    expect(issues({ states: { A: { entry: () => 1 } } })[0]).toContain('(root).states.A.entry: a definition holds only plain data');
  });
});

describe('object definitions that are not plain data', () => {
  it('reports a cycle instead of overflowing the stack', () => {
    const states: Record<string, unknown> = { A: { events: {} } };
    states['self'] = states;
    expect(() => loadMachine({ initial: 'A', states })).toThrow(/\(root\)\.states\.self: a definition holds only plain data, not a cycle/);
  });
});
