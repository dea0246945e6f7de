import { describe, expect, it } from 'vitest';
import { sealValue } from '../context/value-model.js';
import { isRecord } from '../context/persistent-record.js';
import { parsePath } from '../context/paths.js';
import { workerState } from './worker-state.js';

const seal = (value: object): object => sealValue(value, { who: 'test', path: [], zone: 'DATA' }) as object;
const paths = (...list: string[]) => list.map((p) => parsePath(p, 'test'));

describe('workerState', () => {
  const accounts = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`a${String(i)}`, { balance: i, internal_pin: i }]));
  const root = seal({
    domain: { accounts, items: [1, 2, { x: 3 }], n: 5, internal_secret: 's', nested: { internal_key: 1, keep: 2 } },
    other: { big: 'not sent' },
  });

  it('sends the declared subtrees only, records as plain objects, PRIVATE keys left out', () => {
    const state = workerState(root, paths('domain.accounts', 'domain.nested')) as { domain: Record<string, unknown> };
    expect(Object.keys(state)).toEqual(['domain']);
    expect(Object.keys(state.domain)).toEqual(['accounts', 'nested']);
    expect(isRecord((root as { domain: { accounts: object } }).domain.accounts)).toBe(true);
    const sent = state.domain['accounts'] as Record<string, { balance: number }>;
    expect(isRecord(sent)).toBe(false);
    expect(Object.keys(sent)).toHaveLength(200);
    expect(sent['a7']).toEqual({ balance: 7 });
    expect(state.domain['nested']).toEqual({ keep: 2 });
    expect(() => structuredClone(state)).not.toThrow();
  });

  it('converts a record version once: a later run gets the same plain object', () => {
    const first = workerState(root, paths('domain.accounts')) as { domain: { accounts: object } };
    const second = workerState(root, paths('domain.accounts')) as { domain: { accounts: object } };
    expect(second.domain.accounts).toBe(first.domain.accounts);
  });

  it('sends a whole array for a path through it, a primitive met on the way, and the containers of absent paths', () => {
    expect(workerState(root, paths('domain.items.2.x'))).toEqual({ domain: { items: [1, 2, { x: 3 }] } });
    expect(workerState(root, paths('domain.n.deeper'))).toEqual({ domain: { n: 5 } });
    expect(workerState(root, paths('domain.absent.key'))).toEqual({ domain: {} });
    expect(workerState(root, paths('missing.key'))).toEqual({});
  });

  it('sends the whole state (without PRIVATE keys) when no paths are given', () => {
    const state = workerState(root, undefined) as { domain: Record<string, unknown>; other: unknown };
    expect(state.other).toEqual({ big: 'not sent' });
    expect('internal_secret' in state.domain).toBe(false);
  });

  it('keeps binaries as they are (shared memory stays shared)', () => {
    const field = new Float32Array(new SharedArrayBuffer(8));
    const withHeavy = sealValue({ heavy: { field } }, { who: 'test', path: [], zone: 'DATA' }) as object;
    expect((workerState(withHeavy, paths('heavy.field')) as { heavy: { field: unknown } }).heavy.field).toBe(field);
  });
});
