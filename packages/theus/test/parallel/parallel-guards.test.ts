/**
 * The same guards in a worker as on the main thread, and a main thread that does not trust what
 * a worker sends back: a reply forged by a process that tampered with its worker is refused.
 */
import { describe, expect, it } from 'vitest';
import { ContractViolationError, TheusError } from 'theus';
import { pureWrite, readUndeclared, writeInput } from './fixtures/processes.js';
import { tamper, type Forgery } from './fixtures/tampering.js';
import { resolveTheusLikeThisProject, workerEngines } from './workers.js';

resolveTheusLikeThisProject();

const engineWith = workerEngines();

describe('guards in the worker', () => {
  it('an undeclared read throws CONTRACT_ILLEGAL_READ, as on the main thread', async () => {
    const engine = engineWith({ context: { domain: { a: 1, b: 2 } }, processes: [readUndeclared] });
    const error = await engine.execute(readUndeclared).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code: 'CONTRACT_ILLEGAL_READ', details: { process: 'readUndeclared', path: 'domain.b' } });
  });

  it('a write to an input-only path throws CONTRACT_ILLEGAL_WRITE; state unchanged', async () => {
    const engine = engineWith({ context: { domain: { a: 1 } }, processes: [writeInput] });
    const error = await engine.execute(writeInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code: 'CONTRACT_ILLEGAL_WRITE', details: { process: 'writeInput' } });
    expect(engine.state).toEqual({ domain: { a: 1 } });
    expect(engine.version).toBe(0);
  });

  it('a pure process that writes throws CONTRACT_PURE_WRITE', async () => {
    const engine = engineWith({ context: { domain: { a: 1 } }, processes: [pureWrite] });
    await expect(engine.execute(pureWrite)).rejects.toMatchObject({ code: 'CONTRACT_PURE_WRITE' });
  });
});

describe('a reply forged in the worker', () => {
  const context = () => ({
    domain: { a: 1, const_rate: 5, internal_key: 'secret', secret: 'safe' },
    heavy: { field: new Float32Array(new SharedArrayBuffer(16)) },
  });

  it.each<[Forgery, string, string]>([
    ['undeclared', 'CONTRACT_ILLEGAL_WRITE', 'domain.secret'],
    ['input', 'CONTRACT_ILLEGAL_WRITE', 'domain.a'],
    ['private', 'CONTRACT_ILLEGAL_WRITE', 'domain.internal_key'],
    ['constant', 'CONTRACT_ILLEGAL_WRITE', 'domain.const_rate'],
    ['protoKey', 'CONTRACT_ILLEGAL_WRITE', 'domain.__proto__'],
  ])('a patch of %s is refused by the main thread (%s at %s); nothing commits', async (forge, code, path) => {
    const engine = engineWith({ context: context(), processes: [tamper] });
    const error = await engine.execute(tamper, { forge }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code, details: { process: 'tamper', path } });
    expect(engine.version).toBe(0);
    expect(engine.state.domain).toEqual({ a: 1, const_rate: 5, internal_key: 'secret', secret: 'safe' });
  });

  it.each<[Forgery, string]>([
    ['heavy', 'not an object of the state'],
    ['proto', 'not an object of the state'],
    ['shape', 'is not { op, path, value }'],
  ])('a malformed patch (%s) is refused with POOL_BAD_REPLY', async (forge, message) => {
    const shared = context();
    const engine = engineWith({ context: shared, processes: [tamper] });
    const error = await engine.execute(tamper, { forge }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TheusError);
    expect(error).toMatchObject({ code: 'POOL_BAD_REPLY', details: { process: 'tamper' } });
    expect((error as Error).message).toContain(message);
    expect(engine.version).toBe(0);
    expect(shared.heavy.field[0]).toBe(0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('the same run commits when the process does not tamper', async () => {
    const { tamperFree } = await import('./fixtures/tamper-free.js');
    const engine = engineWith({ context: context(), processes: [tamperFree] });
    await engine.execute(tamperFree);
    expect(engine.state.domain).toMatchObject({ ok: true });
  });
});
