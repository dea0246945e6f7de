/**
 * Issue 9, items 5 and 7: an audit recipe with a misspelled process name or field is reported
 * with its file:line:column (or, for what only a run can show, one warning event), and
 * `engine.history()` stays readable after `close()`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AuditError, Engine, memoryStore, process, type EngineEvents, type Store } from 'theus';
import { thrown } from './attacks/expect-failure.js';

type Issue = { file: string; line: number; column: number; path: string; message: string };
type WarningEvent = EngineEvents['warning'];

const transfer = process({ name: 'transfer', inputs: ['domain.balance'], outputs: ['domain.balance'] }, (ctx, args: { amount: number }) => {
  ctx.domain.balance = (ctx.domain.balance as number) - args.amount;
});
const deposit = process({ name: 'deposit', inputs: ['domain.balance'], outputs: ['domain.balance'] }, (ctx, args: { amount: number }) => {
  ctx.domain.balance = (ctx.domain.balance as number) + args.amount;
});
/** Arguments checked by a zod schema: its output holds `amount` and `memo`, nothing else. */
const pay = process(
  {
    name: 'pay',
    inputs: ['domain.balance'],
    outputs: ['domain.balance'],
    args: z.object({ amount: z.number(), memo: z.string().optional() }),
  },
  (ctx, args: { amount: number; memo?: string }) => {
    ctx.domain.balance = (ctx.domain.balance as number) - args.amount;
  },
);

const context = (): { domain: { balance: number; total_reserves: number; accounts: Record<string, number> } } => ({
  domain: { balance: 100, total_reserves: 1000, accounts: { alice: 10 } },
});

/** Writes `text` to a fresh recipe file and returns its path. */
function recipeFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'theus-typos-')), 'audit.yaml');
  writeFileSync(path, text);
  return path;
}

function issuesOf(error: unknown): Issue[] {
  expect(error).toBeInstanceOf(AuditError);
  expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
  return (error as AuditError).details.issues as Issue[];
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a recipe entry that names no registered process', () => {
  // `transfr` is written at line 3, column 3.
  const typo = `process_recipes:
  transfer: { inputs: [{ field: amount, max: 100 }] }
  transfr:
    inputs:
      - { field: amount, min: 1 }
  _limits:
    inputs: [{ field: amount, min: 0 }]
`;

  it('fails the first run with the entry’s file:line:column and a suggestion, and nothing runs', async () => {
    const file = recipeFile(typo);
    const engine = new Engine({ context: context(), processes: [transfer], audit: file }); // construction does not throw
    const error = await engine.execute('transfer', { amount: 5 }).catch((e: unknown) => e);
    const issues = issuesOf(error);
    expect(issues).toEqual([expect.objectContaining({ file, line: 3, column: 3, path: 'process_recipes.transfr' })]);
    expect((error as Error).message).toContain(
      `${file}:3:3: the recipe of 'transfr' matches no registered process (did you mean 'transfer'?)`,
    );
    // `_limits` is a base (only inherited), never a process: not reported.
    expect((error as Error).message).not.toContain('_limits');
    expect(engine.version).toBe(0);
    // Every later run fails the same way: a recipe that does not match never runs.
    await expect(engine.execute('transfer', { amount: 5 })).rejects.toMatchObject({ code: 'AUDIT_RECIPE_INVALID' });
    expect(engine.version).toBe(0);
  });

  it('is reported earlier by engine.audit.verify()', () => {
    const engine = new Engine({ context: context(), processes: [transfer], audit: typo });
    const issues = issuesOf(thrown(() => engine.audit.verify()));
    expect(issues).toMatchObject([{ file: '<inline>', line: 3, column: 3 }]);
  });

  it('reports the `process:` value of the alternative rules: format, and object recipes by key path', () => {
    const rules = `rules:\n  - process: transfer\n    input_rules: [{ key: amount, max: 100 }]\n  - process: depositt\n    input_rules: [{ key: amount, min: 0 }]\n`;
    const engine = new Engine({ context: context(), processes: [transfer, deposit], audit: rules });
    const [issue] = issuesOf(thrown(() => engine.audit.verify()));
    expect(issue).toMatchObject({ line: 4, column: 14, path: 'rules[1].process' });
    expect(issue?.message).toMatch(/did you mean 'deposit'/);
    const object = new Engine({
      context: context(),
      processes: [transfer],
      audit: { process_recipes: { transfr: { inputs: [{ field: 'amount', min: 1 }] } } },
    });
    expect((thrown(() => object.audit.verify()) as Error).message).toContain('<object>:process_recipes.transfr: the recipe of');
  });

  it('does not throw when processes register after construction, by register() or lazily', async () => {
    const recipe = `process_recipes:\n  transfer: { inputs: [{ field: amount, max: 100 }] }\n  deposit: { inputs: [{ field: amount, min: 0 }] }\n`;
    const later = new Engine({ context: context(), audit: recipe });
    later.register(transfer);
    later.register([deposit]);
    later.audit.verify();
    await later.execute('deposit', { amount: 1 });
    expect(later.version).toBe(1);
    // A process executed by definition registers on its first run; the recipe names only it.
    const lazy = new Engine({ context: context(), audit: `process_recipes:\n  deposit: { inputs: [{ field: amount, min: 0 }] }\n` });
    await lazy.execute(deposit, { amount: 1 });
    expect(lazy.version).toBe(1);
  });
});

describe('a field that cannot resolve for its process', () => {
  it('is an error at registration when the args schema does not have it (file:line:column, suggestion)', () => {
    const recipe = `process_recipes:\n  pay:\n    inputs:\n      - { field: amout, max: 100 }\n`;
    const file = recipeFile(recipe);
    const error = thrown(() => new Engine({ context: context(), processes: [pay], audit: file }));
    const [issue] = issuesOf(error);
    expect(issue).toMatchObject({ file, line: 4, column: 18, path: 'process_recipes.pay.inputs[0].field' });
    expect((error as Error).message).toContain(`${file}:4:18: field 'amout' of process 'pay' (input gate) names no argument`);
    expect(issue?.message).toMatch(/args schema has amount, memo \(did you mean 'amount'\?\)/);
    // Registered later: the same error, and nothing of the call is registered.
    const engine = new Engine({ context: context(), audit: recipe });
    expect(issuesOf(thrown(() => engine.register([transfer, pay])))).toHaveLength(1);
    expect(engine.processes).toEqual([]);
  });

  it('is an error at registration when the context schema has no such layer', () => {
    const schema = z.object({
      domain: z.object({ balance: z.number(), total_reserves: z.number(), accounts: z.record(z.string(), z.number()) }),
    });
    const recipe = `process_recipes:\n  transfer:\n    outputs:\n      - { field: domian.balance, min: 0 }\n`;
    const [issue] = issuesOf(thrown(() => new Engine({ context: context(), schema, processes: [transfer], audit: recipe })));
    expect(issue).toMatchObject({ line: 4, column: 18 });
    expect(issue?.message).toMatch(/'domian', which is not a layer of the context schema \(layers: domain\) \(did you mean 'domain'\?\)/);
  });

  it('is an error when the engine starts for a path that nothing declares and the state does not hold', async () => {
    const recipe = `process_recipes:
  transfer:
    outputs:
      - { field: domain.balanse, min: 0 }
      - { field: domain.total_reserves, min: 0 }
      - { field: domain.audit_total, min: 0 }
      - { field: local.scratch, min: 0 }
`;
    const tally = process({ name: 'tally', outputs: ['domain.audit_total'] }, () => 1);
    const engine = new Engine({ context: context(), processes: [transfer, tally], audit: recipe });
    const error = await engine.execute('transfer', { amount: 1 }).catch((e: unknown) => e);
    const issues = issuesOf(error);
    // domain.total_reserves is in the state (an invariant rule), domain.audit_total is another process's output: both fine.
    expect(issues.map((i) => [i.line, i.column])).toEqual([
      [4, 18],
      [7, 18],
    ]);
    expect(issues[0]?.message).toMatch(
      /field 'domain.balanse' of process 'transfer' \(output gate\) names nothing.*did you mean 'domain.balance'/,
    );
    expect(issues[1]?.message).toMatch(/reads 'local', the per-run scratch space/);
    expect(engine.version).toBe(0);
  });

  it('judges paths against every registered process: verify() after the last registration is exact', () => {
    const recipe = `process_recipes:\n  transfer: { inputs: [{ field: amount, max: 100 }] }\n  deposit:\n    outputs:\n      - { field: domain.balnce, min: 0 }\n`;
    const engine = new Engine({ context: context(), audit: recipe });
    engine.register(transfer);
    // deposit is not registered yet: its recipe matches nothing.
    expect(issuesOf(thrown(() => engine.audit.verify()))[0]?.message).toMatch(/the recipe of 'deposit' matches no registered process/);
    engine.register(deposit);
    const error = thrown(() => engine.audit.verify());
    expect(issuesOf(error)).toMatchObject([{ line: 5, column: 18 }]);
    expect((error as Error).message).toMatch(/did you mean 'domain.balance'/);
  });
});

describe('a field only a run can judge', () => {
  const recipe = `process_recipes:
  transfer:
    inputs:
      - { field: amout, max: 100 }
      - { field: domain.accounts.carol, min: 0 }
  pay:
    inputs:
      - { field: memo, max_len: 10 }
`;

  /** Reads the accounts, so a rule on one account is a data lookup only a run can judge. */
  const wide = process(
    { name: 'transfer', inputs: ['domain.balance', 'domain.accounts'], outputs: ['domain.balance'] },
    (ctx, args: { amount: number }) => {
      ctx.domain.balance = (ctx.domain.balance as number) - args.amount;
    },
  );

  it('raises one warning event per (process, gate, field), not a silent skip on every run', async () => {
    const file = recipeFile(recipe);
    const engine = new Engine({ context: context(), processes: [wide, pay], audit: file });
    const warnings: WarningEvent[] = [];
    engine.on('warning', (w) => warnings.push(w));
    for (let i = 0; i < 3; i++) await engine.execute('transfer', { amount: 1 });
    expect(engine.version).toBe(3); // the runs commit
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({
      code: 'AUDIT_FIELD_ABSENT',
      process: 'transfer',
      gate: 'input',
      field: 'amout',
      where: `${file}:4:18`,
    });
    expect(warnings[0]?.message).toMatch(/arguments have no 'amout' \(arguments: amount\) \(did you mean 'amount'\?\)/);
    expect(warnings[1]).toMatchObject({ field: 'domain.accounts.carol', where: `${file}:5:18` });
    expect(warnings[1]?.message).toMatch(/no 'carol' under 'domain.accounts'/);
    expect(Object.isFrozen(warnings[0])).toBe(true);
    // The log still records each skipped rule.
    expect(
      engine.audit
        .logs()
        .filter((e) => e.field === 'amout')
        .map((e) => e.status),
    ).toEqual(['skipped', 'skipped', 'skipped']);
    // An optional argument its args schema declares is data, not a typo: no warning.
    await engine.execute('pay', { amount: 1 });
    expect(warnings).toHaveLength(2);
  });

  it('writes the warning once with console.warn when nobody listens', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const engine = new Engine({ context: context(), processes: [wide, pay], audit: recipe });
    await engine.execute('transfer', { amount: 1 });
    await engine.execute('transfer', { amount: 1 });
    expect(warn).toHaveBeenCalledTimes(2); // amout, domain.accounts.carol
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^theus: Audit field 'amout' of process 'transfer' \(input gate\) was absent/);
  });
});

describe('engine.history() after close()', () => {
  it('still lists the commits', async () => {
    const engine = new Engine({ context: context(), processes: [transfer] });
    await engine.execute('transfer', { amount: 1 });
    await engine.execute('transfer', { amount: 2 });
    const before = engine.history();
    expect(before.map((c) => c.version)).toEqual([1, 2]);
    await engine.close();
    expect(engine.history()).toEqual(before);
    await expect(engine.execute('transfer', { amount: 1 })).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('says why when the store cannot be read once closed', async () => {
    let open = true;
    const store: Store = {
      ...memoryStore(),
      kind: 'test',
      history: () => {
        if (!open) throw new Error('store is closed');
        return [];
      },
      close: () => {
        open = false;
      },
    };
    const engine = new Engine({ context: context(), processes: [transfer], store });
    expect(engine.history()).toEqual([]);
    await engine.close();
    expect(thrown(() => engine.history())).toMatchObject({
      code: 'ENGINE_CLOSED',
      message: expect.stringMatching(/test store after engine.close\(\)/),
    });
  });
});
