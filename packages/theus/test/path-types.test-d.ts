import { describe, expectTypeOf, it } from 'vitest';
import { createTheus, type CheckPath, type CheckPaths, type ContextData, type DeepReadonly, type ValueAt } from 'theus';

interface Account {
  balance: number;
  tags: string[];
}

interface State {
  global: { currency: string; limits?: { daily: number } };
  domain: {
    accounts: Record<string, Account>;
    items: { id: number; name: string }[];
    user: { name: string; nick?: string; address?: { city: string } };
    total: number;
    bytes: Uint8Array;
  };
}

const t = createTheus<State>();

describe('CheckPath: valid paths come back unchanged', () => {
  it('accepts layers, nested keys, record keys, array indexes and optional fields', () => {
    expectTypeOf<CheckPath<State, 'domain'>>().toEqualTypeOf<'domain'>();
    expectTypeOf<CheckPath<State, 'domain.user.name'>>().toEqualTypeOf<'domain.user.name'>();
    expectTypeOf<CheckPath<State, 'domain.accounts.alice.balance'>>().toEqualTypeOf<'domain.accounts.alice.balance'>();
    expectTypeOf<CheckPath<State, 'domain.items.0.name'>>().toEqualTypeOf<'domain.items.0.name'>();
    expectTypeOf<CheckPath<State, 'domain.user.address.city'>>().toEqualTypeOf<'domain.user.address.city'>();
    expectTypeOf<CheckPath<State, 'global.limits.daily'>>().toEqualTypeOf<'global.limits.daily'>();
  });

  it('accepts a trailing .* and keeps it', () => {
    expectTypeOf<CheckPath<State, 'domain.items.*'>>().toEqualTypeOf<'domain.items.*'>();
    expectTypeOf<CheckPath<State, 'domain.accounts.*'>>().toEqualTypeOf<'domain.accounts.*'>();
    expectTypeOf<CheckPath<State, 'domain.*'>>().toEqualTypeOf<'domain.*'>();
  });

  it('accepts the special roots local, signal and cmd at any depth', () => {
    expectTypeOf<CheckPath<State, 'local'>>().toEqualTypeOf<'local'>();
    expectTypeOf<CheckPath<State, 'local.scratch.deep'>>().toEqualTypeOf<'local.scratch.deep'>();
    expectTypeOf<CheckPath<State, 'signal'>>().toEqualTypeOf<'signal'>();
    expectTypeOf<CheckPath<State, 'signal.cmd_go'>>().toEqualTypeOf<'signal.cmd_go'>();
    expectTypeOf<CheckPath<State, 'cmd.stop'>>().toEqualTypeOf<'cmd.stop'>();
  });
});

describe('CheckPath: invalid paths give the valid keys at the first wrong segment', () => {
  it('names the layers and special roots for an unknown layer', () => {
    type Roots = 'global' | 'domain' | 'local' | 'signal' | 'cmd';
    expectTypeOf<CheckPath<State, 'domian'>>().toEqualTypeOf<Roots>();
    expectTypeOf<CheckPath<State, 'domian.total'>>().toEqualTypeOf<Roots>();
  });

  it('names the sibling keys, prefixed with the valid part of the path', () => {
    expectTypeOf<CheckPath<State, 'domain.acounts'>>().toEqualTypeOf<
      'domain.accounts' | 'domain.items' | 'domain.user' | 'domain.total' | 'domain.bytes'
    >();
    expectTypeOf<CheckPath<State, 'domain.user.nme'>>().toEqualTypeOf<'domain.user.name' | 'domain.user.nick' | 'domain.user.address'>();
    expectTypeOf<CheckPath<State, 'domain.items.0.nme'>>().toEqualTypeOf<'domain.items.0.id' | 'domain.items.0.name'>();
    expectTypeOf<CheckPath<State, 'domain.accounts.bob.balanse'>>().toEqualTypeOf<
      'domain.accounts.bob.balance' | 'domain.accounts.bob.tags'
    >();
    expectTypeOf<CheckPath<State, 'global.limits.weekly'>>().toEqualTypeOf<'global.limits.daily'>();
  });

  it('asks for a numeric index below an array', () => {
    expectTypeOf<CheckPath<State, 'domain.items.first'>>().toEqualTypeOf<`domain.items.${number}`>();
  });

  it('says when a path goes below a leaf value (binaries included)', () => {
    expectTypeOf<CheckPath<State, 'domain.total.x'>>().toEqualTypeOf<"domain.total.<'x' is below a leaf value>">();
    expectTypeOf<CheckPath<State, 'domain.bytes.0'>>().toEqualTypeOf<"domain.bytes.<'0' is below a leaf value>">();
    expectTypeOf<CheckPath<State, 'domain.user.name.first.x'>>().toEqualTypeOf<"domain.user.name.<'first' is below a leaf value>">();
  });

  it('CheckPaths checks each element of a tuple', () => {
    expectTypeOf<CheckPaths<State, readonly ['domain.total', 'local.x']>>().toEqualTypeOf<readonly ['domain.total', 'local.x']>();
    expectTypeOf<CheckPaths<State, readonly ['domain.total', 'global.curency']>>().toEqualTypeOf<
      readonly ['domain.total', 'global.currency' | 'global.limits']
    >();
  });
});

describe('ValueAt', () => {
  it('gives the type at a path', () => {
    expectTypeOf<ValueAt<State, 'domain.total'>>().toEqualTypeOf<number>();
    expectTypeOf<ValueAt<State, 'domain.accounts.bob'>>().toEqualTypeOf<Account>();
    expectTypeOf<ValueAt<State, 'domain.accounts.bob.tags'>>().toEqualTypeOf<string[]>();
    expectTypeOf<ValueAt<State, 'domain.items.3'>>().toEqualTypeOf<{ id: number; name: string }>();
    expectTypeOf<ValueAt<State, 'domain.items.3.id'>>().toEqualTypeOf<number>();
    expectTypeOf<ValueAt<State, 'domain.bytes'>>().toEqualTypeOf<Uint8Array>();
  });

  it('strips a trailing .* and keeps optional fields optional', () => {
    expectTypeOf<ValueAt<State, 'domain.items.*'>>().toEqualTypeOf<{ id: number; name: string }[]>();
    expectTypeOf<ValueAt<State, 'domain.user.nick'>>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ValueAt<State, 'domain.user.address.city'>>().toEqualTypeOf<string>();
    expectTypeOf<ValueAt<State, 'global.limits.daily'>>().toEqualTypeOf<number>();
  });

  it('is unknown below the special roots', () => {
    expectTypeOf<ValueAt<State, 'local'>>().toEqualTypeOf<unknown>();
    expectTypeOf<ValueAt<State, 'local.a.b'>>().toEqualTypeOf<unknown>();
    expectTypeOf<ValueAt<State, 'signal.cmd_go'>>().toEqualTypeOf<unknown>();
    expectTypeOf<ValueAt<State, 'cmd'>>().toEqualTypeOf<unknown>();
  });
});

describe('DeepReadonly', () => {
  it('makes every level read-only and keeps functions and binaries as they are', () => {
    type Input = { a: { b: number[]; c: { d: string }[] }; f: (x: number) => string; bytes: Uint8Array; n: number | null };
    expectTypeOf<DeepReadonly<Input>>().toEqualTypeOf<{
      readonly a: { readonly b: readonly number[]; readonly c: readonly { readonly d: string }[] };
      readonly f: (x: number) => string;
      readonly bytes: Uint8Array;
      readonly n: number | null;
    }>();
    expectTypeOf<DeepReadonly<string>>().toEqualTypeOf<string>();
    expectTypeOf<DeepReadonly<Record<string, Account>>>().toEqualTypeOf<{
      readonly [k: string]: { readonly balance: number; readonly tags: readonly string[] };
    }>();
  });
});

type Ctx = ContextData<State, 'domain.user' | 'domain.total' | 'local' | 'signal', 'domain.total' | 'domain.accounts.*' | 'signal'>;
const ctx = {} as Ctx;

describe('ContextData', () => {
  it('holds the declared paths, inputs deeply read-only and outputs writable', () => {
    expectTypeOf(ctx.domain.user.name).toEqualTypeOf<string>();
    expectTypeOf(ctx.domain.user.address).toEqualTypeOf<{ readonly city: string } | undefined>();
    expectTypeOf(ctx.domain.total).toEqualTypeOf<number>();
    expectTypeOf(ctx.domain.accounts).toEqualTypeOf<Record<string, Account>>();
    expectTypeOf(ctx.domain.accounts.bob).toEqualTypeOf<Account | undefined>();
    ctx.domain.total = 2;
    ctx.domain.accounts.bob = { balance: 1, tags: [] };
    ctx.domain.accounts.bob?.tags.push('x');
    // @ts-expect-error an input-only path is read-only
    ctx.domain.user.name = 'x';
    // @ts-expect-error undeclared siblings are absent
    void ctx.domain.items;
    // @ts-expect-error special roots are not part of the data view
    void ctx.signal;
    // @ts-expect-error undeclared layers are absent
    void ctx.global;
  });
});

describe('createTheus().process', () => {
  it('rejects misspelled paths at compile time', () => {
    // @ts-expect-error 'acounts' is not a key of domain
    t.process({ inputs: ['domain.acounts'] }, () => undefined);
    // @ts-expect-error 'nme' is not a key of an item
    t.process({ outputs: ['domain.items.0.nme'] }, () => undefined);
    // @ts-expect-error a path cannot go below a number
    t.process({ inputs: ['domain.total.value'] }, () => undefined);
    t.process({ inputs: ['domain.items.*', 'local', 'global.limits.daily'], outputs: ['signal', 'domain.user.nick'] }, (c) => {
      expectTypeOf(c.domain.items).toEqualTypeOf<readonly { readonly id: number; readonly name: string }[]>();
      expectTypeOf(c.global.limits.daily).toEqualTypeOf<number>();
      expectTypeOf(c.domain.user.nick).toEqualTypeOf<string | undefined>();
      c.domain.user.nick = 'nick';
      // @ts-expect-error an input is read-only
      c.global.limits.daily = 1;
    });
  });
});
