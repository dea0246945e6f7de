import { describe, expect, it } from 'vitest';
import { ContractViolationError, Engine, process } from 'theus';

const context = {
  global: { currency: 'EUR' },
  domain: {
    user: { name: 'Ada', profile: { age: 36, tags: ['a'] } },
    secret: 'hidden',
    items: [1, 2, 3],
    log_events: ['boot'],
    const_rate: 0.5,
    internal_token: 'xyz',
    vault: { internal_key: 'k', open: 1 },
  },
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ContractViolationError);
    return (error as ContractViolationError).code;
  }
  throw new Error('expected the run to fail');
}

describe('guarded runs', () => {
  it('denies undeclared reads at any depth, naming process and path', async () => {
    const engine = new Engine({ context });
    const reader = process({ name: 'reader', inputs: ['domain.user.name'] }, (ctx) => ctx.domain.user.profile);
    await expect(engine.execute(reader)).rejects.toThrow(/Process 'reader' may not read the undeclared path 'domain.user.profile'/);
    const sibling = process({ name: 'sibling', inputs: ['domain.user'] }, (ctx) => ctx.domain.secret);
    expect(await codeOf(engine.execute(sibling))).toBe('CONTRACT_ILLEGAL_READ');
    const layer = process({ name: 'layer', inputs: ['domain.user'] }, (ctx) => ctx.global);
    expect(await codeOf(engine.execute(layer))).toBe('CONTRACT_ILLEGAL_READ');
  });

  it('hands declared inputs out as the frozen committed values', async () => {
    const engine = new Engine({ context });
    const reader = process({ name: 'reader', inputs: ['domain.user'] }, (ctx) => ctx.domain.user);
    const user = await engine.execute(reader);
    expect(user).toBe(engine.state.domain.user);
    expect(Object.isFrozen(user)).toBe(true);
  });

  it('denies writes to input-only paths and undeclared paths, and leaves state untouched', async () => {
    const engine = new Engine({ context });
    const deep = process({ name: 'deep', inputs: ['domain.user'] }, (ctx) => {
      ctx.domain.user.profile.age = 1;
    });
    expect(await codeOf(engine.execute(deep))).toBe('CONTRACT_ILLEGAL_WRITE');
    const undeclared = process({ name: 'undeclared', inputs: ['domain.user'], outputs: ['domain.user.name'] }, (ctx) => {
      ctx.domain.user.profile = {};
    });
    expect(await codeOf(engine.execute(undeclared))).toBe('CONTRACT_ILLEGAL_WRITE');
    const sneaky = process({ name: 'sneaky', outputs: ['domain.user'] }, (ctx) => {
      ctx.domain.other = 1;
    });
    expect(await codeOf(engine.execute(sneaky))).toBe('CONTRACT_ILLEGAL_WRITE');
    expect(engine.version).toBe(0);
    expect(engine.state).toEqual(context);
  });

  it('records shadow writes: assignment, nested assignment, push, splice and delete', async () => {
    const engine = new Engine({ context });
    const patchesSeen: unknown[] = [];
    engine.on('commit', (e) => patchesSeen.push(...e.patches));
    const writer = process({ name: 'writer', outputs: ['domain.user', 'domain.items'] }, (ctx) => {
      ctx.domain.user.name = 'Grace';
      ctx.domain.user.profile.age += 1;
      ctx.domain.user.profile.tags.push('b');
      ctx.domain.items.splice(0, 1);
      delete ctx.domain.user.profile.tags;
      ctx.domain.user.profile.tags = ['z'];
      delete ctx.domain.user.name;
    });
    await engine.execute(writer);
    expect(engine.state.domain.user).toEqual({ profile: { age: 37, tags: ['z'] } });
    expect(engine.state.domain.items).toEqual([2, 3]);
    expect(engine.version).toBe(1);
    expect(patchesSeen).toContainEqual({ op: 'remove', path: ['domain', 'user', 'name'] });
    expect(patchesSeen).toContainEqual({ op: 'replace', path: ['domain', 'user', 'profile', 'age'], value: 37 });
    expect(Object.isFrozen(engine.state.domain.items)).toBe(true);
    expect(engine.state.domain.secret).toBe(context.domain.secret);
  });

  it('keeps untouched branches shared between versions (structural sharing)', async () => {
    const engine = new Engine({ context });
    const before = engine.state;
    await engine.execute(process({ name: 'w', outputs: ['domain.items'] }, (ctx) => void ctx.domain.items.push(4)));
    expect(engine.state.domain.user).toBe(before.domain.user);
    expect(engine.state.global).toBe(before.global);
    expect(engine.state.domain.items).not.toBe(before.domain.items);
  });

  it('rejects every write from a pure process', async () => {
    const engine = new Engine({ context });
    const pure = process({ name: 'pure', inputs: ['domain.user'], outputs: ['domain.items'], semantic: 'pure' }, (ctx) => {
      ctx.domain.items.push(9);
    });
    expect(await codeOf(engine.execute(pure))).toBe('CONTRACT_PURE_WRITE');
    const outbox = process({ name: 'pureOutbox', semantic: 'pure' }, (ctx) => ctx.outbox.add('x'));
    expect(await codeOf(engine.execute(outbox))).toBe('CONTRACT_PURE_WRITE');
    const returns = process({ name: 'pureReturn', outputs: ['domain.items'], semantic: 'pure' }, () => [7]);
    await engine.execute(returns);
    expect(engine.state.domain.items).toEqual([7]);
  });

  it('enforces zones: LOG append-only, CONST read-only, PRIVATE hidden', async () => {
    const engine = new Engine({ context });
    const append = process({ name: 'append', outputs: ['domain.log_events'] }, (ctx) => void ctx.domain.log_events.push('tick'));
    await engine.execute(append);
    expect(engine.state.domain.log_events).toEqual(['boot', 'tick']);
    const rewrite = process({ name: 'rewrite', outputs: ['domain.log_events'] }, (ctx) => {
      ctx.domain.log_events[0] = 'forged';
    });
    expect(await codeOf(engine.execute(rewrite))).toBe('CONTRACT_ZONE');
    const truncate = process({ name: 'truncate', outputs: ['domain.log_events'] }, (ctx) => void ctx.domain.log_events.pop());
    expect(await codeOf(engine.execute(truncate))).toBe('CONTRACT_ZONE');
    const constant = process({ name: 'constant', outputs: ['domain'] }, (ctx) => {
      ctx.domain.const_rate = 1;
    });
    expect(await codeOf(engine.execute(constant))).toBe('CONTRACT_ZONE');
    const peek = process({ name: 'peek', inputs: ['domain.vault'] }, (ctx) => ctx.domain.vault.internal_key);
    expect(await codeOf(engine.execute(peek))).toBe('CONTRACT_ILLEGAL_READ');
    const open = process({ name: 'open', inputs: ['domain.vault'] }, (ctx) => Object.keys(ctx.domain.vault));
    expect(await engine.execute(open)).toEqual(['open']);
    const draftPeek = process({ name: 'draftPeek', outputs: ['domain'] }, (ctx) => ctx.domain.internal_token);
    expect(await codeOf(engine.execute(draftPeek))).toBe('CONTRACT_ILLEGAL_READ');
    expect(() => process({ name: 'p', inputs: ['domain.internal_token'] }, () => 1)).toThrow(/PRIVATE/);
    expect(engine.state.domain.const_rate).toBe(0.5);
  });

  it('lets engine.edit() change PRIVATE fields but never existing CONST fields', async () => {
    const engine = new Engine({ context });
    await engine.edit((draft) => {
      (draft.domain as Record<string, unknown>).internal_token = 'rotated';
    });
    expect(engine.state.domain.internal_token).toBe('rotated');
    await expect(
      engine.edit((draft) => {
        (draft.domain as Record<string, unknown>).const_rate = 2;
      }),
    ).rejects.toMatchObject({ code: 'CONTRACT_ZONE' });
  });

  it('revokes references held after the run', async () => {
    const engine = new Engine({ context });
    let leaked: { user: { name: string } } | undefined;
    let leakedCtx: { domain: { user: { name: string } } } | undefined;
    const leak = process({ name: 'leak', outputs: ['domain.user'] }, (ctx) => {
      leaked = ctx.domain;
      leakedCtx = ctx;
    });
    await engine.execute(leak);
    expect(() => {
      leaked!.user.name = 'Mallory';
    }).toThrow(ContractViolationError);
    expect(() => leakedCtx!.domain.user).toThrow(/after its run ended/);
    expect(engine.state.domain.user.name).toBe('Ada');
  });

  it('blocks guard escapes through prototypes, defineProperty and Reflect', async () => {
    const engine = new Engine({ context });
    const attempts = [
      (ctx: any) => ctx.domain.constructor,
      (ctx: any) => Object.getPrototypeOf(ctx.domain).secret,
      (ctx: any) => Reflect.get(ctx.domain, 'secret'),
      (ctx: any) => Object.defineProperty(ctx.domain, 'secret', { value: 1 }),
      (ctx: any) => Object.defineProperty(ctx.domain.user, 'x', { get: () => 1 }),
      (ctx: any) => Object.setPrototypeOf(ctx.domain.user, { polluted: true }),
      (ctx: any) => {
        ctx.domain.user.__proto__ = { polluted: true };
      },
      (ctx: any) => Object.freeze(ctx.domain.user),
    ];
    for (const [i, attempt] of attempts.entries()) {
      const p = process({ name: `escape${i}`, outputs: ['domain.user'] }, attempt);
      await expect(engine.execute(p)).rejects.toThrow();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(engine.version).toBe(0);
  });

  it('refuses accessors taken from one process and used on another process’s ctx', async () => {
    const engine = new Engine({ context });
    let stolen: PropertyDescriptor | undefined;
    const writer = process({ name: 'writer', outputs: ['domain.user'] }, (ctx: any) => {
      stolen = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(ctx.domain), 'user');
    });
    await engine.execute(writer);
    const reader = process({ name: 'reader', inputs: ['domain.user.name'], outputs: ['domain.total'] }, (ctx: any) => {
      stolen?.set?.call(ctx.domain, { name: 'Mallory' });
    });
    await expect(engine.execute(reader)).rejects.toMatchObject({ code: 'CONTRACT_REVOKED' });
    expect(() => stolen?.get?.call({})).toThrow(ContractViolationError);
    expect(engine.state.domain.user.name).toBe('Ada');
    expect(engine.version).toBe(0);
  });

  it('wraps undeclared errors with their cause and passes declared ones through', async () => {
    const engine = new Engine({ context });
    const failing = process({ name: 'failing', errors: ['RangeError'] }, () => {
      throw new TypeError('boom');
    });
    const error = await engine.execute(failing).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONTRACT_UNDECLARED_ERROR' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    const declared = process({ name: 'declared', errors: ['RangeError'] }, () => {
      throw new RangeError('fine');
    });
    await expect(engine.execute(declared)).rejects.toBeInstanceOf(RangeError);
  });

  it('gives every run a fresh ctx.local that is never committed', async () => {
    const engine = new Engine({ context });
    const scratch = process({ name: 'scratch' }, (ctx) => {
      const seen = ctx.local.count;
      ctx.local.count = 1;
      return seen;
    });
    expect(await engine.execute(scratch)).toBeUndefined();
    expect(await engine.execute(scratch)).toBeUndefined();
    expect(engine.state).not.toHaveProperty('local');
  });
});
