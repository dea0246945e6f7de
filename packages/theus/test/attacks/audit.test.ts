/**
 * Attacks on the audit layer (issue 8): catastrophic regexes, PRIVATE data reaching the log,
 * events and errors, and values nested deep enough to overflow the stack. Everything goes through
 * the public API (`new Engine({ audit })`, `loadAuditRecipe`).
 */
import { describe, expect, it } from 'vitest';
import { AuditBlockError, AuditError, Engine, loadAuditRecipe, process, type AuditEvent, type AuditRecipe } from 'theus';
import { thrown } from './expect-failure.js';

/** A process that reads nothing and writes nothing: only its input gate runs. */
const check = process({ name: 'check' }, () => undefined);

/** A process that bumps `domain.n`, so its output gate runs on the whole committed state. */
const bump = process({ name: 'bump', inputs: ['domain.n'], outputs: ['domain.n'] }, (ctx) => (ctx.domain.n as number) + 1);

/** The YAML recipe of one input rule on `code`; the value of `regex:` starts at line 5, column 16. */
const regexRecipe = (pattern: string, extra = ''): string =>
  `process_recipes:\n  check:\n    inputs:\n      - field: code\n        regex: ${JSON.stringify(pattern)}${extra}\n`;

/** The single issue of an `AUDIT_RECIPE_INVALID` error. */
function onlyIssue(error: unknown): { line: number; column: number; path: string; message: string } {
  expect(error).toBeInstanceOf(AuditError);
  expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
  const issues = (error as AuditError).details.issues as { line: number; column: number; path: string; message: string }[];
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

function regexEngine(pattern: string): Engine {
  return new Engine({ context: {}, processes: [check], audit: regexRecipe(pattern) });
}

describe('catastrophic regexes are matched in linear time', () => {
  // Each pattern backtracks exponentially in V8 on its hostile input; RE2 answers at once.
  const cases: readonly { pattern: string; hostile: string; benign: string }[] = [
    { pattern: '^(a+)+$', hostile: `${'a'.repeat(40)}!`, benign: 'aaaa' },
    { pattern: '^(a*)*$', hostile: `${'a'.repeat(40)}!`, benign: 'aaa' },
    { pattern: '^(a|a)*$', hostile: `${'a'.repeat(40)}!`, benign: 'aa' },
    { pattern: '^(a|aa)+$', hostile: `${'a'.repeat(60)}!`, benign: 'aaaaa' },
    { pattern: '^(.*a){12}$', hostile: `${'a'.repeat(40)}!`, benign: 'a'.repeat(12) },
    { pattern: '^([a-zA-Z]+)*$', hostile: `${'Ab'.repeat(30)}1`, benign: 'AbcDef' },
    { pattern: '(x+x+)+y', hostile: 'x'.repeat(50), benign: 'xxy' },
    { pattern: '^(\\w+\\s?)*$', hostile: `${'word '.repeat(20)}!`, benign: 'two words' },
    {
      pattern: '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
      hostile: `${'a'.repeat(50)}!`,
      benign: 'jo.doe@mail.com',
    },
    { pattern: '^(\\d+)*[a-z]$', hostile: `${'1'.repeat(45)}!`, benign: '123x' },
  ];

  it.each(cases)('$pattern: the hostile value is blocked, a benign one passes', async ({ pattern, hostile, benign }) => {
    const engine = regexEngine(pattern);
    const error = await engine.execute('check', { code: hostile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditBlockError);
    expect((error as AuditBlockError).message).toContain('does not match');
    await expect(engine.execute('check', { code: benign })).resolves.toBeUndefined();
    // A hundred thousand characters are still answered (linearly), and still fail.
    await expect(engine.execute('check', { code: hostile.slice(0, 1) + hostile.repeat(2500) })).rejects.toBeInstanceOf(AuditBlockError);
    expect(engine.audit.logs().map((e) => e.status)).toEqual(['fail', 'pass', 'fail']);
  });

  it('keeps the search semantics of before: unanchored unless ^ and $ say otherwise', async () => {
    const verdict = async (pattern: string, code: string): Promise<boolean> =>
      regexEngine(pattern)
        .execute('check', { code })
        .then(
          () => true,
          () => false,
        );
    expect(await verdict('ab', 'xxabxx')).toBe(true);
    expect(await verdict('^PROD', 'PROD-1')).toBe(true);
    expect(await verdict('^PROD', 'XPROD')).toBe(false);
    expect(await verdict('^SAFE$', 'SAFE\n')).toBe(false);
    expect(await verdict('^User.*', 'User42')).toBe(true);
    expect(await verdict('(?i)^user', 'USER')).toBe(true);
    expect(await verdict('^(?P<year>\\d{4})-(?<month>\\d{2})$', '2026-12')).toBe(true);
    expect(await verdict('\\(?=', 'a(?=b')).toBe(true); // escaped: a literal, not a lookahead
    expect(await verdict('[(?=]x', '=x')).toBe(true); // inside a class: literal characters
    expect(await verdict('^\\x{e9}$', 'é')).toBe(true);
    expect(await verdict('^.$', '😀')).toBe(true); // RE2 matches code points
  });

  it('fails non-strings without matching them', async () => {
    const engine = regexEngine('.*');
    for (const code of [1, true, null, ['a'], { a: 'a' }]) {
      await expect(engine.execute('check', { code })).rejects.toThrow(/expected a string matching/);
    }
  });
});

describe('regexes RE2 cannot run are rejected at load, with their position and a hint', () => {
  const rejected: readonly { pattern: string; says: RegExp }[] = [
    { pattern: '(a)\\1', says: /backreference \(\\1 at character 4/ },
    { pattern: '^(\\w+) \\2$', says: /backreference \(\\2 at character 8/ },
    { pattern: '(?<n>a)\\k<n>', says: /named backreference \(\\k< at character 8/ },
    { pattern: '(?P<n>a)(?P=n)', says: /named backreference \(\(\?P= at character 9/ },
    { pattern: 'a(?=b)', says: /lookahead \(\(\?= at character 2/ },
    { pattern: '^(?!admin).*$', says: /negative lookahead \(\(\?! at character 2.*'neq'/ },
    { pattern: '(?<=\\$)\\d+', says: /lookbehind \(\(\?<= at character 1/ },
    { pattern: '(?<!-)\\d+', says: /lookbehind \(\(\?<! at character 1/ },
    { pattern: '(?>a+)b', says: /atomic group \(\(\?> at character 1/ },
    { pattern: '[a-z]+(?=\\d)', says: /lookahead \(\(\?= at character 7/ },
  ];

  it.each(rejected)('$pattern', ({ pattern, says }) => {
    const issue = onlyIssue(thrown(() => loadAuditRecipe(regexRecipe(pattern), { file: 'specs/audit.yaml' })));
    expect(issue).toMatchObject({ line: 5, column: 16, path: 'process_recipes.check.inputs[0].regex' });
    expect(issue.message).toMatch(says);
    expect(issue.message).toMatch(/which RE2 cannot run \(it matches in linear time, so that no value can stall the check\): \w/);
    const error = thrown(() => new Engine({ context: {}, processes: [check], audit: regexRecipe(pattern) }));
    expect((error as AuditError).message).toMatch(/^Invalid audit recipe \(1 problem\):\n<inline>:5:16: 'regex' uses /);
  });

  it.each([
    { pattern: 'a++', says: /does not compile: invalid nested repetition operator/ },
    { pattern: '(', says: /does not compile: missing closing \)/ },
    { pattern: '\\u00e9', says: /invalid escape sequence.*write \\x\{00e9\}/ },
    { pattern: 'end\\Z', says: /invalid escape sequence.*write \\z or \$/ },
    { pattern: 'a{1001}', says: /invalid repeat count/ },
    { pattern: '((a{100}){100}){100}', says: /invalid repeat count/ },
  ])('reports what RE2 says of $pattern', ({ pattern, says }) => {
    const issue = onlyIssue(thrown(() => loadAuditRecipe(regexRecipe(pattern))));
    expect(issue).toMatchObject({ line: 5, column: 16 });
    expect(issue.message).toMatch(says);
  });

  it('names the key path for object recipes', () => {
    const audit = { process_recipes: { check: { inputs: [{ field: 'code', regex: '(a)\\1' }] } } };
    const issue = onlyIssue(thrown(() => new Engine({ context: {}, processes: [check], audit })));
    expect(issue).toMatchObject({ line: 0, column: 0, path: 'process_recipes.check.inputs[0].regex' });
  });

  it('caps the pattern length at 1,000 characters', () => {
    expect(() => loadAuditRecipe(regexRecipe('a'.repeat(1000)))).not.toThrow();
    const issue = onlyIssue(thrown(() => loadAuditRecipe(regexRecipe('a'.repeat(1001)))));
    expect(issue.message).toMatch(/is 1001 characters long, over the limit of 1000/);
  });

  it('caps the compiled program size', () => {
    const issue = onlyIssue(thrown(() => loadAuditRecipe(regexRecipe('\\p{L}{1,1000}'.repeat(6)))));
    expect(issue.message).toMatch(/too complex \(its compiled program has \d+ instructions, over the limit of 10000\)/);
  });

  it('reports every bad regex of a recipe at once', () => {
    const yaml = `process_recipes:\n  check:\n    inputs:\n      - { field: a, regex: "(?=x)" }\n      - { field: b, regex: "(a)\\\\1" }\n      - { field: c, regex: "ok" }\n`;
    const error = thrown(() => loadAuditRecipe(yaml)) as AuditError;
    expect((error.details.issues as { line: number }[]).map((i) => i.line)).toEqual([4, 5]);
  });
});

describe('the length of the string a regex examines is capped', () => {
  const maxInputOf = (recipe: AuditRecipe): number => {
    const rule = recipe.processes['check']?.inputs[0];
    const regex = rule?.checks[0];
    if (regex?.kind !== 'regex') throw new Error('expected a regex check');
    return regex.regex.maxInput;
  };

  it('examines up to 1,000,000 characters with a simple pattern', async () => {
    const recipe = loadAuditRecipe(regexRecipe('^(a+)+$'));
    expect(maxInputOf(recipe)).toBe(1_000_000);
    const engine = new Engine({ context: {}, processes: [check], audit: recipe });
    await expect(engine.execute('check', { code: 'a'.repeat(1_000_000) })).resolves.toBeUndefined();
    const error = await engine.execute('check', { code: 'a'.repeat(1_000_001) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditBlockError);
    expect((error as AuditBlockError).message).toMatch(
      /a string of 1000001 characters is longer than the 1000000 that \/\^\(a\+\)\+\$\/ examines, so it was not matched: cap the field with a max_len rule/,
    );
  });

  it('examines fewer characters when the pattern is complex (work = program size × length)', async () => {
    const recipe = loadAuditRecipe(regexRecipe('^[ab]*a[ab]{999}$'));
    const limit = maxInputOf(recipe);
    expect(limit).toBeGreaterThan(1000);
    expect(limit).toBeLessThan(20_000);
    const engine = new Engine({ context: {}, processes: [check], audit: recipe });
    await expect(engine.execute('check', { code: 'a'.repeat(limit) })).resolves.toBeUndefined();
    await expect(engine.execute('check', { code: 'a'.repeat(limit + 1) })).rejects.toThrow(/longer than the \d+ that/);
  });

  it('quotes long patterns cut to 80 characters', async () => {
    const pattern = `^${'x'.repeat(200)}$`;
    const error = (await regexEngine(pattern)
      .execute('check', { code: 'y' })
      .catch((e: unknown) => e)) as AuditBlockError;
    expect(error.message).toContain(`/^${'x'.repeat(78)}…/`);
    expect(error.message).not.toContain('x'.repeat(100));
  });
});

describe('PRIVATE fields cannot be audit rule fields', () => {
  const privateFields = [
    'domain.internal_secret',
    'internal_vault.key',
    'domain.user.internal_pin',
    'global.internal_cfg.limit',
    'inventory.items.internal_cost',
    'domain.internal_',
  ];

  it.each(privateFields)('rejects %s at the input gate, with its position', (field) => {
    const yaml = `process_recipes:\n  check:\n    inputs:\n      - { field: ${field}, min: 0 }\n`;
    const issue = onlyIssue(thrown(() => loadAuditRecipe(yaml, { file: 'audit.yaml' })));
    expect(issue).toMatchObject({ line: 4, column: 18, path: 'process_recipes.check.inputs[0].field' });
    expect(issue.message).toMatch(new RegExp(`field '${field}' is in the PRIVATE zone \\(segment 'internal_`));
    expect(issue.message).toMatch(/audit a non-private field instead/);
  });

  it.each(privateFields)('rejects %s at the output gate, in the rules: format and in a base', (field) => {
    const outputs = `process_recipes:\n  bump:\n    outputs:\n      - { field: ${field}, max: 1 }\n`;
    expect(onlyIssue(thrown(() => loadAuditRecipe(outputs))).path).toBe('process_recipes.bump.outputs[0].field');
    const rules = `rules:\n  - process: bump\n    output_rules:\n      - { key: ${field}, max: 1 }\n`;
    expect(onlyIssue(thrown(() => loadAuditRecipe(rules))).path).toBe('rules[0].output_rules[0].key');
    const base = { process_recipes: { _base: { inputs: [{ field, min: 0 }] }, bump: { inherits: '_base' } } };
    expect(onlyIssue(thrown(() => new Engine({ context: {}, processes: [bump], audit: base }))).path).toBe(
      'process_recipes._base.inputs[0].field',
    );
  });

  it('still accepts an argument named internal_… (arguments are not context paths)', async () => {
    const engine = new Engine({
      context: {},
      processes: [check],
      audit: { process_recipes: { check: { inputs: [{ field: 'internal_token', min_len: 4 }] } } },
    });
    await expect(engine.execute('check', { internal_token: 'abcd' })).resolves.toBeUndefined();
  });

  it.each([
    { rule: '{ field: domain.user, eq: { name: bob, internal_pin: 1234 } }', key: 'internal_pin', path: 'eq.internal_pin' },
    { rule: '{ field: domain.user, neq: { a: { internal_x: 1 } } }', key: 'internal_x', path: 'neq.a.internal_x' },
    { rule: '{ field: domain.user, in: [ { a: 1 }, [ { internal_y: 2 } ] ] }', key: 'internal_y', path: 'in[1][0].internal_y' },
  ])('rejects compared values that name PRIVATE keys: $key', ({ rule, key, path }) => {
    const issue = onlyIssue(thrown(() => loadAuditRecipe(`process_recipes:\n  bump:\n    outputs:\n      - ${rule}\n`)));
    expect(issue.path).toBe(`process_recipes.bump.outputs[0].${path}`);
    expect(issue.message).toContain(`names the PRIVATE key '${key}'`);
    expect(issue.line).toBe(4);
  });

  it('never reads PRIVATE paths, even for a hand-built recipe that names one', async () => {
    const rule = {
      gate: 'output',
      index: 0,
      field: 'domain.internal_pin',
      checks: [{ kind: 'eq', value: 1234 }],
      level: 'B',
      minThreshold: 0,
      maxThreshold: 1,
      resetOnSuccess: true,
      where: 'hand-built',
    };
    const processes = Object.assign(Object.create(null) as object, {
      bump: { name: 'bump', inherits: [], settings: rule, inputs: [], outputs: [rule], sideEffects: [], errors: [] },
    });
    const recipe = deepFreeze({
      file: '<hand>',
      defaults: { level: 'B', minThreshold: 0, maxThreshold: 1, resetOnSuccess: true },
      processes,
    });
    const engine = new Engine({ context: { domain: { n: 0, internal_pin: 1234 } }, processes: [bump], audit: recipe as AuditRecipe });
    await engine.execute('bump');
    expect(engine.audit.logs()).toMatchObject([{ field: 'domain.internal_pin', status: 'skipped', value: 'undefined' }]);
  });
});

describe('no audit output quotes a PRIVATE value', () => {
  const SECRETS = ['hunter2', '123-45-6789', '4111111111111111', 'sk_live_abc'];
  const context = {
    domain: {
      n: 0,
      user: { name: 'bob', internal_password: 'hunter2' },
      users: [{ name: 'al', profile: { internal_ssn: '123-45-6789' } }],
      card: { internal_number: '4111111111111111', last4: '1111' },
    },
  };

  /** Everything a user can see of the audit: events, the error, its JSON, and the log. */
  async function everythingSeen(level: string, rules: string, args?: Record<string, unknown>): Promise<string> {
    const engine = new Engine({
      context,
      processes: [bump, check],
      audit: `process_recipes:\n  bump:\n    level: ${level}\n    outputs:\n${rules}\n  check:\n    level: ${level}\n    inputs:\n      - { field: payload, max_len: 0 }\n`,
    });
    const events: AuditEvent[] = [];
    engine.on('audit', (event) => events.push(event));
    const errors: unknown[] = [];
    await engine.execute('bump').catch((e: unknown) => errors.push(e));
    if (args !== undefined) await engine.execute('check', args).catch((e: unknown) => errors.push(e));
    const seen = [
      JSON.stringify(events),
      ...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${JSON.stringify((e as AuditError).details)}`),
      JSON.stringify(engine.audit.logs()),
    ].join('\n');
    expect(seen).toContain('[private]');
    return seen;
  }

  const rules = [
    '      - { field: domain.user, max_len: 1 }',
    '      - { field: domain.user, eq: { name: eve } }',
    '      - { field: domain.user, in: [ 1, 2 ] }',
    '      - { field: domain.users, max_len: 0 }',
    '      - { field: domain.card, neq: { last4: "0000" }, eq: 3 }',
    '      - { field: domain.users, eq: [] }',
  ];

  it.each(['B', 'A', 'S', 'C', 'I'])('level %s: errors, events and the log redact PRIVATE keys', async (level) => {
    const seen = await everythingSeen(level, rules.join('\n'), {
      payload: { token: { internal_key: 'sk_live_abc' }, list: [{ internal_ssn: '123-45-6789' }] },
    });
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
    expect(seen).toMatch(/"internal_password\\?":\[private\]/);
  });

  it.each(rules)('one rule at a time: %s', async (rule) => {
    const seen = await everythingSeen('C', rule);
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
  });
});

describe('deeply nested values give typed errors, never RangeError', () => {
  const nestedList = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const nestedMap = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { k: value };
    return value;
  };

  it.each([65, 1000, 10_000, 100_000])('an object recipe whose eq value nests %i levels', (depth) => {
    for (const value of [nestedList(depth), nestedMap(depth)]) {
      for (const rule of [
        { field: 'x', eq: value },
        { field: 'x', neq: value },
        { field: 'x', in: [1, value] },
      ]) {
        const error = thrown(
          () => new Engine({ context: {}, processes: [check], audit: { process_recipes: { check: { inputs: [rule] } } } }),
        );
        expect(error).toBeInstanceOf(AuditError);
        expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
        expect((error as AuditError).message).toMatch(/nest/);
      }
    }
  });

  it.each([65, 1000, 20_000])('a YAML recipe whose eq value nests %i levels', (depth) => {
    const yaml = `process_recipes:\n  check:\n    inputs:\n      - { field: x, eq: ${'['.repeat(depth)}1${']'.repeat(depth)} }\n`;
    const error = thrown(() => loadAuditRecipe(yaml));
    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).code).toBe('AUDIT_RECIPE_INVALID');
    expect((error as AuditError).message).toMatch(/^Invalid audit recipe/);
  });

  it('accepts a compared value exactly 64 levels deep, and compares it', async () => {
    const yaml = `process_recipes:\n  check:\n    inputs:\n      - { field: x, eq: ${'['.repeat(64)}1${']'.repeat(64)} }\n`;
    const issue = onlyIssue(thrown(() => loadAuditRecipe(yaml.replace('[1]', '[[1]]'))));
    expect(issue).toMatchObject({ line: 4 });
    expect(issue.message).toMatch(/nests deeper than 64 levels/);
    const engine = new Engine({ context: {}, processes: [check], audit: yaml });
    await expect(engine.execute('check', { x: nestedList(64) })).resolves.toBeUndefined();
    await expect(engine.execute('check', { x: nestedList(63) })).rejects.toBeInstanceOf(AuditBlockError);
  });

  it.each([
    { rule: { field: 'x', eq: [[1]] }, name: 'eq' },
    { rule: { field: 'x', neq: { k: { k: 1 } } }, name: 'neq' },
    { rule: { field: 'x', in: [[1], { k: 1 }] }, name: 'in' },
    { rule: { field: 'x', max_len: 0 }, name: 'max_len' },
    { rule: { field: 'x', regex: 'a' }, name: 'regex' },
  ])('checks an argument nested 200,000 levels deep with $name', async ({ rule }) => {
    const engine = new Engine({ context: {}, processes: [check], audit: { process_recipes: { check: { inputs: [rule] } } } });
    for (const x of [nestedList(200_000), nestedMap(200_000)]) {
      const error = await engine.execute('check', { x }).catch((e: unknown) => e);
      if (rule.neq !== undefined) {
        expect(error).toBeUndefined();
        continue;
      }
      expect(error).toBeInstanceOf(AuditBlockError);
      // The preview is bounded, however deep the value.
      const actual = ((error as AuditBlockError).details.failures as { actual: string }[])[0]!.actual;
      expect(actual.length).toBeLessThanOrEqual(80);
    }
    expect(engine.audit.logs().every((entry) => entry.value.length <= 80)).toBe(true);
  });

  it('checks a cyclic argument without looping', async () => {
    const engine = new Engine({
      context: {},
      processes: [check],
      audit: { process_recipes: { check: { inputs: [{ field: 'x', eq: { self: { self: { self: 1 } } } }] } } },
    });
    const x: Record<string, unknown> = {};
    x['self'] = x;
    const error = (await engine.execute('check', { x }).catch((e: unknown) => e)) as AuditBlockError;
    expect(error).toBeInstanceOf(AuditBlockError);
    expect(error.message).toContain('[cycle]');
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<string | symbol, unknown>)[key]);
  }
  return value;
}
