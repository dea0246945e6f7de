import { describe, expect, it } from 'vitest';
import { Engine, process } from 'theus';

type Users = Record<string, { age: number } | undefined>;

/** Runs `observer` until it has made its observation, commits `writer` meanwhile, then lets `observer` finish. */
async function interleave(engine: Engine, observer: unknown, writer: unknown, release: () => void) {
  const observed = engine.execute(observer as never);
  await new Promise((resolve) => setImmediate(resolve));
  await engine.execute(writer as never);
  release();
  await observed;
}

function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

describe('attack: every observation of presence or absence is a read', () => {
  const observations: [string, (users: Users) => boolean][] = [
    ['Object.hasOwn', (u) => Object.hasOwn(u, 'bob')],
    ['in', (u) => 'bob' in u],
    ['!== undefined', (u) => u.bob !== undefined],
    ['Object.keys', (u) => Object.keys(u).includes('bob')],
    ['getOwnPropertyDescriptor', (u) => Object.getOwnPropertyDescriptor(u, 'bob') !== undefined],
    ['Reflect.has', (u) => Reflect.has(u, 'bob')],
  ];

  for (const [name, sees] of observations) {
    it(`${name}: a concurrent insert makes the observer re-run (no double booking)`, async () => {
      const engine = new Engine({ context: { domain: { users: {}, stats: { withoutBob: 0 } } } });
      const g = gate();
      const observer = process({ name: 'observer', outputs: ['domain.users', 'domain.stats'] }, async (ctx) => {
        const present = sees(ctx.domain.users);
        await g.wait();
        if (!present) ctx.domain.stats.withoutBob += 1;
      });
      const insert = process({ name: 'insert', outputs: ['domain.users'] }, (ctx) => void (ctx.domain.users.bob = { age: 1 }));
      await interleave(engine, observer, insert, g.open);
      expect(engine.state.domain.stats.withoutBob).toBe(0);
    });

    it(`${name}: a concurrent delete makes the observer re-run`, async () => {
      const engine = new Engine({ context: { domain: { users: { bob: { age: 1 } }, stats: { withBob: 0 } } } });
      const g = gate();
      const observer = process({ name: 'observer', outputs: ['domain.users', 'domain.stats'] }, async (ctx) => {
        const present = sees(ctx.domain.users);
        await g.wait();
        if (present) ctx.domain.stats.withBob += 1;
      });
      const remove = process({ name: 'remove', outputs: ['domain.users'] }, (ctx) => void delete ctx.domain.users.bob);
      await interleave(engine, observer, remove, g.open);
      expect(engine.state.domain.stats.withBob).toBe(0);
    });
  }

  it('reading a declared path under an absent parent conflicts with a commit that creates it', async () => {
    const engine = new Engine({ context: { domain: { stats: { seen: 0 } } } });
    const g = gate();
    const observer = process({ name: 'observer', outputs: ['domain.users.bob', 'domain.stats'] }, async (ctx) => {
      const bob = (ctx.domain as { users?: { bob?: unknown } }).users?.bob;
      await g.wait();
      if (bob === undefined) (ctx.domain.stats as { seen: number }).seen += 1;
    });
    const create = process(
      { name: 'create', outputs: ['domain.users'] },
      (ctx) => void ((ctx.domain as Record<string, unknown>).users = { bob: { age: 3 } }),
    );
    await interleave(engine, observer, create, g.open);
    expect(engine.state.domain.stats.seen).toBe(0);
  });

  it('observing that a child exists does not conflict with writes inside it', async () => {
    const engine = new Engine({ context: { domain: { users: { bob: { age: 1 } }, stats: { withBob: 0 } } } });
    const conflicts: unknown[] = [];
    engine.on('conflict', (event) => conflicts.push(event));
    const g = gate();
    const observer = process({ name: 'observer', outputs: ['domain.users', 'domain.stats'] }, async (ctx) => {
      const present = ctx.domain.users.bob !== undefined;
      await g.wait();
      if (present) ctx.domain.stats.withBob += 1;
    });
    const birthday = process(
      { name: 'birthday', outputs: ['domain.users'] },
      (ctx) => void ((ctx.domain.users.bob as { age: number }).age += 1),
    );
    await interleave(engine, observer, birthday, g.open);
    expect(conflicts).toEqual([]);
    expect(engine.state.domain.stats.withBob).toBe(1);
    expect(engine.state.domain.users.bob).toEqual({ age: 2 });
  });
});
