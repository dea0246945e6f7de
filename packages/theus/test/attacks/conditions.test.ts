import { describe, expect, it } from 'vitest';
import {
  ConditionSyntaxError,
  Engine,
  loadWorkflow,
  parseCondition,
  process,
  runWorkflow,
  WorkflowError,
  type ConditionScope,
  type WorkflowRuntime,
} from 'theus';
import { failure } from './expect-failure.js';

/** A workflow with one `if` on `condition` (line 3, column 16 once quoted), choosing `yes` or `no`. */
function ifFlow(condition: string): string {
  return `steps:\n  - flux: if\n    condition: ${JSON.stringify(condition)}\n    then: [yes]\n    else: [no]\n`;
}

/** A runtime over a fixed scope that records the steps it runs. */
function runtime(scope: ConditionScope): WorkflowRuntime {
  return { execute: () => undefined, scope: () => scope };
}

/** Runs `condition` in a workflow; returns the branch taken, or the run's error. */
async function branch(condition: string, scope: ConditionScope, conditionBudget?: number): Promise<string | WorkflowError> {
  const result = await runWorkflow(
    loadWorkflow(ifFlow(condition)),
    runtime(scope),
    conditionBudget === undefined ? {} : { conditionBudget },
  );
  return result.error ?? result.executed.join(',');
}

/** Evaluates a condition that must fail, and returns its error. */
function evaluationError(condition: string, scope: ConditionScope = {}): WorkflowError {
  try {
    parseCondition(condition).evaluate(scope);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    return error as WorkflowError;
  }
  throw new Error(`expected ${condition} to fail`);
}

/** The budget refusal's problem: work counted in units, not time. */
const budgetProblem = (units: string): RegExp => new RegExp(`^the condition needs more work than its budget of ${units} units`);

/** The details of the budget refusal of `condition` evaluated on an empty scope with `budget` units. */
function budgetRefusal(condition: ReturnType<typeof parseCondition>, budget: number): Record<string, unknown> {
  try {
    condition.test({}, { budget });
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    const { details } = error as WorkflowError;
    expect(details['problem']).toMatch(budgetProblem(budget.toLocaleString('en-US')));
    return details;
  }
  throw new Error(`expected ${condition.source} to exceed a budget of ${String(budget)}`);
}

/** The `yes` and `no` processes the `if` of {@link ifFlow} chooses between. */
const BRANCHES = [process({ name: 'yes' }, () => undefined), process({ name: 'no' }, () => undefined)];

/**
 * No test here asserts a time (performance is measured by the benchmarks): a bomb is shown to be
 * stopped by the work budget, which counts units before doing the work. This timeout is only a
 * hang guard on a busy machine, not a speed assertion.
 */
describe('attack: conditions without a work budget', { timeout: 30_000 }, () => {
  // Each of these would run for minutes to hours (or exhaust memory) without a budget.
  const bombs = [
    'min([[0]*100000]*100000) == 0',
    'max([[0]*100000]*100000) == 0',
    '[[0]*100000]*100000 == [[0]*100000]*100000',
    '[[0]*100000]*100000 != [[0]*100000]*100000',
    '[[0]*100000]*100000 < [[0]*100000]*100000',
    '[[0]*100000]*100000 >= [[0]*100000]*100000',
    '[0]*99999 + [1] in [[0]*100000]*100000',
    '[0]*99999 + [2] not in [[0]*100000]*100000',
    '[[0]*100000]*100000 in [[[0]*100000]*100000]',
    'sum([[0]*1000]*1000, []) == []',
    'sum([[0]*100000]*100000, []) == []',
    "'a'*10**9 == ''",
    "'a'*10**7 == ''",
    "len('a'*10**7) > 0",
    "'ab'*400000 + 'ab'*400000 == ''",
    "'a'*600000 < 'a'*600000",
    "min(['a'*300000, 'a'*300000]*1000) == ''",
    "'b' in 'a'*999999",
    'len(str([[0]*100000]*100000)) > 0',
    'len(str([0]*400000)) > 0',
    "'x' in str([[[0]*100]*100]*100)",
    "len({'a': [0]*600000, 'b': [0]*600000}) > 0",
    'len(list) > 0 and min([list*30000]*100000) == 0',
    "float('1'*600000 + 'x') > 0",
    "int('1'*2000000) > 0",
    'max([[0]*1000]*1000 + [[0]*1000]*1000) == 0',
    '[[[0]*100]*100]*101 == [[[0]*100]*100]*101',
    '[0]*1000001 == []',
    '[[0]*1000]*1001 == [[0]*1000]*1001',
    'len([0]*500000 + [0]*500000) > 0',
  ];

  it.each(bombs)('%s fails with WORKFLOW_CONDITION, stopped by the work budget', async (condition) => {
    const scope = { list: [0, 1, 2] };
    const outcome = await branch(condition, scope);
    expect(outcome).toBeInstanceOf(WorkflowError);
    const error = outcome as WorkflowError;
    expect(error.code).toBe('WORKFLOW_CONDITION');
    expect(error.message).toMatch(/^<inline>:3:16: condition "/);
    expect(error.message).toContain(condition);
    expect(error.message).toContain('budget of 1,000,000 units');
    expect(error.details).toMatchObject({ file: '<inline>', line: 3, column: 16, condition, budget: 1_000_000 });
    expect(error.details['problem']).toMatch(budgetProblem('1,000,000'));
    // The bound is the counted work, not a clock: a smaller budget stops the same bomb the same way,
    // naming that budget.
    const small = (await branch(condition, scope, 1_000)) as WorkflowError;
    expect(small).toBeInstanceOf(WorkflowError);
    expect(small.details).toMatchObject({ condition, budget: 1_000 });
    expect(small.details['problem']).toMatch(budgetProblem('1,000'));
  });

  it('the budget is per evaluation: a loop re-evaluating a costly condition never accumulates', async () => {
    let runs = 0;
    const scope = { domain: { big: Array.from({ length: 200_000 }, (_, i) => i) } };
    const text = 'steps:\n  - flux: while\n    condition: "max(domain.big) > 0 and len(domain.big) > 0"\n    do: [tick]\n';
    const run = runWorkflow(loadWorkflow(text), { execute: () => void (runs++ === 20 && scope.domain.big.fill(0)), scope: () => scope });
    expect((await run).status).toBe('complete');
    expect(runs).toBe(21);
  });

  it('conditionBudget is configurable per run, and Infinity switches it off', async () => {
    expect(await branch('len([1, 2, 3]*5) > 0', {}, 10)).toMatchObject({ code: 'WORKFLOW_CONDITION' });
    expect(await branch('len([1, 2, 3]*5) > 0', {}, 15)).toBe('yes');
    const error = (await branch("len('a'*2000000) > 0", {})) as WorkflowError;
    expect(error.details).toMatchObject({ budget: 1_000_000 });
    expect(await branch("len('a'*2000000) > 0", {}, Infinity)).toBe('yes');
    expect(await branch('min([[0]*1000]*1000) == [0]*1000', {}, 5_000_000)).toBe('yes');
    for (const bad of [0, -1, 1.5, Number.NaN, '10' as unknown as number]) {
      await expect(runWorkflow(loadWorkflow(ifFlow('True')), runtime({}), { conditionBudget: bad })).rejects.toMatchObject({
        code: 'WORKFLOW_INVALID',
      });
    }
  });

  it('parseCondition() takes a budget per evaluation too', () => {
    const condition = parseCondition("len('a' * n) > 0");
    expect(condition.test({ n: 10 }, { budget: 10 })).toBe(true);
    expect(() => condition.test({ n: 11 }, { budget: 10 })).toThrow(/budget of 10 units/);
    expect(condition.evaluate({ n: 1e6 })).toBe(true);
    expect(() => condition.evaluate({ n: 1e6 + 1 })).toThrow(WorkflowError);
    expect(() => condition.test({ n: 1 }, { budget: -5 })).toThrow(WorkflowError);
  });

  it('constant folding at parse time does no unbounded work: big constants are left to the budget', () => {
    const condition = parseCondition("'a' * 10**7 == '' or [0] * 10**7 == []");
    expect(() => condition.test({})).toThrow(/budget/);
    // Nothing of it was computed at parse time: with a budget of one unit, the evaluation is
    // refused at the first `*` (offset 4); with 10,000,000 units it builds the string, then is
    // refused at the second `*` (offset 25). Both products are charged at run time.
    expect(budgetRefusal(condition, 1)).toMatchObject({ offset: 4, budget: 1 });
    expect(budgetRefusal(condition, 10_000_000)).toMatchObject({ offset: 25, budget: 10_000_000 });
    // Small constants are folded at parse time, under the fold budget (1,000 units): they cost no
    // evaluation budget at all. One unit more is left to run time.
    expect(parseCondition("'a' * 1000 == ''").test({}, { budget: 1 })).toBe(false);
    expect(budgetRefusal(parseCondition("'a' * 1001 == ''"), 1)).toMatchObject({ offset: 4, budget: 1 });
  });

  it('ordinary conditions, including the SPEC examples, stay far below the budget', async () => {
    const scope = {
      domain: { paid: true, items: Array.from({ length: 1000 }, (_, i) => `item ${String(i)}`), retries: 1, name: 'x'.repeat(10_000) },
      signal: { cmd_stop: false },
    };
    for (const condition of [
      "domain['paid'] == True and len(domain.items) > 0",
      "domain.retries < 3 and not signal.get('cmd_stop')",
      "'item 999' in domain.items and max(domain.items) == 'item 999'",
      "str(domain.retries) + '/3' == '1/3' and len(domain.name) == 10000",
      'sum([len(domain.items), domain.retries]) == 1001',
    ]) {
      expect(await branch(condition, scope)).toBe('yes');
    }
  });

  it('a bomb in a workflow run by the engine fails the run, names the condition and changes nothing', async () => {
    const step = process({ name: 'step', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);
    const engine = new Engine({ context: { domain: { n: 0 } }, processes: [step] });
    const text = 'steps:\n  - step\n  - flux: while\n    condition: "min([[domain.n]*100000]*100000) == 0"\n    do: [step]\n';
    const error = await failure(engine.executeWorkflow(text));
    expect(error.code).toBe('WORKFLOW_CONDITION');
    expect(error.message).toContain('<inline>:4:16');
    expect(error.message).toContain('min([[domain.n]*100000]*100000) == 0');
    expect(error.details).toMatchObject({ status: 'failed', executed: ['step'], line: 4, column: 16 });
    expect(engine.state).toEqual({ domain: { n: 1 } });
  });
});

describe('attack: deeply nested condition text', () => {
  const n = 10_000;
  const texts = [
    '('.repeat(n) + '1' + ')'.repeat(n),
    '('.repeat(n),
    'not '.repeat(n) + 'x',
    '!'.repeat(n) + 'x',
    'not ('.repeat(n / 2) + 'x' + ')'.repeat(n / 2),
    '-'.repeat(n) + '1',
    '+-'.repeat(n / 2) + '1',
    '['.repeat(n) + ']'.repeat(n),
    '['.repeat(n),
    "{'a': ".repeat(n) + '1' + '}'.repeat(n),
    'x' + '.y'.repeat(n),
    'x' + '[0]'.repeat(n),
    'x' + "['k']".repeat(n),
    '1' + ' + 1'.repeat(n),
    '2' + ' ** 2'.repeat(n),
    '1' + ' * 1'.repeat(n),
    'len('.repeat(n) + 'x' + ')'.repeat(n),
    'x.get('.repeat(n) + "'k'" + ')'.repeat(n),
    'x['.repeat(n) + '0' + ']'.repeat(n),
    '(not -'.repeat(n / 2) + '1' + ')'.repeat(n / 2),
  ];

  it.each(texts.map((text) => [text.slice(0, 24), text] as const))('%s… is refused at parse time with a typed error', (_, text) => {
    let thrown: unknown;
    try {
      parseCondition(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConditionSyntaxError);
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect((thrown as ConditionSyntaxError).message).toMatch(/nested too deeply|expected|unexpected/);
  });

  it.each(texts.slice(0, 6).map((text) => [text.slice(0, 24), text] as const))(
    '%s… in a workflow is WORKFLOW_INVALID with the file position',
    (_, text) => {
      let thrown: unknown;
      try {
        loadWorkflow(ifFlow(text), { file: 'deep.yaml' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(WorkflowError);
      expect((thrown as WorkflowError).code).toBe('WORKFLOW_INVALID');
      expect((thrown as WorkflowError).message).toMatch(/^deep\.yaml:3:\d+: condition does not parse: .*nested too deeply/);
    },
  );

  it('long flat chains are not nesting: they parse and run', () => {
    expect(parseCondition('x' + ' and x'.repeat(n)).test({ x: 1 })).toBe(true);
    expect(parseCondition('x' + ' or x'.repeat(n)).test({ x: 0 })).toBe(false);
    expect(parseCondition('x' + ' <= x'.repeat(n)).test({ x: 1 })).toBe(true);
  });

  it('nesting up to the cap still works', () => {
    expect(parseCondition('('.repeat(150) + '1' + ')'.repeat(150)).evaluate({})).toBe(1);
    expect(parseCondition('not '.repeat(150) + 'True').evaluate({})).toBe(true);
  });
});

describe('attack: PRIVATE data leaking into conditions', () => {
  // Distinctive values: a short number could appear in a stack trace's line numbers.
  const SECRETS = ['hunter2', 'tok-123', '97531864', 's3cr3t', 'api-key', 'sig-secret'];
  const context = () => ({
    domain: {
      internal_secret: 'hunter2',
      nested: { internal_token: 'tok-123', ok: 1 },
      list: [{ internal_pin: 97531864 }],
      const_cfg: { internal_deep: 'hunter2' },
      plain: 'visible',
    },
    internal_vault: { key: 's3cr3t' },
    global: { internal_api: 'api-key', region: 'eu' },
  });
  const scope: ConditionScope = {
    ...context(),
    signal: { sig_x: { internal_note: 'sig-secret', shown: 1 } },
    cmd: {},
    m: new Map<unknown, unknown>([
      ['internal_k', 'hunter2'],
      ['open', 1],
    ]),
  };

  /** Asserts no secret appears anywhere in an error (message, details, cause chain). */
  function leakFree(error: unknown): void {
    const seen: string[] = [];
    for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
      seen.push(String(e), JSON.stringify((e as { details?: unknown }).details ?? null), (e as Error).stack ?? '');
    }
    for (const secret of SECRETS) expect(seen.join('\n')).not.toContain(secret);
  }

  it.each([
    "domain.get('internal_secret') is None",
    "not ('internal_secret' in domain)",
    "'internal_secret' not in domain.keys()",
    "'hunter2' not in domain.values()",
    "'hunter2' not in str(domain)",
    "'tok' not in str(domain.nested)",
    "domain.nested == {'ok': 1}",
    'len(domain.nested) == 1',
    'domain.list[0] == {}',
    'not domain.list[0]',
    'len(domain.list[0]) == 0',
    'sum(domain.list[0].values()) == 0',
    "domain.get('internal_' + 'secret', 'absent') == 'absent'",
    'domain.const_cfg == {}',
    "'hunter2' not in str(domain.items())",
    "global.get('internal_api') is None and global.region == 'eu'",
    "'internal_api' not in global",
    "signal.sig_x == {'shown': 1}",
    "'sig-secret' not in str(signal)",
    "m.get('internal_k') is None and len(m) == 1 and 'internal_k' not in m",
    "max(domain.keys()) == 'plain'",
    "min(domain.nested) == 'ok'",
    "{'internal_x': 1}.get('internal_x') is None",
  ])('%s holds: PRIVATE keys are absent', (condition) => {
    expect(parseCondition(condition).test(scope)).toBe(true);
  });

  it.each([
    ['domain.internal_secret', "no key 'internal_secret'"],
    ["domain['internal_secret']", "no key 'internal_secret'"],
    ["domain['internal_' + 'secret'] == 'x'", "no key 'internal_secret'"],
    ['int(domain.internal_secret)', "no key 'internal_secret'"],
    ['domain.internal_secret + 1', "no key 'internal_secret'"],
    ['domain.nested.internal_token', "no key 'internal_token'"],
    ['domain.list[0].internal_pin > 0', "no key 'internal_pin'"],
    ['domain.const_cfg.internal_deep', "no key 'internal_deep'"],
    ['internal_vault.key', "unknown name 'internal_vault'"],
    ['global.internal_api', "no key 'internal_api'"],
    ["m['internal_k']", "no key 'internal_k'"],
    ['signal.sig_x.internal_note', "no key 'internal_note'"],
  ])('%s fails like an absent key, quoting no value', (condition, problem) => {
    const error = evaluationError(condition, scope);
    expect(error.code).toBe('WORKFLOW_CONDITION');
    expect(error.message).toContain(problem);
    expect(error.message).toContain('PRIVATE');
    leakFree(error);
  });

  it('errors about visible values never quote a PRIVATE one', () => {
    for (const condition of ['int(domain.plain) > 0', 'domain.nested < 1', 'str(domain) < 1', "domain.nested['missing']"]) {
      leakFree(evaluationError(condition, scope));
    }
  });

  it('through the engine: PRIVATE layers and keys are invisible, at load and at run time', async () => {
    const engine = new Engine({ context: context(), processes: BRANCHES });
    const atLoad = await failure(engine.executeWorkflow(ifFlow('internal_vault.key == 1')));
    expect(atLoad.code).toBe('WORKFLOW_INVALID');
    expect(atLoad.message).toContain("'internal_vault': names starting with 'internal_' are PRIVATE");
    leakFree(atLoad);
    for (const condition of [
      'domain.internal_secret == 1',
      'int(domain.internal_secret) > 0',
      'str(domain.internal_secret) > 0',
      'domain.nested.internal_token',
      "global['internal_api']",
      'domain.list[0].internal_pin',
    ]) {
      const error = await failure(engine.executeWorkflow(ifFlow(condition)));
      expect(error.code).toBe('WORKFLOW_CONDITION');
      expect(error.message).toContain('<inline>:3:16');
      leakFree(error);
    }
    const quiet = await engine.executeWorkflow(ifFlow("domain.get('internal_secret') is None and 'hunter' not in str(domain)"));
    expect(quiet.executed).toEqual(['yes']);
  });
});

describe('attack: prototype keys in conditions', () => {
  const polluted = (): boolean => Object.hasOwn(Object.prototype, 'polluted') || ({} as Record<string, unknown>)['polluted'] !== undefined;

  it.each([
    "domain.get('__proto__') is None",
    "domain.get('constructor') is None",
    "'__proto__' not in domain",
    "'constructor' not in domain",
    "'toString' not in domain",
    "domain.get('hasOwnProperty', 1) == 1",
    "{'__proto__': {'polluted': 1}}['__proto__'] == {'polluted': 1}",
    "{'constructor': 1}.constructor == 1",
    "len({'__proto__': 1}) == 1",
  ])('%s holds and pollutes nothing', (condition) => {
    expect(parseCondition(condition).test({ domain: { a: 1 } })).toBe(true);
    expect(polluted()).toBe(false);
  });

  it.each([
    'domain.__proto__',
    'domain.constructor',
    "domain['__proto__']",
    'domain.a.constructor',
    "domain.constructor['name']",
    '[].constructor',
  ])('%s is refused as an absent key', (condition) => {
    expect(evaluationError(condition, { domain: { a: 1 } }).code).toBe('WORKFLOW_CONDITION');
  });

  it('own data keys named like prototype members are plain data', () => {
    const data = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}') as object;
    expect(parseCondition("d['__proto__'] == {'polluted': 1} and d.constructor == 2").test({ d: data })).toBe(true);
    expect(polluted()).toBe(false);
  });

  it('workflow arguments and machine states named __proto__ stay own data', async () => {
    const seen: unknown[] = [];
    const text = 'steps:\n  - process: p\n    args: { __proto__: { polluted: 1 }, constructor: 2 }\n';
    await runWorkflow(loadWorkflow(text), { execute: (_, args) => void seen.push(args), scope: () => ({}) });
    const args = seen[0] as object;
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(Object.hasOwn(args, '__proto__')).toBe(true);
    expect(polluted()).toBe(false);
    const engine = new Engine();
    const machine = engine.machine('initial: __proto__\nstates:\n  __proto__: { events: { GO: constructor } }\n  constructor: {}\n');
    expect(machine.state).toBe('__proto__');
    await machine.send('GO');
    expect(machine.state).toBe('constructor');
    expect(polluted()).toBe(false);
  });
});

describe('attack: `global` in conditions (SPEC 6: a name like every layer)', () => {
  it.each([
    ['global.x > 1', true],
    ["global['x'] == 2", true],
    ["global.get('x') == 2", true],
    ["global.get('missing', 5) == 5", true],
    ["'x' in global", true],
    ['len(global) == 2', true],
    ['global.nested.deep == [1, 2]', true],
    ['global.x > 1 and domain.y < global.x', true],
    ['not global', false],
    ['global.x < 1', false],
  ] as const)('%s is %s', (condition, want) => {
    expect(parseCondition(condition).test({ global: { x: 2, nested: { deep: [1, 2] } }, domain: { y: 1 } })).toBe(want);
  });

  it('is a free name of the condition, checked against the layers at load', () => {
    expect(parseCondition('global.x > 1').names).toEqual(['global']);
    const wf = loadWorkflow(ifFlow('global.x > 1'), { scopeNames: new Set(['global', 'domain']) });
    expect(wf.steps[0]?.kind).toBe('if');
  });

  it('other Python keywords stay reserved', () => {
    for (const word of ['nonlocal', 'lambda', 'import', 'def']) expect(() => parseCondition(`${word} == 1`)).toThrow(ConditionSyntaxError);
  });

  it('works through the engine, with the global layer present or absent', async () => {
    const engine = new Engine({ context: { global: { x: 2 }, domain: {} }, processes: BRANCHES });
    expect((await engine.executeWorkflow(ifFlow('global.x > 1'))).executed).toEqual(['yes']);
    expect((await engine.executeWorkflow(ifFlow("global['x'] == 2 and len(global) == 1"))).executed).toEqual(['yes']);
    const bare = new Engine({ context: { domain: {} }, processes: BRANCHES });
    expect((await bare.executeWorkflow(ifFlow("global.get('x') is None"))).executed).toEqual(['yes']);
  });
});
