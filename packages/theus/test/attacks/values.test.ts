import { describe, expect, it } from 'vitest';
import { Engine, process, update } from 'theus';
import { failure } from './expect-failure.js';

const context = () => ({ domain: { box: { a: 1 }, list: [1, 2], n: 0 } });

const outsiders: [string, () => unknown][] = [
  ['bigint', () => 10n],
  ['symbol', () => Symbol('s')],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['function', () => () => 1],
  [
    'class instance',
    () =>
      new (class Point {
        x = 1;
      })(),
  ],
  ['Date', () => new Date(0)],
  ['Map', () => new Map()],
  ['foreign Proxy', () => new Proxy({}, {})],
  ['nested bigint', () => ({ deep: [{ x: 1n }] })],
];

async function expectInvalid(engine: Engine, p: unknown, path: string): Promise<void> {
  const error = await failure(engine.execute(p as never));
  expect(error.code).toBe('TX_INVALID_VALUE');
  expect(error.message).toContain(path);
  expect(engine.version).toBe(0);
  expect(engine.state).toEqual(context());
  expect(() => JSON.stringify(engine.state)).not.toThrow();
}

describe('attack: values outside the model never reach committed state', () => {
  for (const [name, make] of outsiders) {
    it(`${name}: written at a key, pushed, returned whole, returned by path and via update()`, async () => {
      const engine = new Engine({ context: context() });
      await expectInvalid(
        engine,
        process({ name: 'atKey', outputs: ['domain.box'] }, (ctx) => void (ctx.domain.box.b = make())),
        'domain.box.b',
      );
      await expectInvalid(
        engine,
        process({ name: 'pushed', outputs: ['domain.list'] }, (ctx) => void ctx.domain.list.push(make() as number)),
        'domain.list.2',
      );
      await expectInvalid(
        engine,
        process({ name: 'whole', outputs: ['domain.n'] }, () => make()),
        'domain.n',
      );
      await expectInvalid(
        engine,
        process({ name: 'byPath', outputs: ['domain.n', 'domain.box'] }, () => ({ 'domain.n': make() })),
        'domain.n',
      );
      await expectInvalid(
        engine,
        process({ name: 'viaUpdate', outputs: ['domain.box'] }, () => update({ 'domain.box': { b: make() } })),
        'domain.box.b',
      );
      await expectInvalid(
        engine,
        process({ name: 'signal', outputs: ['signal'] }, (ctx) => ctx.signal('t', make())),
        'signal.t',
      );
    });
  }

  it('a cycle built from drafts is refused, not cut silently', async () => {
    const engine = new Engine({ context: context() });
    await expectInvalid(
      engine,
      process({ name: 'self', outputs: ['domain.box'] }, (ctx) => void ((ctx.domain.box as Record<string, unknown>).self = ctx.domain.box)),
      'domain.box',
    );
    await expectInvalid(
      engine,
      process({ name: 'parent', outputs: ['domain'] }, (ctx) => void ((ctx.domain.box as Record<string, unknown>).up = ctx.domain)),
      'domain',
    );
    const plain: Record<string, unknown> = {};
    plain.self = plain;
    await expectInvalid(
      engine,
      process({ name: 'plain', outputs: ['domain.box'] }, (ctx) => void (ctx.domain.box.c = plain)),
      'domain.box.c',
    );
  });

  it('values nested thousands of levels deep give a typed error, not a stack overflow', async () => {
    const engine = new Engine({ context: context() });
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const error = await failure(
      engine.execute(process({ name: 'deep', outputs: ['domain.box'] }, (ctx) => void (ctx.domain.box.x = deep))),
    );
    expect(error.code).toBe('TX_INVALID_VALUE');
    expect(error.message).toMatch(/at most \d+ levels/);
    let list: unknown = [];
    for (let i = 0; i < 20_000; i++) list = [list];
    await expect(engine.compareAndSwap(0, { data: { 'domain.n': list } })).rejects.toMatchObject({ code: 'TX_INVALID_VALUE' });
    expect(() => new Engine({ context: { domain: deep as object } })).toThrow(/at most \d+ levels/);
    expect(engine.version).toBe(0);
  });

  it('a getter that throws or returns a bad value is caught as a value error', async () => {
    const engine = new Engine({ context: context() });
    const tricky = {
      get x(): unknown {
        return 1n;
      },
    };
    await expectInvalid(
      engine,
      process({ name: 'getter', outputs: ['domain.box'] }, (ctx) => void (ctx.domain.box.t = tricky)),
      'domain.box.t',
    );
  });

  it('the initial context and admin edits obey the same model', async () => {
    expect(() => new Engine({ context: { domain: { n: NaN } } })).toThrow(/domain.n/);
    const engine = new Engine({ context: context() });
    await expect(engine.edit((d) => void ((d.domain as Record<string, unknown>).f = () => 1))).rejects.toMatchObject({
      code: 'TX_INVALID_VALUE',
    });
    await expect(engine.compareAndSwap(0, { data: { domain: { n: 1n } } })).rejects.toMatchObject({ code: 'TX_INVALID_VALUE' });
    expect(engine.state).toEqual(context());
  });
});
