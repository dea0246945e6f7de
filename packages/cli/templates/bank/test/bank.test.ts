import { describe, expect, it } from 'vitest';
import { AuditBlockError, AuditStopError } from 'theus';
import { initialContext } from '../src/context.js';
import { createBank, projectFile } from '../src/engine.js';
import { InsufficientFunds, UnknownAccount } from '../src/errors.js';
import { withdraw } from '../src/processes/accounts.js';
import { transfer } from '../src/processes/transfers.js';

describe('transfers', () => {
  it('move money and write the ledger in one commit', async () => {
    const engine = createBank();
    expect(await engine.execute(transfer, { from: 'alice', to: 'bob', amount: 300 })).toBe(7700);
    expect(engine.state.domain.accounts).toEqual({ alice: 7700, bob: 800, carol: 0 });
    expect(engine.state.domain.log_ledger).toEqual([{ kind: 'transfer', from: 'alice', to: 'bob', amount: 300 }]);
    expect(engine.version).toBe(1);
  });

  it('refuse a transfer larger than the balance with the declared error', async () => {
    const engine = createBank();
    await expect(engine.execute(transfer, { from: 'bob', to: 'carol', amount: 900 })).rejects.toBeInstanceOf(InsufficientFunds);
    expect(engine.state.domain.accounts).toEqual(initialContext().domain.accounts);
    expect(engine.version).toBe(0);
  });

  it('roll back the debit when the receiver does not exist', async () => {
    const engine = createBank();
    const before = engine.state;
    await expect(engine.execute(transfer, { from: 'alice', to: 'dave', amount: 100 })).rejects.toBeInstanceOf(UnknownAccount);
    expect(engine.state).toBe(before);
    expect(engine.state.domain.accounts.alice).toBe(8000);
  });

  it('are blocked by the audit over the limit, before the process runs', async () => {
    const engine = createBank();
    await expect(engine.execute(transfer, { from: 'alice', to: 'bob', amount: 20000 })).rejects.toBeInstanceOf(AuditBlockError);
    await expect(engine.execute(transfer, { from: 'alice', to: 'bob', amount: 0 })).rejects.toBeInstanceOf(AuditBlockError);
    expect(engine.version).toBe(0);
    expect(engine.audit.logs().filter((entry) => !entry.ok && entry.field === 'amount')).toHaveLength(2);
  });

  it('raise the fraud signal for a large transfer, published once after its commit', async () => {
    const engine = createBank();
    const signals: [string, unknown][] = [];
    engine.on('signal', (event) => signals.push([event.topic, event.payload]));
    await engine.execute(transfer, { from: 'alice', to: 'bob', amount: 4999 });
    expect(signals).toEqual([]);
    await engine.execute(transfer, { from: 'alice', to: 'carol', amount: 3000 });
    await engine.execute(transfer, { from: 'bob', to: 'carol', amount: 5000 });
    expect(signals).toEqual([['fraud_suspected', { kind: 'transfer', from: 'bob', to: 'carol', amount: 5000 }]]);
  });
});

describe('the audit', () => {
  it('stops the bank when a withdrawal would leave the vault negative, until resume()', async () => {
    const context = initialContext();
    const engine = createBank({ ...context, domain: { ...context.domain, vault: 100 } });
    await expect(engine.execute(withdraw, { from: 'alice', amount: 500 })).rejects.toBeInstanceOf(AuditStopError);
    await expect(engine.execute(transfer, { from: 'alice', to: 'bob', amount: 1 })).rejects.toBeInstanceOf(AuditStopError);
    expect(engine.state.domain.vault).toBe(100);
    engine.resume();
    await expect(engine.execute(transfer, { from: 'alice', to: 'bob', amount: 1 })).resolves.toBe(7999);
  });
});

describe('the payday workflow', () => {
  it('runs every step and opens a review for the large transfer', async () => {
    const engine = createBank();
    const run = await engine.executeWorkflow(projectFile('workflows/payday.yaml'));
    expect(run.status).toBe('complete');
    expect(run.executed).toEqual(['deposit', 'transfer', 'transfer', 'open_review', 'withdraw']);
    expect(engine.state.domain.accounts).toEqual({ alice: 4100, bob: 1200, carol: 6000 });
    expect(engine.state.domain.vault).toBe(11300);
    expect(engine.state.domain.reviews).toEqual([
      { transfer: { kind: 'transfer', from: 'alice', to: 'carol', amount: 6000 }, status: 'open' },
    ]);
  });
});
