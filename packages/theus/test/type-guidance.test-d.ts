import { describe, expectTypeOf, it } from 'vitest';
import {
  createTheus,
  Engine,
  loadMachine,
  loadWorkflow,
  process,
  update,
  type AnyProcess,
  type DeepReadonly,
  type MachineLoadOptions,
  type ProcessDefinition,
  type Update,
  type WorkflowLoadOptions,
} from 'theus';

interface State {
  global: { currency: string };
  domain: {
    accounts: Record<string, { balance: number }>;
    items: { id: number; name: string }[];
    total: number;
    label: string;
    flag?: boolean;
  };
}

const t = createTheus<State>();
const context: State = { global: { currency: 'EUR' }, domain: { accounts: {}, items: [], total: 0, label: '' } };

const transfer = t.process(
  { inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  (ctx, args: { from: string; to: string; amount: number }) => {
    ctx.domain.accounts[args.to] = { balance: args.amount };
  },
);
const bump = t.process({ inputs: ['domain.total'], outputs: ['domain.total'] }, (ctx) => ctx.domain.total + 1);
const optionalArgs = t.process({ outputs: ['domain.label'] }, (_ctx, args: { label: string } | undefined) => args?.label ?? '');
const engine = t.engine({ context, processes: [transfer, bump, optionalArgs] });

describe('(a) engine.execute names the bad argument', () => {
  it('types the arguments and the result of a process definition', () => {
    expectTypeOf(engine.execute(transfer, { from: 'a', to: 'b', amount: 1 })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(engine.execute(bump)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(engine.execute(optionalArgs)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(engine.execute(optionalArgs, { label: 'x' })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(engine.execute('transfer', { anything: true })).toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(engine.execute('bump')).toEqualTypeOf<Promise<unknown>>();
    const any: AnyProcess = transfer;
    expectTypeOf(engine.execute(any, { from: 'a' })).toEqualTypeOf<Promise<unknown>>();
  });

  it('reports a missing, wrong or extra argument against the process, not the string overload', () => {
    // @ts-expect-error missing args: "Expected 2 arguments, but got 1" (an argument for 'args')
    void engine.execute(transfer);
    // @ts-expect-error a wrong field type: "Type 'string' is not assignable to type 'number'"
    void engine.execute(transfer, { from: 'a', to: 'b', amount: '1' });
    // @ts-expect-error a missing field: "Property 'amount' is missing"
    void engine.execute(transfer, { from: 'a', to: 'b' });
    // @ts-expect-error arguments for a process that takes none: "not assignable to parameter of type 'undefined'"
    void engine.execute(bump, { x: 1 });
    // @ts-expect-error not a process: "not assignable to parameter of type 'string | AnyProcess'"
    void engine.execute(42);
  });
});

describe('(b) array returns from several outputs are tuples of the output types', () => {
  it('types the tuple by position', () => {
    const pair = t.process({ outputs: ['domain.total', 'domain.label'] }, () => [1, 'one']);
    expectTypeOf(pair).toEqualTypeOf<ProcessDefinition<undefined, [number, string]>>();
    expectTypeOf(engine.execute(pair)).toEqualTypeOf<Promise<[number, string]>>();
    const later = t.process({ outputs: ['domain.total', 'domain.label'] }, async () => [1, 'one']);
    expectTypeOf(later).toEqualTypeOf<ProcessDefinition<undefined, Promise<[number, string]>>>();
    const withSignal = t.process({ outputs: ['domain.total', 'signal', 'domain.accounts.bob', 'local.tmp'] }, () => [2, { balance: 1 }]);
    expectTypeOf(withSignal).toEqualTypeOf<ProcessDefinition<undefined, [number, { balance: number }]>>();
    t.process({ outputs: ['domain.total', 'domain.label'] }, () => ({ 'domain.label': 'by path' }));
  });

  it('rejects wrong values, and arrays longer or shorter than the outputs', () => {
    // @ts-expect-error [[], 5]: "Type 'never[]' is not assignable to type 'number'"
    t.process({ outputs: ['domain.total', 'domain.label'] }, () => [[], 5]);
    // @ts-expect-error too short: "Source has 1 element(s) but target requires 2"
    t.process({ outputs: ['domain.total', 'domain.label'] }, () => [1]);
    // @ts-expect-error one value too many
    t.process({ outputs: ['domain.total', 'domain.label'] }, () => [1, 'x', 3]);
    // @ts-expect-error async too: the promised tuple is checked
    t.process({ outputs: ['domain.total', 'domain.label'] }, async () => [1, 2]);
  });

  it('keeps the untyped process permissive', () => {
    const loose = process({ name: 'loose', outputs: ['domain.total', 'domain.label'] }, () => [[], 5]);
    expectTypeOf(loose).toEqualTypeOf<ProcessDefinition<undefined, (number | never[])[]>>();
  });
});

describe('(c) update() keys and values are checked against the declared outputs', () => {
  it('accepts declared outputs, paths below them and their value types', () => {
    const p = t.process({ outputs: ['domain.total', 'domain.accounts'] }, () =>
      update({ 'domain.total': 1, 'domain.accounts.bob': { balance: 2 }, 'domain.accounts.al.balance': 3 }, { result: 'ok' as const }),
    );
    expectTypeOf(engine.execute(p)).toEqualTypeOf<Promise<'ok'>>();
    const viaT = t.process({ outputs: ['domain.label', 'domain.flag'] }, async (ctx) => {
      await Promise.resolve();
      if (ctx.domain.flag === true) return t.update({ 'domain.flag': undefined });
      return t.update({ 'domain.label': 'x' }, { result: 1 });
    });
    expectTypeOf(engine.execute(viaT)).toEqualTypeOf<Promise<number | undefined>>();
    const starred = t.process({ outputs: ['domain.items.*', 'signal'] }, () => update({ 'domain.items': [] }, { signals: { cmd_go: 1 } }));
    expectTypeOf(engine.execute(starred)).toEqualTypeOf<Promise<undefined>>();
    const deletes = t.process({ outputs: ['domain.accounts', 'domain.flag'] }, () =>
      update({ 'domain.accounts.bob': undefined, 'domain.flag': undefined }),
    );
    expectTypeOf(engine.execute(deletes)).toEqualTypeOf<Promise<undefined>>();
    const dynamic = t.process({ outputs: ['domain.accounts'] }, (_ctx, args: { id: string }) =>
      update({ [`domain.accounts.${args.id}`]: { balance: 0 } }),
    );
    expectTypeOf(dynamic).toHaveProperty('fn');
  });

  it('rejects an undeclared key, a wrong path below an output and a wrong value type, naming them', () => {
    // @ts-expect-error "update() key 'domain.label' is not among the process's outputs"
    t.process({ outputs: ['domain.total', 'domain.accounts'] }, () => update({ 'domain.label': 'x' }));
    // @ts-expect-error "update() key 'domain.accounts.bob.balanse' is not a path of the state" (valid: balance)
    t.process({ outputs: ['domain.accounts'] }, () => update({ 'domain.accounts.bob.balanse': 1 }));
    // @ts-expect-error "Type 'string' is not assignable to type 'number'"
    t.process({ outputs: ['domain.total'] }, () => update({ 'domain.total': 'x' }));
    // @ts-expect-error below an output, values are typed too
    t.process({ outputs: ['domain.accounts'] }, () => t.update({ 'domain.accounts.bob.balance': '1' }));
    // @ts-expect-error undefined deletes: only where the key may be absent (a record entry, an optional field)
    t.process({ outputs: ['domain.total'] }, () => update({ 'domain.total': undefined }));
    // @ts-expect-error in async processes as well
    t.process({ outputs: ['domain.total', 'domain.label'] }, async () => update({ 'domain.label': 2 }));
    // @ts-expect-error local paths are not state: update() cannot write them
    t.process({ outputs: ['local.tmp', 'domain.total'] }, () => update({ 'local.tmp': 1 }));
  });

  it('checks t.update() against the state when it is built outside a return', () => {
    const built = t.update({ 'domain.accounts.bob.balance': 1 });
    expectTypeOf(built.result).toEqualTypeOf<undefined>();
    // @ts-expect-error "update() key 'domain.nope' is not a path of the state"
    t.update({ 'domain.nope': 1 });
    // @ts-expect-error the value's type is the path's type
    t.update({ 'global.currency': 1 });
  });

  it('keeps the untyped update() permissive', () => {
    expectTypeOf(update({ 'any.path': 1 })).toEqualTypeOf<Update>();
    process({ name: 'loose', outputs: ['domain.a'] }, () => update({ 'domain.zzz': 'unchecked' }));
  });
});

describe('(d) a plain result from several outputs points at update({...}, { result })', () => {
  it('rejects a plain value with a message naming update()', () => {
    // @ts-expect-error "TypeHint<'With several outputs, return a tuple ..., or update({ ...writes }, { result }) ...'>"
    t.process({ outputs: ['domain.total', 'domain.label'] }, () => 'done');
    // @ts-expect-error the same for a promised plain value
    t.process({ outputs: ['domain.total', 'domain.label'] }, async () => 'done');
    // @ts-expect-error a single output takes its own type: "Type 'string' is not assignable to type 'number'"
    t.process({ outputs: ['domain.total'] }, () => 'done');
  });

  it('accepts the result through update()', () => {
    const p = t.process({ outputs: ['domain.total', 'domain.label'] }, () => update({}, { result: 'done' }));
    expectTypeOf(engine.execute(p)).toEqualTypeOf<Promise<string>>();
  });
});

describe('(e) engine.state is deeply read-only', () => {
  it('is DeepReadonly<State>', () => {
    expectTypeOf(engine.state).toEqualTypeOf<DeepReadonly<State>>();
    expectTypeOf(engine.state.domain.items).toEqualTypeOf<readonly { readonly id: number; readonly name: string }[]>();
    expectTypeOf(new Engine().state).toEqualTypeOf<{ readonly [x: string]: unknown }>();
  });

  it('rejects writes at every depth', () => {
    // @ts-expect-error a whole layer
    engine.state.domain = context.domain;
    // @ts-expect-error a leaf value
    engine.state.domain.total = 1;
    // @ts-expect-error a record entry
    engine.state.domain.accounts['bob'] = { balance: 1 };
    const bob = engine.state.domain.accounts['bob'];
    if (bob !== undefined) {
      // @ts-expect-error deep inside a record entry
      bob.balance = 1;
    }
    // @ts-expect-error arrays are read-only arrays
    engine.state.domain.items.push({ id: 1, name: 'x' });
  });
});

describe('(f) loader options take any iterable of names', () => {
  it('accepts engine.processes, arrays, Sets and other iterables', () => {
    expectTypeOf(engine.processes).toExtend<WorkflowLoadOptions['processes']>();
    loadWorkflow('steps: [bump]', { processes: engine.processes, scopeNames: ['domain'] });
    loadWorkflow('steps: [bump]', { processes: new Set(['bump']) });
    loadMachine('states: { IDLE: {} }', { processes: engine.processes });
    loadMachine('states: { IDLE: {} }', { processes: new Map([['bump', 1]]).keys() });
    expectTypeOf<MachineLoadOptions['processes']>().toEqualTypeOf<Iterable<string> | undefined>();
  });

  it('rejects what is not an iterable of names', () => {
    // @ts-expect-error a number is not a list of names
    loadWorkflow('steps: [bump]', { processes: 1 });
    // @ts-expect-error nor are numbers
    loadMachine('states: { IDLE: {} }', { processes: [1, 2] });
  });
});
