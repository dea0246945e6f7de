import { describe, expect, it } from 'vitest';
import { AuditBlockError, ConflictError, ContractViolationError, StoreError, TheusError } from '../errors/index.js';
import { decodeError, encodeError } from './error-codec.js';

/** An error sent through a structured clone, as a worker sends it. */
const roundTrip = (error: unknown): unknown => decodeError(structuredClone(encodeError(error)));

describe('the error codec', () => {
  it.each([
    new ContractViolationError('CONTRACT_ILLEGAL_WRITE', 'no', { details: { process: 'p', path: 'a.b' } }),
    new AuditBlockError('AUDIT_BLOCK', 'blocked', { details: { failures: [{ rule: 'r' }] } }),
    new StoreError('STORE_CORRUPT', 'broken'),
    new TheusError('POOL_WORKER_FAILED', 'gone'),
  ])('rebuilds $name with its class, code, details, message and stack', (error) => {
    const rebuilt = roundTrip(error) as TheusError;
    expect(rebuilt).toBeInstanceOf(error.constructor);
    expect(rebuilt).toBeInstanceOf(TheusError);
    expect(rebuilt).toMatchObject({ name: error.name, code: error.code, message: error.message, details: error.details });
    expect(rebuilt.stack).toBe(error.stack);
  });

  it('rebuilds built-in classes and causes, recursively', () => {
    const error = new TypeError('outer', { cause: new ConflictError('TX_CONFLICT', 'inner', { cause: new RangeError('deepest') }) });
    const rebuilt = roundTrip(error) as Error;
    expect(rebuilt).toBeInstanceOf(TypeError);
    expect(rebuilt.cause).toBeInstanceOf(ConflictError);
    expect((rebuilt.cause as Error).cause).toBeInstanceOf(RangeError);
  });

  it('keeps the name and code of a user error class, rebuilt on its nearest built-in class', () => {
    class Declined extends RangeError {
      override name = 'Declined';
      code = 'E_DECLINED';
    }
    const rebuilt = roundTrip(new Declined('no money')) as Error & { code: string };
    expect(rebuilt).toBeInstanceOf(RangeError);
    expect(rebuilt).toMatchObject({ name: 'Declined', code: 'E_DECLINED', message: 'no money' });
  });

  it('does not rebuild a Theus class for an error whose code is not a Theus code', () => {
    class ConflictErrorLookalike extends Error {
      override name = 'ConflictError';
      code = 'NOT_A_CODE';
    }
    Object.defineProperty(ConflictErrorLookalike, 'name', { value: 'ConflictError' });
    const rebuilt = roundTrip(new ConflictErrorLookalike('x'));
    expect(rebuilt).not.toBeInstanceOf(TheusError);
    expect(rebuilt).toMatchObject({ name: 'ConflictError', code: 'NOT_A_CODE' });
  });

  it('bounds a cycle of causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let depth = 0;
    for (let error = roundTrip(a) as Error | undefined; error !== undefined; error = error.cause as Error | undefined) depth++;
    expect(depth).toBeLessThanOrEqual(9);
  });

  it('passes thrown values that are not errors: cloned when they can be, as text otherwise', () => {
    expect(roundTrip('text')).toBe('text');
    expect(roundTrip({ a: 1 })).toEqual({ a: 1 });
    expect(roundTrip(Symbol('s'))).toBe('Symbol(s)');
  });
});
