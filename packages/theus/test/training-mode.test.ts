import { describe, expect, it } from 'vitest';
import { Engine, process, update } from 'theus';
import { codeOf } from './attacks/expect-failure.js';

const context = (): { domain: { n: number; user: { name: string } }; global: { rate: number } } => ({
  domain: { n: 0, user: { name: 'ann' } },
  global: { rate: 2 },
});

describe('training mode (transactional: false)', () => {
  it('reuses one view per contract across runs and keeps the contract', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const add = process({ name: 'add', inputs: ['domain.n', 'global.rate'], outputs: ['domain.n'] }, (ctx) => {
      ctx.domain.n = (ctx.domain.n as number) + (ctx.global.rate as number);
    });
    for (let i = 0; i < 5; i++) await engine.execute(add);
    expect(engine.state.domain.n).toBe(10);
    expect(engine.version).toBe(5);
  });

  it('gives every run its own ctx.local', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const seen: unknown[] = [];
    const scratch = process({ name: 'scratch', inputs: ['domain.n'] }, (ctx) => {
      const local = ctx.local as Record<string, unknown>;
      seen.push(local['mark']);
      local['mark'] = 'from an earlier run';
    });
    await engine.execute(scratch);
    await engine.execute(scratch);
    expect(seen).toEqual([undefined, undefined]);
  });

  it('refuses undeclared reads, input-only writes and new keys on ctx with contract errors', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const reads = process({ name: 'reads', inputs: ['domain.n'] }, (ctx) => (ctx as unknown as Record<string, unknown>)['global']);
    const writesInput = process({ name: 'writesInput', inputs: ['domain.n'] }, (ctx) => {
      ctx.domain.n = 5;
    });
    const addsKey = process({ name: 'addsKey', inputs: ['domain.n'] }, (ctx) => {
      (ctx as unknown as Record<string, unknown>)['extra'] = 1;
    });
    expect(await codeOf(engine.execute(reads))).toBe('CONTRACT_ILLEGAL_READ');
    expect(await codeOf(engine.execute(writesInput))).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(await codeOf(engine.execute(addsKey))).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(engine.state.domain.n).toBe(0);
  });

  it('maps returned values, update() and signals onto the live state, sync or async', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const returns = process({ name: 'returns', inputs: ['domain.n'], outputs: ['domain.n'] }, async (ctx) => {
      await Promise.resolve();
      return (ctx.domain.n as number) + 1;
    });
    const updates = process({ name: 'updates', outputs: ['domain.user.name', 'signal.renamed'] }, () =>
      update({ 'domain.user.name': 'bob' }, { signals: { renamed: true }, result: 'ok' }),
    );
    expect(await engine.execute(returns)).toBe(1);
    expect(await engine.execute(updates)).toBe('ok');
    expect(engine.state.domain).toEqual({ n: 1, user: { name: 'bob' } });
    expect((engine.state as Record<string, unknown>)['signal']).toEqual({ renamed: true });
  });

  it('checks topics and drops log and outbox entries (there is no commit to carry them)', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const emits = process({ name: 'emits', outputs: ['signal.done'] }, (ctx) => {
      ctx.log('kept nowhere');
      ctx.outbox.add('orders', { id: 1 });
      ctx.signal('done', 1);
    });
    const badTopic = process({ name: 'badTopic', outputs: ['signal.done'] }, (ctx) => ctx.outbox.add('__proto__', 1));
    await engine.execute(emits);
    expect((engine.state as Record<string, unknown>)['signal']).toEqual({ done: 1 });
    expect(await codeOf(engine.execute(badTopic))).toMatch(/^CONTRACT_/);
  });

  it('translates thrown errors and leaves what the run wrote (no rollback)', async () => {
    const engine = new Engine({ context: context(), transactional: false });
    const fails = process({ name: 'fails', outputs: ['domain.n'], errors: ['RangeError'] }, (ctx) => {
      ctx.domain.n = 7;
      throw new TypeError('boom');
    });
    expect(await codeOf(engine.execute(fails))).toBe('CONTRACT_UNDECLARED_ERROR');
    expect(engine.state.domain.n).toBe(7);
  });
});
