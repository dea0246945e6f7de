import { describe, expect, it } from 'vitest';
import { ContractViolationError, Engine, process } from 'theus';
import { codeOf, failure } from './expect-failure.js';

const context = () => ({ domain: { counter: 1, user: { name: 'Ada' }, other: 2, items: [1] }, global: { flag: false } });

/** The shape the attacks below see: every layer an open record. */
interface Ctx {
  domain: Record<string, unknown>;
  global: Record<string, unknown>;
}

describe('attack: a process cannot escape its contract through the ctx view', () => {
  it('delete of a declared output path really deletes it', async () => {
    const engine = new Engine({ context: context() });
    const del = process({ name: 'del', outputs: ['domain.counter'] }, (ctx) => {
      delete (ctx.domain as Record<string, unknown>).counter;
    });
    await engine.execute(del);
    expect('counter' in engine.state.domain).toBe(false);
    expect(engine.version).toBe(1);
  });

  it('deleting or defining an undeclared or input-only key fails with the path, through every API', async () => {
    const engine = new Engine({ context: context() });
    const attempts: [string, (domain: Record<string, unknown>) => unknown][] = [
      ['delete undeclared', (d) => delete d.other],
      ['Reflect.deleteProperty undeclared', (d) => Reflect.deleteProperty(d, 'other')],
      ['delete input-only', (d) => delete d.user],
      ['Reflect.deleteProperty input-only', (d) => Reflect.deleteProperty(d, 'user')],
      ['Reflect.set undeclared', (d) => Reflect.set(d, 'other', 5)],
      ['Object.defineProperty', (d) => Object.defineProperty(d, 'counter', { value: 5 })],
      ['Reflect.defineProperty', (d) => Reflect.defineProperty(d, 'other', { value: 5 })],
      ['Object.assign', (d) => Object.assign(d, { other: 5 })],
      ['setPrototypeOf', (d) => Object.setPrototypeOf(d, { other: 5 })],
      ['__proto__ write', (d) => (d.__proto__ = { other: 5 })],
    ];
    for (const [name, attempt] of attempts) {
      const p = process(
        { name, inputs: ['domain.user'], outputs: ['domain.counter'] },
        (ctx) => void attempt(ctx.domain as Record<string, unknown>),
      );
      const error = await failure(engine.execute(p));
      expect(error, name).toBeInstanceOf(ContractViolationError);
      expect(error.code, name).toBe('CONTRACT_ILLEGAL_WRITE');
      expect(error.message, name).toMatch(/'domain(\.\w+)?'/);
    }
    expect(engine.version).toBe(0);
    expect(engine.state).toEqual(context());
  });

  it('writing an input-only path names the path and the fix, not the native message', async () => {
    const engine = new Engine({ context: context() });
    const direct = process(
      { name: 'direct', inputs: ['domain.counter'] },
      (ctx) => void ((ctx.domain as Record<string, unknown>).counter = 5),
    );
    const error = await failure(engine.execute(direct));
    expect(error.code).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(error.message).toContain("'domain.counter'");
    expect(error.message).toContain('outputs');
    expect(error.message).not.toContain('[object Object]');
    const deeper = process(
      { name: 'deeper', inputs: ['domain.user'] },
      (ctx) => void ((ctx.domain.user as Record<string, unknown>).name = 'x'),
    );
    const deep = await failure(engine.execute(deeper));
    expect(deep.code).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(deep.message).toContain("'name'");
    expect(deep.message).toContain('outputs');
  });

  it('a run that caught its own contract violation still fails, whatever it returns', async () => {
    const engine = new Engine({ context: context() });
    const swallow = (attempt: (ctx: Ctx) => unknown) =>
      process({ name: `swallow${String(Math.random()).slice(2, 8)}`, inputs: ['domain.user'], outputs: ['domain.counter'] }, (ctx) => {
        try {
          attempt(ctx as never);
        } catch {
          // ignored on purpose: the attack
        }
        (ctx.domain as Record<string, unknown>).counter = 99;
        return 'ok';
      });
    const attacks = [
      (ctx: Ctx) => (ctx.domain.other = 1),
      (ctx: Ctx) => ctx.domain.other,
      (ctx: Ctx) => ctx.global,
      (ctx: Ctx) => delete ctx.domain.other,
      (ctx: Ctx) => (ctx.domain.user = {}),
    ];
    for (const attack of attacks) {
      expect(['CONTRACT_ILLEGAL_WRITE', 'CONTRACT_ILLEGAL_READ']).toContain(await codeOf(engine.execute(swallow(attack))));
    }
    const async = process({ name: 'asyncSwallow', outputs: ['domain.counter'] }, async (ctx) => {
      try {
        (ctx.domain as Record<string, unknown>).other = 1;
      } catch {
        // ignored on purpose
      }
      await Promise.resolve();
      (ctx.domain as Record<string, unknown>).counter = 99;
    });
    expect(await codeOf(engine.execute(async))).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(engine.version).toBe(0);
    expect(engine.state.domain.counter).toBe(1);
  });

  it('an accessor taken from ctx is inert on any other object', async () => {
    const engine = new Engine({ context: context() });
    let stolen: PropertyDescriptor | undefined;
    const steal = process({ name: 'steal', outputs: ['domain.counter'] }, (ctx) => {
      let proto: object | null = ctx.domain;
      while (proto !== null && stolen === undefined) {
        stolen = Object.getOwnPropertyDescriptor(proto, 'counter');
        proto = Object.getPrototypeOf(proto) as object | null;
      }
    });
    await engine.execute(steal);
    expect(() => stolen?.set?.call({}, 5)).toThrow();
    expect(() => stolen?.get?.call({})).toThrow();
    expect(engine.state.domain.counter).toBe(1);
  });
});

describe('compareAndSwap deep-merges nested data', () => {
  it('changes only the given leaves and keeps the rest of the layer', async () => {
    const engine = new Engine({ context: { domain: { x: 1, y: 2, nested: { a: 1, b: 2 } } } });
    await engine.compareAndSwap(0, { data: { domain: { y: 20, nested: { b: 3 } } } });
    expect(engine.state).toEqual({ domain: { x: 1, y: 20, nested: { a: 1, b: 3 } } });
  });

  it('conflicts only with commits that wrote the same leaves', async () => {
    const engine = new Engine({ context: { domain: { x: 1, y: 2 } } });
    await engine.compareAndSwap(0, { data: { domain: { x: 5 } } });
    await engine.compareAndSwap(0, { data: { domain: { y: 6 } } });
    expect(engine.state.domain).toEqual({ x: 5, y: 6 });
    await expect(engine.compareAndSwap(1, { data: { domain: { y: 7 } } })).rejects.toMatchObject({ code: 'TX_CONFLICT' });
    await engine.compareAndSwap(1, { data: { domain: { x: 7 } } });
    expect(engine.state.domain).toEqual({ x: 7, y: 6 });
  });

  it('a dotted key names a path and replaces its value', async () => {
    const engine = new Engine({ context: { domain: { nested: { a: 1, b: 2 } } } });
    await engine.compareAndSwap(0, { data: { 'domain.nested': { c: 3 } } });
    expect(engine.state.domain.nested).toEqual({ c: 3 });
  });

  it('rejects malformed data with a typed error and changes nothing', async () => {
    const engine = new Engine({ context: { domain: { x: 1 } } });
    for (const data of [[], 'x', 5]) {
      await expect(engine.compareAndSwap(0, { data } as never)).rejects.toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
    }
    await expect(engine.compareAndSwap(0, { data: JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown> })).rejects.toThrow();
    await expect(engine.compareAndSwap(0, { data: { 'domain..x': 1 } })).rejects.toThrow();
    expect(engine.version).toBe(0);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
