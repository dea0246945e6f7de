import { describe, expectTypeOf, it } from 'vitest';
import { createTheus, type CheckPath, type ProcessDefinition } from 'theus';

interface State {
  global: { currency: string };
  domain: {
    accounts: Record<string, { balance: number }>;
    user: { name: string; tags: string[] };
    total: number;
  };
}

const t = createTheus<State>();

describe('typed front door', () => {
  it('narrows ctx to the declared paths, inputs deeply readonly, outputs writable', () => {
    t.process({ inputs: ['domain.user'], outputs: ['domain.total'] }, (ctx) => {
      expectTypeOf(ctx.domain.user.name).toEqualTypeOf<string>();
      expectTypeOf(ctx.domain.user.tags).toEqualTypeOf<readonly string[]>();
      expectTypeOf(ctx.domain.total).toEqualTypeOf<number>();
      ctx.domain.total = 1;
      // @ts-expect-error inputs are read-only
      ctx.domain.user.name = 'x';
      // @ts-expect-error undeclared paths are not on ctx
      void ctx.global;
      // @ts-expect-error undeclared siblings are not on ctx
      void ctx.domain.accounts;
    });
  });

  it('types record paths and single-output returns', () => {
    const p = t.process({ outputs: ['domain.accounts.alice.balance'] }, () => 5);
    expectTypeOf(p).toEqualTypeOf<ProcessDefinition<undefined, number>>();
    // @ts-expect-error a single output's return value must have the output's type
    t.process({ outputs: ['domain.total'] }, () => 'not a number');
  });

  it('rejects unknown paths at compile time, naming the valid keys', () => {
    // @ts-expect-error 'acounts' is not a key of domain
    t.process({ inputs: ['domain.acounts'] }, () => undefined);
    // @ts-expect-error unknown layer
    t.process({ outputs: ['domian.total'] }, () => undefined);
    expectTypeOf<CheckPath<State, 'domain.acounts'>>().toEqualTypeOf<'domain.accounts' | 'domain.user' | 'domain.total'>();
    expectTypeOf<CheckPath<State, 'domain.user.name'>>().toEqualTypeOf<'domain.user.name'>();
    expectTypeOf<CheckPath<State, 'domain.user.*'>>().toEqualTypeOf<'domain.user.*'>();
  });
});

describe('returned values and the signal output', () => {
  it('types a single data output next to the bare signal output', () => {
    const p = t.process({ inputs: ['domain.total'], outputs: ['domain.total', 'signal'] }, (ctx) => {
      ctx.signal('cmd_done');
      return ctx.domain.total + 1;
    });
    expectTypeOf(p).toEqualTypeOf<ProcessDefinition<undefined, number>>();
    // @ts-expect-error the single data output is a number
    t.process({ outputs: ['domain.total', 'signal'] }, () => 'text');
    const onlySignal = t.process({ outputs: ['signal'] }, () => 'done' as const);
    expectTypeOf(onlySignal).toEqualTypeOf<ProcessDefinition<undefined, 'done'>>();
  });
});
