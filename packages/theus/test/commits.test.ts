import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError, ContractViolationError, Engine, process, SchemaViolationError, update, WriteTimeoutError } from 'theus';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const increment = process({ name: 'increment', inputs: ['domain.counter'], outputs: ['domain.counter'] }, async (ctx) => {
  const seen = ctx.domain.counter as number;
  await tick();
  return seen + 1;
});

describe('commits and concurrency', () => {
  it('loses no update when concurrent runs write one field', async () => {
    const engine = new Engine({ context: { domain: { counter: 0 } }, conflict: { maxRetries: 50 } });
    let conflicts = 0;
    engine.on('conflict', () => conflicts++);
    await Promise.all(Array.from({ length: 20 }, () => engine.execute(increment)));
    expect(engine.state.domain.counter).toBe(20);
    expect(engine.version).toBe(20);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('does not conflict on disjoint paths, but does with strictCas', async () => {
    const setA = process({ name: 'setA', outputs: ['domain.a'] }, async () => {
      await tick(2);
      return 1;
    });
    const setB = process({ name: 'setB', outputs: ['domain.b'] }, () => 2);
    const relaxed = new Engine({ context: { domain: { a: 0, b: 0 } } });
    let conflicts = 0;
    relaxed.on('conflict', () => conflicts++);
    await Promise.all([relaxed.execute(setA), relaxed.execute(setB)]);
    expect(conflicts).toBe(0);
    expect(relaxed.state.domain).toEqual({ a: 1, b: 2 });
    const strict = new Engine({ context: { domain: { a: 0, b: 0 } }, strictCas: true });
    let strictConflicts = 0;
    strict.on('conflict', () => strictConflicts++);
    await Promise.all([strict.execute(setA), strict.execute(setB)]);
    expect(strictConflicts).toBeGreaterThan(0);
    expect(strict.state.domain).toEqual({ a: 1, b: 2 });
  });

  it('detects conflicts at any depth', async () => {
    const engine = new Engine({ context: { domain: { user: { name: 'a', age: 1 } } } });
    const rename = process({ name: 'rename', inputs: ['domain.user'], outputs: ['domain.user'] }, async (ctx) => {
      const age = ctx.domain.user.age as number;
      await tick(2);
      ctx.domain.user.name = `n${age}`;
    });
    const birthday = process({ name: 'birthday', outputs: ['domain.user.age'] }, (ctx) => {
      ctx.domain.user.age = 2;
    });
    const conflicts: string[] = [];
    engine.on('conflict', (e) => conflicts.push(e.path.join('.')));
    await Promise.all([engine.execute(rename), engine.execute(birthday)]);
    expect(conflicts).toEqual(['domain.user.age']);
    expect(engine.state.domain.user).toEqual({ name: 'n2', age: 2 });
  });

  it('gives up with ConflictError after maxRetries and changes nothing', async () => {
    const engine = new Engine({ context: { domain: { counter: 0 } }, conflict: { maxRetries: 2, vipAfter: 99 } });
    const stubborn = process({ name: 'stubborn', inputs: ['domain.counter'], outputs: ['domain.counter'] }, async (ctx) => {
      const seen = ctx.domain.counter as number;
      await engine.edit((draft) => {
        draft.domain.counter += 100;
      });
      return seen + 1;
    });
    const error = await engine.execute(stubborn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'TX_CONFLICT', details: { process: 'stubborn', attempts: 3 } });
    expect(engine.state.domain.counter).toBe(300);
  });

  it('grants VIP priority after vipAfter conflicts so the starving run commits', async () => {
    const engine = new Engine({
      context: { domain: { counter: 0 } },
      conflict: { maxRetries: 20, vipAfter: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const slow = process({ name: 'slow', inputs: ['domain.counter'], outputs: ['domain.counter'] }, async (ctx) => {
      const seen = ctx.domain.counter as number;
      await tick(5);
      return seen + 1000;
    });
    const fast = process({ name: 'fast', inputs: ['domain.counter'], outputs: ['domain.counter'] }, async (ctx) => {
      const seen = ctx.domain.counter as number;
      await tick(1);
      return seen + 1;
    });
    let stop = false;
    const hammer = (async () => {
      while (!stop) await engine.execute(fast);
    })();
    await engine.execute(slow);
    stop = true;
    await hammer;
    expect(engine.state.domain.counter % 1000).toBe(engine.version - 1);
  });

  it('raises WriteTimeoutError for a run that outlives the write timeout', async () => {
    const engine = new Engine({ context: { domain: { x: 0 } }, conflict: { writeTimeoutMs: 5 } });
    const slow = process({ name: 'slow', outputs: ['domain.x'] }, async () => {
      await tick(20);
      return 1;
    });
    await expect(engine.execute(slow)).rejects.toBeInstanceOf(WriteTimeoutError);
    expect(engine.state.domain.x).toBe(0);
  });

  it('bumps the version only for commits that change something', async () => {
    const engine = new Engine({ context: { domain: { x: 1 } } });
    const same = process({ name: 'same', outputs: ['domain.x'] }, () => 1);
    await engine.execute(same);
    expect(engine.version).toBe(0);
    await engine.execute(process({ name: 'other', outputs: ['domain.x'] }, () => 2));
    expect(engine.version).toBe(1);
  });

  it('rolls back completely on failure and emits rollback', async () => {
    const engine = new Engine({ context: { domain: { items: [1] } } });
    const rollbacks: string[] = [];
    engine.on('rollback', (e) => rollbacks.push(e.process));
    const failing = process({ name: 'failing', outputs: ['domain.items'] }, (ctx) => {
      ctx.domain.items.push(2);
      ctx.outbox.add('mail', { to: 'x' });
      throw new Error('nope');
    });
    const before = engine.state;
    await expect(engine.execute(failing)).rejects.toThrow('nope');
    expect(engine.state).toBe(before);
    expect(engine.version).toBe(0);
    expect(rollbacks).toEqual(['failing']);
  });

  it('rejects values outside the value model with the path and a fix', async () => {
    const engine = new Engine({ context: { domain: {} } });
    const dated = process({ name: 'dated', outputs: ['domain.when'] }, () => new Date());
    const error = await engine.execute(dated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaViolationError);
    expect(error).toMatchObject({ code: 'TX_INVALID_VALUE', details: { path: 'domain.when' } });
    expect((error as Error).message).toMatch(/toISOString/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(engine.execute(process({ name: 'cyclic', outputs: ['domain.c'] }, () => cyclic))).rejects.toThrow(/cycle/);
    await expect(engine.execute(process({ name: 'fn', outputs: ['domain.f'] }, () => ({ nested: [() => 1] })))).rejects.toThrow(
      /domain\.f\.nested\.0/,
    );
    expect(engine.version).toBe(0);
    expect(() => new Engine({ context: { domain: { m: new Map() } } })).toThrow(/Object.fromEntries/);
  });

  it('enforces a Standard Schema on every commit (schema gatekeeper)', async () => {
    const schema = z.object({ domain: z.object({ balance: z.number().min(0) }) });
    const engine = new Engine({ context: { domain: { balance: 100 } }, schema });
    const withdraw = process(
      { name: 'withdraw', inputs: ['domain.balance'], outputs: ['domain.balance'] },
      (ctx, args: { amount: number }) => (ctx.domain.balance as number) - args.amount,
    );
    await engine.execute(withdraw, { amount: 40 });
    const error = await engine.execute(withdraw, { amount: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TX_SCHEMA' });
    expect(engine.state.domain.balance).toBe(60);
    expect(() => engine.register(process({ name: 'typo', inputs: ['domian.balance'] }, () => 1))).toThrow(/no layer 'domian'/);
  });

  it('judges the state without the transient signal layers, so a strict schema accepts commits that emit signals', async () => {
    const schema = z.strictObject({ domain: z.strictObject({ n: z.number(), sig_done: z.boolean().optional() }) });
    const engine = new Engine({ context: { domain: { n: 0 } }, schema });
    const step = process({ name: 'step', inputs: ['domain.n'], outputs: ['domain.n', 'domain.sig_done', 'signal'] }, (ctx) => {
      ctx.domain.n = (ctx.domain.n as number) + 1;
      ctx.domain.sig_done = true;
      ctx.signal('step.finished', { n: ctx.domain.n });
    });
    await engine.execute(step);
    expect(engine.version).toBe(1);
    expect(engine.state).toMatchObject({ domain: { n: 1, sig_done: true }, signal: { 'step.finished': { n: 1 } } });
    const stray = process({ name: 'stray', outputs: ['domain.extra'] }, () => 1);
    await expect(engine.execute(stray)).rejects.toMatchObject({ code: 'TX_SCHEMA' });
    expect(engine.version).toBe(1);
  });

  it('validates process arguments with the contract schema', async () => {
    const engine = new Engine({ context: {} });
    const p = process({ name: 'typed', args: z.object({ n: z.number() }) }, (_ctx, args: { n: number }) => args.n * 2);
    expect(await engine.execute(p, { n: 2 })).toBe(4);
    await expect(engine.execute(p, { n: 'x' } as never)).rejects.toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
    await expect(engine.execute('typed', 5)).rejects.toMatchObject({ code: 'CONTRACT_BAD_ARGS' });
    await expect(engine.execute('nope')).rejects.toMatchObject({ code: 'CONTRACT_UNKNOWN_PROCESS' });
  });

  it('supports compareAndSwap with path-level and strict checks', async () => {
    const engine = new Engine({ context: { domain: { x: 0, y: 0 } } });
    const v0 = engine.version;
    expect(await engine.compareAndSwap(v0, { data: { 'domain.x': 1 } })).toBe(1);
    expect(await engine.compareAndSwap(v0, { data: { 'domain.y': 1 } })).toBe(2);
    await expect(engine.compareAndSwap(v0, { data: { 'domain.x': 5 } })).rejects.toBeInstanceOf(ConflictError);
    await expect(engine.compareAndSwap(99, { data: { 'domain.x': 5 } })).rejects.toMatchObject({ code: 'TX_VERSION' });
    const strict = new Engine({ context: { domain: { x: 0, y: 0 } }, strictCas: true });
    await strict.compareAndSwap(0, { data: { 'domain.x': 1 } });
    await expect(strict.compareAndSwap(0, { data: { 'domain.y': 1 } })).rejects.toMatchObject({ code: 'TX_CONFLICT' });
    expect(engine.state.domain).toEqual({ x: 1, y: 1 });
  });

  it('makes signals transient and publishes them once after commit', async () => {
    const engine = new Engine<{ domain: { x: number; sig_alarm?: boolean } }>({ context: { domain: { x: 0 } } });
    const seen: [string, unknown, number][] = [];
    engine.on('signal', (e) => seen.push([e.topic, e.payload, e.version]));
    const alarm = process({ name: 'alarm', outputs: ['domain.sig_alarm', 'signal'] }, (ctx) => {
      ctx.signal('cmd_stop', { reason: 'test' });
      return update({ 'domain.sig_alarm': true });
    });
    await engine.execute(alarm);
    expect(engine.state.domain.sig_alarm).toBe(true);
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['cmd_stop', { reason: 'test' }, 1],
        ['domain.sig_alarm', true, 1],
      ]),
    );
    await engine.execute(process({ name: 'bump', outputs: ['domain.x'] }, () => 1));
    expect(engine.state.domain.sig_alarm).toBeUndefined();
    expect((engine.state as Record<string, unknown>).signal).toEqual({});
    expect(seen).toHaveLength(2);
  });

  it('relaxed mode opens every path and still rolls back', async () => {
    const engine = new Engine({ context: { domain: { a: 1 }, global: { b: 2 } }, strict: false });
    const anything = process({ name: 'anything' }, (ctx) => {
      ctx.global.b = ctx.domain.a + 1;
    });
    await engine.execute(anything);
    expect(engine.state.global.b).toBe(2);
    const failing = process({ name: 'failing' }, (ctx) => {
      ctx.domain.a = 9;
      throw new Error('x');
    });
    await expect(engine.execute(failing)).rejects.toThrow('x');
    expect(engine.state.domain.a).toBe(1);
  });

  it('training mode writes in place without rollback', async () => {
    const engine = new Engine({ context: { domain: { n: 0 } }, transactional: false });
    const add = process({ name: 'add', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
    await engine.execute(add);
    await engine.execute(add);
    expect(engine.state.domain.n).toBe(2);
    expect(engine.version).toBe(2);
    const failing = process({ name: 'failing', outputs: ['domain'] }, (ctx) => {
      ctx.domain.n = 99;
      throw new Error('no rollback');
    });
    await expect(engine.execute(failing)).rejects.toThrow('no rollback');
    expect(engine.state.domain.n).toBe(99);
  });

  it('rejects bad engine options and duplicate processes', () => {
    expect(() => new Engine({ strcit: true } as never)).toThrow(/unknown option/);
    expect(() => new Engine({ conflict: { maxRetries: -1 } })).toThrow(/conflict.maxRetries/);
    const engine = new Engine();
    engine.register(process({ name: 'dup' }, () => 1));
    const error = (() => {
      try {
        engine.register(process({ name: 'dup' }, () => 2));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ code: 'CONTRACT_DUPLICATE' });
  });
});

describe('engine.history()', () => {
  it('lists each commit with its version, process, arguments, written paths and time', async () => {
    const add = process({ name: 'add', inputs: ['domain.counter'], outputs: ['domain.counter'] }, (ctx, args: { by: number }) => {
      return (ctx.domain.counter as number) + args.by;
    });
    const engine = new Engine({ context: { domain: { counter: 0 } }, processes: [add] });
    const before = Date.now();
    await engine.execute('add', { by: 2 });
    await engine.edit((draft) => {
      (draft as { domain: { note?: string } }).domain.note = 'x';
    });
    const [first, second] = engine.history();
    expect(first).toMatchObject({ version: 1, process: 'add', args: { by: 2 }, writes: ['domain.counter'] });
    expect(first?.time).toBeGreaterThanOrEqual(before);
    expect(second).toMatchObject({ version: 2, writes: ['domain.note'] });
  });
});
