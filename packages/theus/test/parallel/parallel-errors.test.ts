/**
 * Errors across the worker boundary keep their class (working `instanceof`), name, code,
 * details, message, stack and cause; user errors keep name and code for `errors: [...]`; every
 * way a worker run can fail is a typed error naming the process, state unchanged, and the pool
 * keeps serving.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ContractViolationError, Engine, process, TheusError, WriteTimeoutError } from 'theus';
import {
  crashesLater,
  exits,
  hangs,
  hangsWithLimit,
  spinsForever,
  throwsAggregate,
  throwsBuiltIn,
  throwsDeclared,
  throwsDeclaredCode,
  throwsString,
  throwsTheus,
  throwsUndeclared,
} from './fixtures/failing.js';
import { hiddenProcess } from './fixtures/not-exported.js';
import { mainOnly } from './fixtures/main-thread-only.js';
import { echo, increment, patientIncrement, returnsInstance, whereAmI } from './fixtures/processes.js';
import { resolveTheusLikeThisProject, workerEngines } from './workers.js';

resolveTheusLikeThisProject();

const engineWith = workerEngines();

async function failure(run: Promise<unknown>): Promise<Error & { code?: unknown; details?: unknown }> {
  const error = await run.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (e: unknown) => e,
  );
  return error as Error & { code?: unknown; details?: unknown };
}

describe('errors thrown in a worker', () => {
  it('built-in classes arrive as themselves, with message, stack and their causes', async () => {
    const engine = engineWith({ processes: [throwsBuiltIn, throwsAggregate, throwsString] });
    const error = await failure(engine.execute(throwsBuiltIn));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('out of range');
    expect(error.stack).toContain('out of range');
    expect(error.stack).toContain('failing.ts');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe('bad type');
    expect((error.cause as Error).cause).toEqual({ why: 'deep' });

    const aggregate = await failure(engine.execute(throwsAggregate));
    expect(aggregate).toBeInstanceOf(AggregateError);
    const inner = (aggregate as AggregateError).errors;
    expect(inner[0]).toBeInstanceOf(URIError);
    expect(inner[1]).toBeInstanceOf(EvalError);

    await expect(engine.execute(throwsString)).rejects.toBe('a plain string');
  });

  it('Theus errors arrive as their class, with code, details and cause', async () => {
    const engine = engineWith({ processes: [throwsTheus] });
    const error = await failure(engine.execute(throwsTheus));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toBeInstanceOf(TheusError);
    expect(error).toMatchObject({
      name: 'ConflictError',
      code: 'TX_CONFLICT',
      message: 'made up conflict',
      details: { path: 'domain.x', attempts: 3 },
    });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('a declared user error arrives with its name and code (errors: [...] matched by name or code)', async () => {
    const engine = engineWith({ processes: [throwsDeclared, throwsDeclaredCode] });
    const byName = await failure(engine.execute(throwsDeclared));
    expect(byName).toBeInstanceOf(Error);
    expect(byName).toMatchObject({ name: 'InsufficientFunds', code: 'E_FUNDS', message: 'not enough' });
    const byCode = await failure(engine.execute(throwsDeclaredCode));
    expect(byCode).toMatchObject({ name: 'InsufficientFunds', code: 'E_FUNDS' });
  });

  it('an undeclared user error is wrapped (CONTRACT_UNDECLARED_ERROR), the original as its cause', async () => {
    const engine = engineWith({ processes: [throwsUndeclared] });
    const error = await failure(engine.execute(throwsUndeclared));
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({
      code: 'CONTRACT_UNDECLARED_ERROR',
      details: { process: 'throwsUndeclared', error: 'InsufficientFunds' },
    });
    expect(error.cause).toMatchObject({ name: 'InsufficientFunds', code: 'E_FUNDS', message: 'undeclared' });
  });
});

describe('runs that cannot run in a worker', () => {
  it('a process its module does not export at the top level: POOL_PROCESS_NOT_EXPORTED', async () => {
    const engine = engineWith({ processes: [hiddenProcess()] });
    const error = await failure(engine.execute('hidden'));
    expect(error).toBeInstanceOf(TheusError);
    expect(error).toMatchObject({ code: 'POOL_PROCESS_NOT_EXPORTED', details: { process: 'hidden' } });
    expect(error.message).toContain('does not export it at the top level');
    expect(error.message).toContain('not-exported.ts');
  });

  it('a module that fails to import in a worker: POOL_IMPORT_FAILED with the import error as cause', async () => {
    const engine = engineWith({ processes: [mainOnly] });
    const error = await failure(engine.execute(mainOnly));
    expect(error).toMatchObject({ code: 'POOL_IMPORT_FAILED', details: { process: 'mainOnly' } });
    expect(error.message).toContain('main-thread-only.ts');
    expect((error.cause as Error).message).toContain('needs the main thread');
  });

  it('arguments that cannot be cloned (a function, a class instance, a symbol): POOL_UNCLONEABLE naming the path, nothing run', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [echo, increment] });
    class Point {
      x = 1;
    }
    for (const [args, path] of [
      [{ f: () => 1 }, 'args.f'],
      [{ deep: [1, { p: new Point() }] }, 'args.deep.1.p'],
      [{ s: Symbol('s') }, 'args.s'],
    ] as const) {
      const error = await failure(engine.execute(echo, args));
      expect(error).toBeInstanceOf(TheusError);
      expect(error).toMatchObject({ code: 'POOL_UNCLONEABLE', details: { process: 'echo', path } });
    }
    expect(engine.version).toBe(0);
  });

  it('a result that cannot be sent back: POOL_UNCLONEABLE', async () => {
    const engine = engineWith({ processes: [returnsInstance] });
    await expect(engine.execute(returnsInstance)).rejects.toMatchObject({ code: 'POOL_UNCLONEABLE', details: { path: 'result' } });
  });
});

describe('worker threads that fail', () => {
  it('a process that calls process.exit(): POOL_WORKER_FAILED; the pool keeps serving', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [exits, increment] });
    const error = await failure(engine.execute(exits));
    expect(error).toBeInstanceOf(TheusError);
    expect(error).toMatchObject({ code: 'POOL_WORKER_FAILED', details: { process: 'exits' } });
    expect(error.message).toContain('exited with code: 3');
    expect(await engine.executeParallel(increment, [undefined, undefined, undefined])).toHaveLength(3);
    expect(engine.state.domain).toEqual({ counter: 3 });
  });

  it('an exception thrown from a timer, outside the process code: POOL_WORKER_FAILED; the next run works', async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [crashesLater, increment] });
    const error = await failure(engine.execute(crashesLater));
    expect(error).toMatchObject({ code: 'POOL_WORKER_FAILED', details: { process: 'crashesLater' } });
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toContain('thrown from a timer');
    expect(await engine.execute(increment)).toBe(1);
  });

  it.each([
    ['never settles', hangs],
    ['never yields', spinsForever],
  ])(
    'a run that %s is bounded by the write timeout (TX_WRITE_TIMEOUT); its thread is freed',
    async (_what, stuck) => {
      const engine = engineWith({
        context: { domain: { counter: 0 } },
        processes: [stuck, patientIncrement, whereAmI],
        conflict: { writeTimeoutMs: 1_500 },
      });
      await engine.execute(whereAmI);
      const error = await failure(engine.execute(stuck));
      expect(error).toBeInstanceOf(WriteTimeoutError);
      expect(error).toMatchObject({ code: 'TX_WRITE_TIMEOUT', details: { process: stuck.name } });
      // Both threads serve again (the stuck one was stopped and replaced; the new thread's start is
      // not bounded by the short write timeout, which is what patientIncrement's own limit is for).
      expect(await engine.executeParallel(patientIncrement, [undefined, undefined, undefined, undefined])).toHaveLength(4);
    },
    15_000,
  );
});

describe('a per-process time limit (timeoutMs)', () => {
  it('bounds a parallel run that never settles, whatever the engine write timeout', { timeout: 15_000 }, async () => {
    const engine = engineWith({ context: { domain: { counter: 0 } }, processes: [hangsWithLimit, increment] });
    const error = await failure(engine.execute(hangsWithLimit));
    expect(error).toBeInstanceOf(WriteTimeoutError);
    expect(error).toMatchObject({ code: 'TX_WRITE_TIMEOUT', details: { process: 'hangsWithLimit' } });
    expect(await engine.executeParallel(increment, [undefined, undefined])).toHaveLength(2);
    expect(engine.state).toMatchObject({ domain: { counter: 2 } });
  });

  it('bounds a main-thread run too, and is refused when it is not a positive whole number of ms', async () => {
    const waits = process({ name: 'waits', semantic: 'pure', timeoutMs: 50 }, () => new Promise<never>(() => undefined));
    const engine = engineWith({ processes: [waits] });
    expect(await failure(engine.execute(waits))).toMatchObject({ code: 'TX_WRITE_TIMEOUT', details: { process: 'waits' } });
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, '100', 2 ** 31]) {
      expect(() => process({ name: 'bad', timeoutMs: timeoutMs as number }, () => 1)).toThrow(/timeoutMs/);
    }
  });
});

describe('registration', () => {
  it('refuses a parallel process whose module is not a file URL, or not an existing file (CONTRACT_PARALLEL_MODULE)', () => {
    const engine = engineWith();
    const remote = process({ name: 'remote', parallel: true, module: 'https://example.com/processes.js' }, () => 1);
    const missing = process({ name: 'missing', parallel: true, module: 'file:///no/such/module.ts' }, () => 1);
    for (const [definition, why] of [
      [remote, 'is not a file: URL'],
      [missing, 'is not an existing file'],
    ] as const) {
      let error: unknown;
      try {
        engine.register(definition);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ContractViolationError);
      expect(error).toMatchObject({ code: 'CONTRACT_PARALLEL_MODULE', details: { process: definition.name } });
      expect((error as Error).message).toContain(why);
      expect((error as Error).message).toContain('module: import.meta.url');
    }
    expect(engine.processes).toEqual([]);
  });

  it('finds the module a parallel process was defined in', () => {
    expect(increment.contract.module).toMatch(/^file:\/\/.*\/fixtures\/processes\.ts$/);
    expect(process({ name: 'local' }, () => 1).contract.module).toBeUndefined();
  });

  it('checks the workers option (ENGINE_INVALID_OPTION)', () => {
    for (const workers of [{ size: 0 }, { size: 1.5 }, { idleTimeoutMs: -1 }, { execArgv: 'tsx' }, { threads: 2 }, 3]) {
      expect(() => new Engine({ workers: workers as never })).toThrow(expect.objectContaining({ code: 'ENGINE_INVALID_OPTION' }) as Error);
    }
  });

  it('refuses a contract whose module or parallel option has the wrong type (CONTRACT_INVALID)', () => {
    expect(() => process({ name: 'p', parallel: true, module: 42 as never }, () => 1)).toThrow(
      expect.objectContaining({ code: 'CONTRACT_INVALID' }) as Error,
    );
    expect(() => process({ name: 'p', parallel: 'yes' as never }, () => 1)).toThrow(
      expect.objectContaining({ code: 'CONTRACT_INVALID' }) as Error,
    );
  });
});
