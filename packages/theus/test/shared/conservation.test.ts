/**
 * Three engines in one process on one PostgreSQL schema, every run contending: transfers among
 * four accounts from three writers per engine, with the engine's default conflict policy. Money
 * is conserved, every engine ends with the state a fresh engine replays, and no run gives up: a
 * run that keeps losing to other engines' commits queues for the turn across nodes. Runs whose
 * commits wait while another engine's run holds the turn, and commits queued behind a refused
 * one, are where lost updates would hide (both were found here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, process } from 'theus';
import { postgresStore } from 'theus/store/postgres';
import { dropSchema, NEEDS_PG, PG_URL, pgAvailable, uniqueSchema } from '../store/postgres/pg-test-db.js';

const available = await pgAvailable();

interface Bank {
  domain: { accounts: Record<string, number> };
}
const ACCOUNTS = ['a', 'b', 'c', 'd'];
const OPENING = 100;

const transfer = process(
  { name: 'transfer', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx, { from, to, amount }: { from: string; to: string; amount: number }) => {
    const balance = ctx.domain.accounts[from] ?? 0;
    if (balance < amount) throw new RangeError(`account ${from} holds ${String(balance)}, less than ${String(amount)}`);
    ctx.domain.accounts[from] = balance - amount;
    ctx.domain.accounts[to] = (ctx.domain.accounts[to] ?? 0) + amount;
  },
);

const engines: Engine<Bank>[] = [];
let schema = '';
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await dropSchema(schema);
});

describe.skipIf(!available)(`contended transfers on three engines ${NEEDS_PG}`, () => {
  it('conserve money, lose no update and give up no run under the default conflict policy', { timeout: 120_000 }, async () => {
    schema = uniqueSchema();
    const context = { domain: { accounts: Object.fromEntries(ACCOUNTS.map((account) => [account, OPENING])) } };
    for (let i = 0; i < 3; i++) {
      engines.push(await Engine.open<Bank>({ context, processes: [transfer], store: postgresStore({ url: PG_URL, schema }) }));
    }
    const failures: unknown[] = [];
    let committed = 0;
    await Promise.all(
      engines.flatMap((engine, n) =>
        Array.from({ length: 3 }, async (_, writer) => {
          for (let i = 0; i < 40; i++) {
            const from = ACCOUNTS[(n + writer + i) % 4] as string;
            const to = ACCOUNTS[(n + 2 * writer + i + 1) % 4] as string;
            if (from === to) continue;
            try {
              await engine.execute(transfer, { from, to, amount: 1 + ((i * 7 + n) % 13) });
              committed++;
            } catch (error) {
              if (!(error instanceof RangeError)) failures.push(error);
            }
          }
        }),
      ),
    );
    expect(failures).toEqual([]);
    const fresh = await Engine.open<Bank>({ context: { domain: { accounts: {} } }, store: postgresStore({ url: PG_URL, schema }) });
    engines.push(fresh);
    expect(fresh.version).toBe(committed);
    expect(Object.values(fresh.state.domain.accounts).reduce((sum, balance) => sum + balance, 0)).toBe(ACCOUNTS.length * OPENING);
    for (const engine of engines) {
      for (let i = 0; i < 500 && engine.version < fresh.version; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(engine.state).toEqual(fresh.state);
    }
  });
});
