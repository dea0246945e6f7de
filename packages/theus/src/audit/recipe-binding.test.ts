import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { argumentNames, processIssues, recipeIssues, type AuditedProcess } from './index.js';
import { loadAuditRecipe } from './recipe-loader.js';

const proc = (name: string, inputs: string[][] = [], outputs: string[][] = [], args?: AuditedProcess['args']): AuditedProcess => ({
  name,
  inputPaths: inputs,
  outputPaths: outputs,
  args,
});

describe('argumentNames', () => {
  it('reads the output side of a schema: a stripping object is closed, a loose one is not', () => {
    expect(argumentNames(z.object({ a: z.number() }))).toEqual({ names: new Set(['a']), closed: true });
    expect(argumentNames(z.looseObject({ a: z.number() }))?.closed).toBe(false);
    expect(argumentNames(z.union([z.object({ a: z.number() }), z.object({ b: z.string() })]))).toEqual({
      names: new Set(['a', 'b']),
      closed: true,
    });
    expect(argumentNames(z.number())).toBeUndefined();
    expect(argumentNames(undefined)).toBeUndefined();
  });

  it('says nothing for a schema that cannot describe itself', () => {
    const opaque = { '~standard': { version: 1, vendor: 'x', validate: (value: unknown) => ({ value }) } } as const;
    expect(argumentNames(opaque)).toBeUndefined();
  });
});

describe('recipeIssues', () => {
  const recipe = loadAuditRecipe(
    `process_recipes:
  pay:
    inputs:
      - { field: amount, min: 0 }
      - { field: memo, max_len: 5 }
    outputs:
      - { field: domain.total, min: 0 }
      - { field: ledger.sum, min: 0 }
  _base:
    inputs: [{ field: x, min: 0 }]
  refnd:
    inputs: [{ field: amount, min: 0 }]
`,
    { file: 'audit.yaml' },
  );

  it('lists entries without a process, and paths nothing reaches, with their positions', () => {
    const issues = recipeIssues(recipe, {
      processes: [proc('pay', [['domain', 'balance']], [['domain', 'balance']]), proc('refund')],
      state: { domain: { balance: 1, totl: 0 } },
    });
    expect(issues.map((i) => `${String(i.line)}:${String(i.column)}`)).toEqual(['11:3', '7:18', '8:18']);
    expect(issues[0]?.message).toMatch(/'refnd' matches no registered process \(did you mean 'refund'\?\)/);
    expect(issues[1]?.message).toMatch(/has 'total' under 'domain' \(did you mean 'domain.totl'\?\)/);
    expect(issues[2]?.message).toMatch(/'ledger', which is neither a layer of the state nor in any registered process's contract/);
  });

  it('accepts a path another process declares, or the state holds', () => {
    const issues = recipeIssues(
      recipe,
      { processes: [proc('pay'), proc('refnd'), proc('book', [], [['ledger']])], state: { domain: { total: 5 } } },
      new Set(['pay']),
    );
    expect(issues).toEqual([]);
  });

  it('settles arguments against a closed args schema', () => {
    const pay = proc('pay', [], [], z.object({ amount: z.number() }));
    const issues = processIssues(recipe, pay);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 5, column: 18, path: 'process_recipes.pay.inputs[1].field' });
    expect(processIssues(recipe, proc('pay', [], [], z.looseObject({ amount: z.number() })))).toEqual([]);
  });
});
