import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Engine, process, type Patch } from 'theus';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const transfer = process(
  { name: 'transfer', inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  async (ctx, args: { from: string; to: string; amount: number; delay: number }) => {
    const accounts = ctx.domain.accounts as Record<string, number>;
    const balance = accounts[args.from] ?? 0;
    if (args.delay > 0) await tick(args.delay);
    if (balance < args.amount) return;
    accounts[args.from] = balance - args.amount;
    accounts[args.to] = (accounts[args.to] ?? 0) + args.amount;
  },
);

const names = ['a', 'b', 'c', 'd'];
const transferArb = fc.record({
  from: fc.constantFrom(...names),
  to: fc.constantFrom(...names),
  amount: fc.integer({ min: 1, max: 60 }),
  delay: fc.integer({ min: 0, max: 2 }),
});

function applyPatchesTo(root: unknown, patches: readonly Patch[]): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  for (const patch of patches) {
    let node = copy as Record<string | number, unknown>;
    for (const key of patch.path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = patch.path[patch.path.length - 1] as string | number;
    if (Array.isArray(node) && typeof last === 'number') {
      if (patch.op === 'add') node.splice(last, 0, patch.value);
      else if (patch.op === 'remove') node.splice(last, 1);
      else node[last] = patch.value;
    } else if (patch.op === 'remove') delete node[last];
    else node[last] = patch.value;
  }
  return copy;
}

describe('kernel invariants', () => {
  test.prop([fc.array(transferArb, { minLength: 1, maxLength: 12 })], { numRuns: 25 })(
    'random interleavings of async transfers conserve money and match a serial order',
    async (transfers) => {
      const engine = new Engine({
        context: { domain: { accounts: { a: 100, b: 100, c: 100, d: 100 } } },
        conflict: { maxRetries: 100, baseDelayMs: 0.1, maxDelayMs: 1 },
      });
      const order: number[] = [];
      engine.on('commit', (e) => order.push(e.version));
      await Promise.all(transfers.map((t) => engine.execute(transfer, t)));
      const balances = engine.state.domain.accounts as Record<string, number>;
      expect(Object.values(balances).reduce((s, v) => s + v, 0)).toBe(400);
      expect(Object.values(balances).every((v) => v >= 0)).toBe(true);
      expect(order).toEqual(order.map((_, i) => i + 1));
    },
  );

  test.prop([fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 5 }), fc.integer()], { numRuns: 50 })(
    'a failing run restores exactly the previous state and version',
    async (items, n) => {
      const engine = new Engine({ context: { domain: { items: [1, 2], n: 0, nested: { x: 'y' } } } });
      const before = engine.state;
      const failing = process({ name: 'failing', outputs: ['domain'] }, (ctx) => {
        ctx.domain.items.push(...items);
        ctx.domain.n = n;
        ctx.domain.nested.x = 'z';
        delete ctx.domain.nested;
        throw new Error('rollback');
      });
      await expect(engine.execute(failing)).rejects.toThrow('rollback');
      expect(engine.state).toBe(before);
      expect(engine.state).toEqual({ domain: { items: [1, 2], n: 0, nested: { x: 'y' } } });
      expect(engine.version).toBe(0);
    },
  );

  // The value model rejects '__proto__' keys (tested in guards.test.ts); keep them out of this property.
  const jsonValue = fc.jsonValue({ maxDepth: 2 }).filter((value) => !JSON.stringify(value).includes('"__proto__"'));
  test.prop(
    [
      fc.dictionary(fc.constantFrom('p', 'q', 'r'), jsonValue),
      fc.array(fc.tuple(fc.constantFrom('p', 'q', 'r', 's'), fc.option(jsonValue, { nil: undefined })), { maxLength: 6 }),
    ],
    { numRuns: 100 },
  )('patches turn the old state into the new one, and inverse patches turn it back', async (initial, writes) => {
    const engine = new Engine({ context: { domain: { bag: initial, list: [1, 2, 3] } } });
    const before = engine.state;
    let patches: readonly Patch[] = [];
    let inverse: readonly Patch[] = [];
    engine.on('commit', (e) => {
      patches = e.patches;
      inverse = e.inversePatches;
    });
    const writer = process({ name: 'writer', outputs: ['domain'] }, (ctx) => {
      for (const [key, value] of writes) {
        if (value === undefined) delete ctx.domain.bag[key];
        else ctx.domain.bag[key] = value;
      }
      ctx.domain.list.splice(1, 1, 'x', 'y');
    });
    await engine.execute(writer);
    const after = engine.state;
    expect(applyPatchesTo(before, patches)).toEqual(after);
    expect(applyPatchesTo(after, inverse)).toEqual(before);
  });
});
