import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorkflowError } from 'theus';
import { loadMachine } from 'theus/fsm';
import { readExpected } from './expected-issues.js';

/** State-machine fixtures: valid machines, and invalid ones as `case.yaml` + `case.expected.json` ({ options?, issues: [{ at, includes }] }). */
const dir = fileURLToPath(new URL('../fixtures/fsm/', import.meta.url));
const yamlFiles = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const invalid = readdirSync(dir).filter((f) => f.endsWith('.expected.json'));
const valid = yamlFiles.filter((f) => !invalid.includes(f.replace('.yaml', '.expected.json')));

describe('state machine loader (fixtures/fsm)', () => {
  it('has valid and invalid fixtures', () => {
    expect(valid.length).toBeGreaterThanOrEqual(3);
    expect(invalid.length).toBeGreaterThanOrEqual(3);
  });

  it.each(valid)('loads %s', (name) => {
    const machine = loadMachine(readFileSync(dir + name, 'utf8'), { file: name });
    expect(machine.events.length).toBeGreaterThan(0);
    expect(machine.warnings).toEqual([]);
  });

  it('reads every spelling of synonyms.yaml alike', () => {
    const { initial, states } = loadMachine(readFileSync(`${dir}synonyms.yaml`, 'utf8'));
    expect(initial).toBe('IDLE');
    expect(states['PLACED']?.events).toEqual({ PAY: 'CHARGING', CANCEL: 'CANCELLED' });
    expect(states['CHARGING']?.entry).toEqual([{ kind: 'process', process: 'charge' }]);
    expect(states['SHIPPING']?.entry).toEqual([
      { kind: 'process', process: 'pack' },
      { kind: 'process', process: 'label' },
      { kind: 'workflow', file: 'flows/ship.yaml' },
    ]);
    expect(states['DONE']).toMatchObject({ entry: [], events: {} });
    expect(loadMachine(readFileSync(`${dir}yaml11-keys.yaml`, 'utf8')).states['OFF']?.events).toEqual({ FLIP: 'ON' });
  });

  it.each(invalid)('refuses %s with the expected issues', (expectedFile) => {
    const name = expectedFile.replace('.expected.json', '.yaml');
    const { options, issues: expected } = readExpected(dir + expectedFile);
    let caught: unknown;
    try {
      loadMachine(readFileSync(dir + name, 'utf8'), {
        file: name,
        ...(options.processes === undefined ? {} : { processes: new Set(options.processes) }),
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkflowError);
    const error = caught as WorkflowError;
    expect(error.code).toBe('FSM_INVALID');
    const issues = error.details['issues'] as { file: string; line: number; column: number; message: string }[];
    expect(issues.map((i) => `${String(i.line)}:${String(i.column)}`)).toEqual(
      expected.map((i) => `${String(i.line)}:${String(i.column)}`),
    );
    issues.forEach((issue, index) => {
      expect(issue.file).toBe(name);
      expect(issue.message).toContain(expected[index]?.text);
      expect(error.message).toContain(`${name}:${String(issue.line)}:${String(issue.column)}: ${issue.message}`);
    });
  });
});
