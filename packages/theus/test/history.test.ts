import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Engine, memoryStore, process, StoreError, toPlain, update, type Patch } from 'theus';
import { codeOf, thrown } from './attacks/expect-failure.js';

type Tree = Record<string | number, unknown>;

/** Applies patches to a mutable plain copy of `root` (arrays splice on add and remove). */
function replay(root: unknown, patches: readonly Patch[]): unknown {
  const copy = structuredClone(toPlain(root)) as Tree;
  for (const patch of patches) {
    let node = copy;
    for (const key of patch.path.slice(0, -1)) node = node[key] as Tree;
    const last = patch.path[patch.path.length - 1] as string | number;
    const value = patch.value === undefined ? undefined : structuredClone(toPlain(patch.value));
    if (Array.isArray(node) && typeof last === 'number') {
      if (patch.op === 'add') node.splice(last, 0, value);
      else if (patch.op === 'remove') node.splice(last, 1);
      else node[last] = value;
    } else if (patch.op === 'remove') delete node[last];
    else node[last] = value;
  }
  return copy;
}

const add = process(
  { name: 'add', inputs: ['domain.n'], outputs: ['domain.n'] },
  (ctx, { by }: { by: number }) => (ctx.domain.n as number) + by,
);
const note = process({ name: 'note', outputs: ['domain.note'] }, (_ctx, { text }: { text: string }) => text);

async function counted(commits: number, capacity?: number): Promise<Engine> {
  const engine = new Engine({
    context: { domain: { n: 0 } },
    processes: [add, note],
    ...(capacity === undefined ? {} : { store: memoryStore({ capacity }) }),
  });
  for (let i = 1; i <= commits; i++) {
    if (i % 3 === 0) await engine.execute(note, { text: `note ${i}` });
    else await engine.execute(add, { by: i });
  }
  return engine;
}

describe('engine.history(query)', () => {
  it('selects versions from..to (inclusive), one process, and the newest `limit`, oldest first', async () => {
    const engine = await counted(9);
    const versions = (query?: Parameters<Engine['history']>[0]): number[] => engine.history(query).map((entry) => entry.version);
    expect(versions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(versions({ from: 3, to: 5 })).toEqual([3, 4, 5]);
    expect(versions({ process: 'note' })).toEqual([3, 6, 9]);
    expect(versions({ limit: 2 })).toEqual([8, 9]);
    expect(versions({ process: 'add', from: 2, limit: 3 })).toEqual([5, 7, 8]);
    expect(versions({ from: 20 })).toEqual([]);
    expect(versions({ limit: 0 })).toEqual([]);
    expect(Object.isFrozen(engine.history({ limit: 1 }))).toBe(true);
  });

  it.each([
    ['a string', 'latest'],
    ['an array', [1]],
    ['an unknown field', { form: 1 }],
    ['a negative version', { from: -1 }],
    ['a fractional limit', { limit: 1.5 }],
    ['NaN', { to: Number.NaN }],
    ['a process that is not a name', { process: 7 }],
  ])('refuses %s with CONTRACT_BAD_ARGS', async (_, query) => {
    const engine = await counted(2);
    expect(thrown(() => engine.history(query as never))).toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
  });
});

describe('engine.stateAt(version)', () => {
  it('returns the committed state of every retained version, the initial one included', async () => {
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [add] });
    const states = [engine.state];
    for (let i = 1; i <= 5; i++) {
      await engine.execute(add, { by: i });
      states.push(engine.state);
    }
    for (let v = 0; v <= 5; v++) expect(await engine.stateAt(v)).toBe(states[v]);
  });

  it('reaches back as far as the memory store keeps commits, and says so past that', async () => {
    const engine = await counted(6, 3);
    expect(engine.history().map((entry) => entry.version)).toEqual([4, 5, 6]);
    expect(((await engine.stateAt(3)) as { domain: { n: number } }).domain.n).toBe(3);
    const error = await engine.stateAt(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_VERSION_UNAVAILABLE', details: { version: 2, store: 'memory' } });
    expect((error as Error).message).toMatch(/holds versions 3\.\.6/);
    for (const bad of [7, -1, 1.5, Number.NaN, '3']) {
      expect(await codeOf(engine.stateAt(bad as number))).toBe('STORE_VERSION_UNAVAILABLE');
    }
  });

  it('a training-mode engine keeps no versions', async () => {
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [add], transactional: false });
    await engine.execute(add, { by: 1 });
    await expect(engine.stateAt(0)).rejects.toThrow(/training-mode engine keeps no versions/);
  });
});

/** One random change: which process and its argument. */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), by: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ kind: fc.constant('push' as const), item: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('pop' as const) }),
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 99 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('drop' as const), key: fc.integer({ min: 0, max: 99 }) }),
  fc.record({ kind: fc.constant('spread' as const), key: fc.integer({ min: 0, max: 99 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('signal' as const), payload: fc.integer() }),
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

const mutate = process({ name: 'mutate', inputs: ['domain'], outputs: ['domain', 'signal.tick'] }, (ctx, step: Step): unknown => {
  const domain = ctx.domain as { n: number; list: string[]; map: Record<string, number> };
  switch (step.kind) {
    case 'count':
      domain.n += step.by;
      return undefined;
    case 'push':
      domain.list.push(step.item);
      return undefined;
    case 'pop':
      domain.list.pop();
      return undefined;
    case 'set':
      domain.map[`k${step.key}`] = step.value;
      return undefined;
    case 'drop':
      delete domain.map[`k${step.key}`];
      return undefined;
    case 'spread':
      return update({ 'domain.map': { ...domain.map, [`k${step.key}`]: step.value } });
    case 'signal':
      ctx.signal('tick', step.payload);
      return undefined;
  }
});

describe('replaying the log', () => {
  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 60 })], { numRuns: 30 })(
    'from version 0 reproduces every stored state exactly (a record of 100 keys, a list, signals)',
    async (steps) => {
      const map = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
      const engine = new Engine({ context: { domain: { n: 0, list: ['a'], map } }, processes: [mutate] });
      for (const step of steps) await engine.execute(mutate, step);
      const start = await engine.stateAt(0);
      let state: unknown = toPlain(start);
      for (const entry of engine.history()) {
        state = replay(state, entry.patches);
        expect(state).toEqual(toPlain(await engine.stateAt(entry.version)));
        // Key order too: a record replayed must list its keys as the committed one does.
        const replayedKeys = Object.keys((state as { domain: { map: object } }).domain.map);
        expect(replayedKeys).toEqual(Object.keys((toPlain(await engine.stateAt(entry.version)) as { domain: { map: object } }).domain.map));
      }
      expect(state).toEqual(toPlain(engine.state));
    },
  );
});
