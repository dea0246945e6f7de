import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditAbortError, AuditBlockError, AuditError, AuditStopError, Engine, process, type AuditEvent } from 'theus';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const transfer = process(
  { name: 'transfer', inputs: ['domain.balance'], outputs: ['domain.balance', 'domain.reserve', 'signal'] },
  (ctx, args: { amount: number }) => {
    ctx.domain.balance = (ctx.domain.balance as number) - args.amount;
    ctx.signal('cmd_moved', args.amount);
    ctx.outbox.add('moved', args.amount);
    return { 'domain.reserve': (ctx.domain.balance as number) * 2 };
  },
);

const recipe = (level: string, extra = ''): string => `
audit: { level: B }
process_recipes:
  transfer:
    inputs:
      - { field: amount, min: 0.01, max: 100, level: ${level}, message: "Transfer limit" ${extra} }
    outputs:
      - { field: domain.balance, min: 0, level: ${level} }
      - { field: domain.reserve, max: 1000, level: ${level} }
`;

const inputOnly = (extra: string): string => `
process_recipes:
  transfer:
    inputs:
      - { field: amount, max: 100, level: B${extra} }
`;

function engineWith(audit: string, balance = 50): Engine {
  return new Engine({ context: { domain: { balance, reserve: 0 } }, processes: [transfer], audit });
}

describe('audit gates on the engine', () => {
  it('blocks at the input gate on an argument and leaves state, version, signals and outbox untouched', async () => {
    const engine = engineWith(recipe('B'));
    const commits: unknown[] = [];
    engine.on('commit', (e) => commits.push(e));
    const signals = engine.signals.subscribe();
    const error = await engine.execute('transfer', { amount: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditBlockError);
    expect((error as AuditBlockError).message).toMatch(/transfer.*input gate.*amount.*Transfer limit/s);
    expect(engine.state).toEqual({ domain: { balance: 50, reserve: 0 } });
    expect(engine.version).toBe(0);
    expect(commits).toEqual([]);
    engine.signals.publish('marker');
    expect((await signals.next()).value?.topic).toBe('marker');
    const last = engine.audit.logs().at(-1);
    expect(last).toMatchObject({ process: 'transfer', gate: 'input', field: 'amount', ok: false });
  });

  it('checks pending writes at the output gate: shadow writes and returned values alike', async () => {
    const shadow = engineWith(recipe('B'), 10);
    await expect(shadow.execute('transfer', { amount: 20 })).rejects.toThrow(/domain\.balance/);
    expect(shadow.state).toEqual({ domain: { balance: 10, reserve: 0 } });
    const returned = engineWith(recipe('B'), 600);
    await expect(returned.execute('transfer', { amount: 1 })).rejects.toThrow(/domain\.reserve/);
    expect(returned.version).toBe(0);
    await engineWith(recipe('B'), 100).execute('transfer', { amount: 10 });
  });

  it('halts the engine on level S until resume()', async () => {
    const engine = engineWith(recipe('S'));
    await expect(engine.execute('transfer', { amount: 500 })).rejects.toBeInstanceOf(AuditStopError);
    expect(engine.audit.halted).toBeInstanceOf(AuditStopError);
    await expect(engine.execute('transfer', { amount: 1 })).rejects.toMatchObject({ code: 'AUDIT_STOP' });
    expect(engine.version).toBe(0);
    engine.resume();
    await engine.execute('transfer', { amount: 1 });
    expect(engine.state).toMatchObject({ domain: { balance: 49 } });
  });

  it('raises AuditAbortError on level A', async () => {
    await expect(engineWith(recipe('A')).execute('transfer', { amount: 0 })).rejects.toBeInstanceOf(AuditAbortError);
  });

  it('commits with a warning event on level C and logs only on level I', async () => {
    for (const [level, actions] of [
      ['C', ['warn', 'warn']], // the input gate (amount) and the output gate (negative balance)
      ['I', []],
    ] as const) {
      const engine = engineWith(recipe(level));
      const events: AuditEvent[] = [];
      engine.on('audit', (e) => events.push(e));
      await engine.execute('transfer', { amount: 500 });
      expect(engine.version).toBe(1);
      expect(events.map((e) => e.action)).toEqual(actions);
      expect(engine.audit.logs().filter((entry) => !entry.ok)).not.toHaveLength(0);
    }
  });

  it('applies thresholds: silent below min, a warning from it, the action at max, then a reset', async () => {
    const engine = engineWith(inputOnly(', min_threshold: 2, max_threshold: 3'), 1_000_000);
    const actions: string[] = [];
    engine.on('audit', (e) => actions.push(e.action));
    await engine.execute('transfer', { amount: 500 });
    expect(engine.audit.counter('transfer', 'input', 'amount')).toBe(1);
    await engine.execute('transfer', { amount: 500 });
    await expect(engine.execute('transfer', { amount: 500 })).rejects.toBeInstanceOf(AuditBlockError);
    expect(actions).toEqual(['warn', 'block']);
    expect(engine.audit.counter('transfer', 'input', 'amount')).toBe(0);
    expect(engine.version).toBe(2);
  });

  it('keeps counters per engine', async () => {
    const first = engineWith(inputOnly(', max_threshold: 5'), 1_000_000);
    const second = engineWith(inputOnly(', max_threshold: 5'), 1_000_000);
    await first.execute('transfer', { amount: 500 });
    expect(first.audit.counter('transfer', 'input', 'amount')).toBe(1);
    expect(second.audit.counter('transfer', 'input', 'amount')).toBe(0);
  });

  it('counts the output gate once for a run that was retried after a conflict', async () => {
    const slow = process({ name: 'slow', inputs: ['domain.n'], outputs: ['domain.n'] }, async (ctx) => {
      const n = ctx.domain.n as number;
      await tick(5);
      return n - 10;
    });
    const bump = process({ name: 'bump', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
    const audit = { process_recipes: { slow: { outputs: [{ field: 'domain.n', min: 0, level: 'C', max_threshold: 10 }] } } };
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [slow, bump], audit });
    const running = engine.execute('slow');
    await engine.execute('bump');
    await running;
    expect(engine.audit.counter('slow', 'output', 'domain.n')).toBe(1);
  });

  it('rejects an invalid recipe at construction with every problem and its position', () => {
    const bad =
      'process_recipes:\n  transfer:\n    inputs:\n      - { field: amount, min: 1, level: X }\n      - { field: amount, regex: "(" }\n';
    const error = ((): unknown => {
      try {
        engineWith(bad);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
    expect((error as AuditError).message).toMatch(/4:\d+.*level/);
    expect((error as AuditError).message).toMatch(/5:\d+.*regex/);
  });
});

describe('audit and failed runs', () => {
  it('leaves no audit success behind when the run fails after passing its gates', async () => {
    const flaky = process(
      { name: 'flaky', inputs: ['domain.n'], outputs: ['domain.n'] },
      (ctx, args: { amount: number; fail?: boolean }) => {
        if (args.fail === true) throw new Error('process failed');
        return (ctx.domain.n as number) + args.amount;
      },
    );
    const audit = {
      process_recipes: { flaky: { inputs: [{ field: 'amount', max: 10, level: 'B', max_threshold: 3, reset_on_success: true }] } },
    };
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [flaky], audit });
    await engine.execute('flaky', { amount: 50 });
    await engine.execute('flaky', { amount: 50 });
    expect(engine.audit.counter('flaky', 'input', 'amount')).toBe(2);
    await expect(engine.execute('flaky', { amount: 1, fail: true })).rejects.toThrow('process failed');
    expect(engine.audit.counter('flaky', 'input', 'amount')).toBe(2);
    await engine.execute('flaky', { amount: 1 });
    expect(engine.audit.counter('flaky', 'input', 'amount')).toBe(0);
  });

  it('loads the recipe from a file path given as the audit option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'theus-audit-'));
    const file = join(dir, 'audit_recipe.yaml');
    writeFileSync(file, 'process_recipes:\n  transfer:\n    inputs:\n      - { field: amount, max: 100, level: X }\n');
    expect(() => new Engine({ context: {}, audit: file })).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:`));
    writeFileSync(file, 'process_recipes:\n  transfer:\n    inputs:\n      - { field: amount, max: 100 }\n');
    expect(new Engine({ context: {}, audit: file }).audit.recipe?.processes['transfer']?.inputs).toHaveLength(1);
    expect(() => new Engine({ context: {}, audit: join(dir, 'missing.yaml') })).toThrow(/Cannot read the audit recipe file/);
  });
});
