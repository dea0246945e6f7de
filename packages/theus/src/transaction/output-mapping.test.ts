import { describe, expect, it } from 'vitest';
import { ContractViolationError, createTheus, Engine, process, update, type CommitEvent, type ProcessDefinition } from 'theus';

type Proc = ProcessDefinition<undefined>;

const initial = { domain: { a: 0, b: 0, c: 0, obj: { keep: 1, drop: 2 }, n: 1 } };

function engineWith(): { engine: Engine; commits: CommitEvent[] } {
  const engine = new Engine({ context: structuredClone(initial) });
  const commits: CommitEvent[] = [];
  engine.on('commit', (e) => commits.push(e));
  return { engine, commits };
}

/** Runs `p` and expects it to fail with `code`, leaving state, version and commits untouched. */
async function expectFailure(p: Proc, code: string): Promise<ContractViolationError> {
  const { engine, commits } = engineWith();
  const before = engine.state;
  const error = await engine.execute(p).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ContractViolationError);
  expect((error as ContractViolationError).code).toBe(code);
  expect(engine.state).toBe(before);
  expect(engine.state).toEqual(initial);
  expect(engine.version).toBe(0);
  expect(commits).toEqual([]);
  expect(engine.signals.latest).toEqual({});
  return error as ContractViolationError;
}

async function run(p: Proc): Promise<{ engine: Engine; commits: CommitEvent[]; result: unknown }> {
  const { engine, commits } = engineWith();
  const result = await engine.execute(p);
  return { engine, commits, result };
}

const domainOf = (engine: Engine): Record<string, unknown> => (engine.state as { domain: Record<string, unknown> }).domain;

describe('a single output', () => {
  it('takes the returned value, whatever its shape, and execute resolves to it', async () => {
    const value = { 'domain.b': 1, list: [1, 2] };
    const { engine, result } = await run(process({ name: 'one', outputs: ['domain.a'] }, () => value));
    expect(domainOf(engine).a).toEqual(value);
    expect(domainOf(engine).b).toBe(0);
    expect(result).toBe(value);
    expect(engine.version).toBe(1);
  });

  it('takes an array as the value itself', async () => {
    const { engine } = await run(process({ name: 'arr', outputs: ['domain.a'] }, () => [1, 2, 3]));
    expect(domainOf(engine).a).toEqual([1, 2, 3]);
  });

  it('async processes map the awaited value', async () => {
    const { engine, result } = await run(process({ name: 'later', outputs: ['domain.a'] }, () => Promise.resolve(7)));
    expect(domainOf(engine).a).toBe(7);
    expect(result).toBe(7);
  });

  it('a returned value wins over a shadow write to the same path', async () => {
    const p = process({ name: 'both', outputs: ['domain.a'] }, (ctx) => {
      ctx.domain.a = 'shadow';
      return 'returned';
    });
    expect(domainOf((await run(p)).engine).a).toBe('returned');
  });
});

describe('several outputs', () => {
  it('maps an array by position, an undefined entry leaving its output unchanged', async () => {
    const p = process({ name: 'pos', outputs: ['domain.a', 'domain.b', 'domain.c'] }, () => [1, undefined, 3]);
    const { engine, result } = await run(p);
    expect(domainOf(engine)).toMatchObject({ a: 1, b: 0, c: 3 });
    expect(result).toEqual([1, undefined, 3]);
  });

  it('rejects an array with more values than outputs', async () => {
    const p = process({ name: 'tooMany', outputs: ['domain.a', 'domain.b'] }, () => [1, 2, 3]);
    const error = await expectFailure(p, 'CONTRACT_RETURN_SHAPE');
    expect(error.message).toMatch(/tooMany.*2 outputs \[domain\.a, domain\.b\].*array of 3 values where 2 .*are expected/);
    expect(error.details).toMatchObject({ process: 'tooMany' });
  });

  it.each([
    ['one value for three outputs', [1]],
    ['two values for three outputs', [[], 5]],
    ['no value at all', []],
  ])('rejects a shorter array (%s), rolling back the shadow writes', async (_label, returned) => {
    const p = process({ name: 'tooFew', outputs: ['domain.a', 'domain.b', 'domain.c'] }, (ctx) => {
      ctx.domain.c = 'shadow write that must be rolled back';
      return returned;
    });
    const error = await expectFailure(p, 'CONTRACT_RETURN_SHAPE');
    expect(error.message).toContain(`array of ${returned.length} values where 3`);
  });

  it('rejects a wrong-length array from a typed process too (an array typed as a tuple may still be cast)', async () => {
    const t = createTheus<typeof initial>();
    const p = t.process({ name: 'typedTooFew', outputs: ['domain.a', 'domain.b'] }, () => [1] as unknown as [number, number]);
    await expectFailure(p, 'CONTRACT_RETURN_SHAPE');
  });

  it('leaves local outputs out of the positional and keyed mapping', async () => {
    const byPosition = process({ name: 'localPos', outputs: ['local.tmp', 'domain.a', 'domain.b'] }, () => [1, 2]);
    expect(domainOf((await run(byPosition)).engine)).toMatchObject({ a: 1, b: 2 });
    const byKey = process({ name: 'localKeys', outputs: ['local.tmp', 'domain.a', 'domain.b'] }, () => ({
      'domain.a': 'A',
      'domain.b': 'B',
    }));
    expect(domainOf((await run(byKey)).engine)).toMatchObject({ a: 'A', b: 'B' });
    const localKey = process({ name: 'localKey', outputs: ['local.tmp', 'domain.a', 'domain.b'] }, () => ({ 'local.tmp': 1 }));
    await expectFailure(localKey, 'CONTRACT_RETURN_SHAPE');
  });

  it('maps an object keyed by full output path', async () => {
    const p = process({ name: 'keyed', outputs: ['domain.a', 'domain.b', 'domain.c'] }, () => ({ 'domain.c': 'C', 'domain.a': 'A' }));
    expect(domainOf((await run(p)).engine)).toMatchObject({ a: 'A', b: 0, c: 'C' });
  });

  it.each([
    ['an unknown key', { 'domain.a': 1, 'domain.zzz': 2 }],
    ['a short key', { a: 1 }],
    ['no key at all', {}],
  ])('rejects an object with %s, naming the keys', async (_label, returned) => {
    const p = process({ name: 'badKeys', outputs: ['domain.a', 'domain.b'] }, () => returned);
    const error = await expectFailure(p, 'CONTRACT_RETURN_SHAPE');
    expect(error.message).toContain(`an object with keys [${Object.keys(returned).join(', ')}]`);
  });

  it.each([
    ['number', 5],
    ['string', 'x'],
    ['boolean', false],
    ['object', null],
  ])('rejects a single %s naming the process and the outputs', async (kind, returned) => {
    const p = process({ name: 'scalar', outputs: ['domain.a', 'domain.b'] }, (ctx) => {
      ctx.domain.a = 'shadow write that must be rolled back';
      return returned;
    });
    const error = await expectFailure(p, 'CONTRACT_RETURN_SHAPE');
    expect(error.message).toContain("'scalar'");
    expect(error.message).toContain('[domain.a, domain.b]');
    expect(error.message).toContain(`a single ${kind}`);
  });
});

describe('the bare signal output', () => {
  it('takes no positional value: one data output plus signal takes the value', async () => {
    const p = process({ name: 'sig1', outputs: ['domain.n', 'signal'] }, (ctx) => {
      ctx.signal('cmd_go', 1);
      return 5;
    });
    const { engine, commits } = await run(p);
    expect(domainOf(engine).n).toBe(5);
    expect(commits[0]?.signals).toEqual({ cmd_go: 1 });
  });

  it('is skipped when mapping an array by position', async () => {
    const p = process({ name: 'sig2', outputs: ['domain.a', 'signal', 'domain.b'] }, () => [1, 2]);
    expect(domainOf((await run(p)).engine)).toMatchObject({ a: 1, b: 2 });
    const tooMany = process({ name: 'sig3', outputs: ['domain.a', 'signal', 'domain.b'] }, () => [1, 2, 3]);
    await expectFailure(tooMany, 'CONTRACT_RETURN_SHAPE');
  });

  // Regression test (fixed bug).
  it('with signal as the only output, a returned value is the result and writes nothing', async () => {
    const p = process({ name: 'sigOnly', outputs: ['signal'] }, (ctx) => {
      ctx.signal('cmd_x', 1);
      return 'done';
    });
    const { engine, result } = await run(p);
    expect(result).toBe('done');
    expect(domainOf(engine)).toEqual(initial.domain);
  });
});

describe('returning undefined', () => {
  it('writes nothing and commits no new version', async () => {
    const { engine, commits, result } = await run(process({ name: 'none', outputs: ['domain.a', 'domain.b'] }, () => undefined));
    expect(result).toBeUndefined();
    expect(engine.state).toEqual(initial);
    expect(engine.version).toBe(0);
    expect(commits).toEqual([]);
  });

  it('keeps the shadow writes', async () => {
    const p = process({ name: 'shadowOnly', outputs: ['domain.a', 'domain.b'] }, (ctx) => {
      ctx.domain.b = 9;
    });
    expect(domainOf((await run(p)).engine)).toMatchObject({ a: 0, b: 9 });
  });

  it('a process without outputs resolves to its value and writes nothing', async () => {
    const { engine, result } = await run(process({ name: 'noOutputs' }, () => [1, 2]));
    expect(result).toEqual([1, 2]);
    expect(engine.version).toBe(0);
  });
});

describe('update()', () => {
  it('writes values (deep paths and deletions included), signals, outbox and result in one commit', async () => {
    const p = process({ name: 'upd', outputs: ['domain.a', 'domain.obj', 'signal'] }, () =>
      update(
        { 'domain.a': 10, 'domain.obj.deep': { x: 1 }, 'domain.obj.drop': undefined },
        { signals: { cmd_done: { ok: true } }, outbox: [{ topic: 'mail', payload: { to: 'x' } }], result: 'Success' },
      ),
    );
    const { engine, commits, result } = await run(p);
    expect(result).toBe('Success');
    expect(domainOf(engine)).toMatchObject({ a: 10, b: 0, obj: { keep: 1, deep: { x: 1 } } });
    expect(Object.keys(domainOf(engine).obj as object)).not.toContain('drop');
    expect(engine.version).toBe(1);
    expect(commits).toHaveLength(1);
    expect(commits[0]?.signals).toEqual({ cmd_done: { ok: true } });
    expect(commits[0]?.outbox).toEqual([{ id: 'v1.0', topic: 'mail', payload: { to: 'x' }, version: 1, attempts: 0 }]);
    expect(engine.signals.latest).toMatchObject({ cmd_done: { ok: true } });
  });

  it('with only a result writes nothing', async () => {
    const { engine, result } = await run(process({ name: 'resOnly', outputs: ['domain.a'] }, () => update({}, { result: 42 })));
    expect(result).toBe(42);
    expect(engine.state).toEqual(initial);
  });

  it.each([
    ['an undeclared path', 'domain.b'],
    ['an input-only path', 'domain.n'],
    ['a sibling with a shared name prefix', 'domain.ab'],
  ])('rejects writing %s with CONTRACT_ILLEGAL_WRITE', async (_label, path) => {
    const p = process({ name: 'sneaky', inputs: ['domain.n'], outputs: ['domain.a'] }, (ctx) => {
      ctx.domain.a = 'rolled back';
      return update({ 'domain.a': 1, [path]: 2 });
    });
    const error = await expectFailure(p, 'CONTRACT_ILLEGAL_WRITE');
    expect(error.message).toContain(`'${path}'`);
    expect(error.message).toContain('[domain.a]');
    expect(error.details).toMatchObject({ process: 'sneaky', path });
  });

  it('rejects signals from a process that does not declare signal', async () => {
    const p = process({ name: 'mute', outputs: ['domain.a'] }, () => update({ 'domain.a': 1 }, { signals: { cmd_x: 1 } }));
    const error = await expectFailure(p, 'CONTRACT_ILLEGAL_WRITE');
    expect(error.message).toContain("'signal.cmd_x'");
  });

  it('rejects a malformed path with CONTRACT_INVALID', async () => {
    await expectFailure(
      process({ name: 'malformed', outputs: ['domain.a'] }, () => update({ 'domain..a': 1 })),
      'CONTRACT_INVALID',
    );
  });
});
