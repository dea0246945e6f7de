import { describe, expect, it } from 'vitest';
import { Engine, process, update } from 'theus';
import { codeOf, failure } from './expect-failure.js';

const context = () => ({
  domain: {
    const_rate: 0.5,
    internal_key: 'k',
    log_events: [{ at: 1, what: 'boot' }],
    data: { name: 'x' },
    nested: { deeper: { const_limit: 3, internal_role: 'user', audit_trail: ['a'] } },
  },
  log: { events: ['e1'] },
  journal: { log_items: ['j1'], count: 0 },
});

async function expectZone(engine: Engine, p: unknown, path: string): Promise<void> {
  const error = await failure(engine.execute(p as never));
  expect(error.code).toBe('CONTRACT_ZONE');
  expect(error.message).toContain(path);
  expect(engine.version).toBe(0);
  expect(engine.state).toEqual(context());
}

describe('attack: replacing or creating a subtree cannot break zone rules', () => {
  it('returning a whole layer cannot overwrite CONST, replace PRIVATE or truncate LOG', async () => {
    const engine = new Engine({ context: context() });
    const base = { ...context().domain };
    const cases: [string, Record<string, unknown>, string][] = [
      ['const', { ...base, const_rate: 999 }, 'domain.const_rate'],
      ['private', { ...base, internal_key: 'mine' }, 'domain.internal_key'],
      ['private-drop', Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'internal_key')), 'domain.internal_key'],
      ['log', { ...base, log_events: [] }, 'domain.log_events'],
      ['const-deep', { ...base, nested: { deeper: { ...base.nested.deeper, const_limit: 4 } } }, 'domain.nested.deeper.const_limit'],
      ['private-deep', { ...base, nested: { deeper: { ...base.nested.deeper, internal_role: 'admin' } } }, 'internal_role'],
      ['log-deep', { ...base, nested: { deeper: { ...base.nested.deeper, audit_trail: ['b'] } } }, 'audit_trail'],
      ['drop-subtree', { ...base, nested: {} }, 'domain.nested.deeper'],
    ];
    for (const [name, value, path] of cases) {
      await expectZone(
        engine,
        process({ name: `return-${name}`, outputs: ['domain'] }, () => value),
        path,
      );
      await expectZone(
        engine,
        process({ name: `update-${name}`, outputs: ['domain'] }, () => update({ domain: value })),
        path,
      );
    }
  });

  it('a shadow write of a new object cannot forge PRIVATE, CONST or LOG fields', async () => {
    const engine = new Engine({ context: context() });
    const forgeries: [string, (d: Record<string, unknown>) => void][] = [
      ['private', (d) => void (d.data = { internal_role: 'admin' })],
      ['const', (d) => void (d.data = { const_limit: 1 })],
      ['nested-private', (d) => void ((d.data as Record<string, unknown>).extra = { a: { internal_x: 1 } })],
      ['replace-nested', (d) => void (d.nested = { deeper: { const_limit: 3, internal_role: 'admin', audit_trail: ['a'] } })],
    ];
    for (const [name, forge] of forgeries) {
      const p = process({ name, outputs: ['domain.data', 'domain.nested'] }, (ctx) => forge(ctx.domain as never));
      expect(await codeOf(engine.execute(p))).toBe('CONTRACT_ZONE');
    }
    expect(engine.state).toEqual(context());
  });

  it('existing LOG entries are immutable at every depth', async () => {
    const engine = new Engine({ context: context() });
    const edits: [string, (d: { log_events: Record<string, unknown>[] }) => void][] = [
      ['add-key', (d) => void ((d.log_events[0] as Record<string, unknown>).extra = 1)],
      ['change', (d) => void ((d.log_events[0] as Record<string, unknown>).what = 'x')],
      ['delete-key', (d) => void delete (d.log_events[0] as Record<string, unknown>).what],
      ['overwrite', (d) => void (d.log_events[0] = { at: 0 })],
      ['unshift', (d) => void d.log_events.unshift({ at: 0 })],
      ['pop', (d) => void d.log_events.pop()],
      ['truncate', (d) => void (d.log_events.length = 0)],
      ['delete-list', (d) => void delete (d as Record<string, unknown>).log_events],
      ['replace-list', (d) => void (d.log_events = [{ at: 2 }])],
    ];
    for (const [name, edit] of edits) {
      const p = process({ name, outputs: ['domain'] }, (ctx) => edit(ctx.domain as never));
      expect(await codeOf(engine.execute(p)), name).toBe('CONTRACT_ZONE');
    }
    const layer = process({ name: 'layer', outputs: ['log'] }, (ctx) => {
      (ctx.log.events as unknown as string[])[0] = 'forged';
    });
    expect(await codeOf(engine.execute(layer))).toBe('CONTRACT_ZONE');
    expect(engine.state).toEqual(context());
  });

  it('appending to a LOG list is accepted in every style: push, returned [...old, entry], the unchanged list', async () => {
    const engine = new Engine({ context: context() });
    const push = process({ name: 'push', outputs: ['domain.log_events'] }, (ctx) => {
      ctx.domain.log_events.push({ at: 2, what: 'push' });
    });
    const spread = process({ name: 'spread', inputs: ['domain.log_events'], outputs: ['domain.log_events'] }, (ctx) => [
      ...ctx.domain.log_events,
      { at: 3, what: 'spread' },
    ]);
    const same = process({ name: 'same', inputs: ['domain.log_events'], outputs: ['domain.log_events'] }, (ctx) => [
      ...ctx.domain.log_events,
    ]);
    const whole = process({ name: 'whole', inputs: ['journal'], outputs: ['journal'] }, (ctx) => ({
      ...ctx.journal,
      count: 1,
      log_items: [...ctx.journal.log_items, 'j2'],
    }));
    const layer = process({ name: 'layer', outputs: ['log'] }, (ctx) => {
      (ctx.log.events as unknown as string[]).push('e2');
    });
    for (const p of [push, spread, same, whole, layer]) await engine.execute(p as never);
    expect(engine.state.domain.log_events.map((e) => e.at)).toEqual([1, 2, 3]);
    expect(engine.state.journal).toEqual({ log_items: ['j1', 'j2'], count: 1 });
    expect(engine.state.log.events).toEqual(['e1', 'e2']);
  });

  it('a process cannot drop PRIVATE fields it cannot see by returning a spread of their parent', async () => {
    const engine = new Engine({ context: context() });
    const spread = process({ name: 'spread', inputs: ['domain'], outputs: ['domain'] }, (ctx) => ({ ...ctx.domain, data: { name: 'y' } }));
    const error = await failure(engine.execute(spread));
    expect(error.code).toBe('CONTRACT_ZONE');
    expect(error.message).toContain('domain.internal_key');
    expect(engine.state).toEqual(context());
  });

  it('a process cannot delete a PRIVATE or CONST field by deleting or replacing its parent', async () => {
    const engine = new Engine({ context: context() });
    const del = process({ name: 'del', outputs: ['domain.nested'] }, (ctx) => {
      delete (ctx.domain as Record<string, unknown>).nested;
    });
    expect(await codeOf(engine.execute(del))).toBe('CONTRACT_ZONE');
    const cas = engine.compareAndSwap(0, { data: { 'domain.nested': { deeper: {} } } });
    // Admin edits may rewrite PRIVATE data, but never existing CONST values.
    expect((await failure(cas)).code).toBe('CONTRACT_ZONE');
    expect(engine.state).toEqual(context());
  });

  it('zone rules hold inside large records (persistent maps) too', async () => {
    const wide: Record<string, unknown> = { const_rate: 1, internal_pin: 'p', log_items: ['a'] };
    for (let i = 0; i < 100; i++) wide[`k${i}`] = i;
    const engine = new Engine({ context: { big: wide } });
    const attempts: [string, (big: Record<string, unknown>) => Record<string, unknown>][] = [
      ['const', (big) => ({ ...big, const_rate: 2 })],
      ['private-drop', (big) => ({ ...big, k0: -1 })],
      ['log', (big) => ({ ...big, log_items: [] })],
    ];
    for (const [name, change] of attempts) {
      const p = process({ name, inputs: ['big'], outputs: ['big'] }, (ctx) => change(ctx.big as Record<string, unknown>));
      expect(await codeOf(engine.execute(p)), name).toBe('CONTRACT_ZONE');
    }
    const ok = process({ name: 'ok', outputs: ['big.k1', 'big.log_items'] }, (ctx) => {
      (ctx.big as Record<string, unknown>).k1 = 10;
      (ctx.big as { log_items: string[] }).log_items.push('b');
    });
    await engine.execute(ok);
    expect((engine.state.big as Record<string, unknown>).k1).toBe(10);
    expect((engine.state.big as Record<string, unknown>).const_rate).toBe(1);
  });

  it('admin edits still manage PRIVATE data and create CONST values', async () => {
    const engine = new Engine({ context: context() });
    await engine.edit((draft) => {
      (draft.domain as Record<string, unknown>).internal_key = 'rotated';
      (draft.domain as Record<string, unknown>).const_new = 1;
    });
    expect(engine.state.domain.internal_key).toBe('rotated');
    await expect(engine.edit((draft) => void ((draft.domain as Record<string, unknown>).const_new = 2))).rejects.toThrow(/CONST/);
  });
});
