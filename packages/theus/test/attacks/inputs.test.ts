import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, loadAuditRecipe, loadMachine, loadWorkflow, process, TheusError, WorkflowError } from 'theus';
import { loadWorkflowFile } from '../../src/flux/load-workflow-file.js';
import { failure } from './expect-failure.js';

const MiB = 1_048_576;
const ok = process({ name: 'p' }, () => undefined);

/** Runs `load`, which must throw a typed Theus error (never a RangeError), and returns it. */
function refusal(load: () => unknown): { error: TheusError } {
  try {
    load();
  } catch (error) {
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(TheusError);
    return { error: error as TheusError };
  }
  throw new Error('expected the input to be refused');
}

/** The single issue of a refusal: a bound stops the loader at its first breach, so there is exactly one. */
function onlyIssue(error: TheusError): { line: number; column: number; message: string } {
  const issues = error.details.issues as { line: number; column: number; message: string }[];
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

/**
 * No test here asserts a time (performance is measured by the benchmarks): each attack is shown to
 * be bounded by the typed error naming the bound that stopped it, and where it stopped. This
 * timeout is only a hang guard for the large inputs on a busy machine, not a speed assertion.
 */
const HANG_GUARD = { timeout: 30_000 };

/** A temporary directory for files. */
function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'theus-inputs-'));
}

/** A workflow of `n` process steps. */
function manySteps(n: number): string {
  return 'steps:\n' + '  - p\n'.repeat(n);
}

/** YAML nesting `depth` flow lists: `[[[...]]]`. */
const flowNest = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
/** YAML nesting `depth` block mappings, one per line. */
const blockNest = (depth: number): string => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n';
/** YAML nesting `depth` compact sequences on one line: `- - - x`. */
const dashNest = (depth: number): string => '- '.repeat(depth) + 'x\n';
/** YAML nesting `depth` flow mappings: `{a: {a: ...}}`. */
const flowMapNest = (depth: number): string => '{a: '.repeat(depth) + '1' + '}'.repeat(depth);

/** The classic "billion laughs": 9 levels, each referencing the previous one 10 times. */
function billionLaughs(key: string): string {
  const lines = ['a0: &a0 "lol"'];
  for (let level = 1; level <= 9; level++) {
    lines.push(`a${String(level)}: &a${String(level)} [${Array.from({ length: 10 }, () => `*a${String(level - 1)}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n${key}: *a9\n`;
}

/** One wide anchor (20,000 items) expanded 100 times: few aliases, two million nodes. */
function wideBomb(key: string): string {
  return `wide: &w [${Array.from({ length: 20_000 }, () => '0').join(',')}]\n${key}: [${Array.from({ length: 100 }, () => '*w').join(', ')}]\n`;
}

/** An object nested `depth` levels deep under `key`, built without recursion. */
function deepObject(depth: number, key = 'x'): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) value = { [key]: value };
  return value;
}

describe('attack: oversized workflow text', HANG_GUARD, () => {
  it.each([
    ['10 MB of steps', () => manySteps(1_700_000)],
    ['1 MiB + 1 byte', () => '#'.repeat(MiB - 'steps: []\n'.length + 1) + '\nsteps: []\n'],
    ['a 10 MB comment', () => `# ${'x'.repeat(10 * MiB)}\nsteps: []\n`],
    ['a 10 MB condition', () => `steps:\n  - flux: if\n    condition: "${'x or '.repeat(2 * MiB)}x"\n    then: [p]\n`],
    ['a 10 MB process name', () => `steps:\n  - ${'p'.repeat(10 * MiB)}\n`],
    ['400,000 three-byte characters (1.2 MB, 400,000 chars)', () => `# ${'€'.repeat(400_000)}\nsteps: []\n`],
    ['200,000 astral characters (800 KB of UTF-8 in 400,000 UTF-16 units... twice)', () => `# ${'😀'.repeat(300_000)}\nsteps: []\n`],
  ])('%s is refused with WORKFLOW_INVALID before parsing', (_, make) => {
    const text = make();
    const { error } = refusal(() => loadWorkflow(text, { file: 'big.yaml' }));
    expect(error.code).toBe('WORKFLOW_INVALID');
    expect(error.message).toMatch(
      /^big\.yaml:1:1: the definition is more than 1,048,576 bytes, over the limit of 1,048,576 bytes \(maxInputBytes\)/,
    );
    expect(error.message.length).toBeLessThan(500);
    expect(onlyIssue(error)).toMatchObject({ line: 1, column: 1 });
    // Before parsing: the same text ending in YAML that does not parse gets the same refusal, not a syntax error.
    const broken = '\n[unclosed: {\n';
    expect(refusal(() => loadWorkflow(`steps: []${broken}`)).error.message).not.toContain('maxInputBytes');
    expect(refusal(() => loadWorkflow(text + broken, { file: 'big.yaml' })).error.message).toBe(error.message);
  });

  it('text just under the limit loads, whatever its characters', () => {
    expect(loadWorkflow(`# ${'€'.repeat(300_000)}\nsteps: [p]\n`).processes).toEqual(['p']);
    const exact = '#'.repeat(MiB - 'steps: []\n'.length - 1) + '\nsteps: []\n';
    expect(new TextEncoder().encode(exact).length).toBe(MiB);
    expect(loadWorkflow(exact).steps).toEqual([]);
  });

  it('maxInputBytes is configurable, and bad limits are refused', () => {
    expect(loadWorkflow('steps: [p]\n', { limits: { maxInputBytes: 11 } }).steps).toHaveLength(1);
    expect(refusal(() => loadWorkflow('steps: [p]\n', { limits: { maxInputBytes: 10 } })).error.message).toContain('limit of 10 bytes');
    expect(loadWorkflow(`# ${'x'.repeat(2 * MiB)}\nsteps: [p]\n`, { limits: { maxInputBytes: Infinity } }).steps).toHaveLength(1);
    for (const limits of [
      { maxInputBytes: 0 },
      { maxInputBytes: -1 },
      { maxDepth: 1.5 },
      { maxDepth: 5000 },
      { maxNodes: '9' },
      { maxAlias: 1 },
      7,
    ]) {
      const { error } = refusal(() => loadWorkflow('steps: []\n', { limits } as never));
      expect(error.code).toBe('WORKFLOW_INVALID');
      expect(error.message).toMatch(/limit/);
    }
  });

  it('through the engine: 10 MB of text (even on one line ending in .yaml) is refused at once, state untouched', async () => {
    const engine = new Engine({ context: { domain: { n: 1 } }, processes: [ok] });
    for (const text of [manySteps(1_700_000), `${'x'.repeat(10 * MiB)}.yaml`, `steps: [p]\n# ${'y'.repeat(10 * MiB)}.yaml`]) {
      const error = await failure(engine.executeWorkflow(text));
      expect(error.code).toBe('WORKFLOW_INVALID');
      expect(error.message).toContain('maxInputBytes');
      expect(error.message.length).toBeLessThan(500);
      // Refused as inline text from its size alone: no file was opened, nothing was parsed.
      expect(error.details).toMatchObject({ file: '<inline>' });
      expect(onlyIssue(error)).toMatchObject({ line: 1, column: 1 });
    }
    await expect(engine.executeWorkflow('steps: [p]\n', { limits: { maxInputBytes: 5 } })).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
    });
    expect(engine.version).toBe(0);
  });
});

describe('attack: oversized workflow files', HANG_GUARD, () => {
  it('a 10 MB file is refused from its size, naming the file, the size and the limit', async () => {
    const path = join(tempDir(), 'big.yaml');
    writeFileSync(path, manySteps(1_700_000));
    const engine = new Engine({ processes: [ok] });
    const error = await failure(engine.executeWorkflow(path));
    expect(error.code).toBe('WORKFLOW_INVALID');
    // The exact size, from the file's metadata: the refusal comes before the file is read.
    expect(error.message).toMatch(
      new RegExp(
        `^${path.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}:1:1: the definition is 10,200,007 bytes, over the limit of 1,048,576 bytes \\(maxInputBytes\\)`,
      ),
    );
    expect(error.details).toMatchObject({ file: path });
    expect(onlyIssue(error)).toMatchObject({ line: 1, column: 1 });
    await expect(loadWorkflowFile(path)).rejects.toMatchObject({ code: 'WORKFLOW_INVALID' });
    const small = join(tempDir(), 'small.yaml');
    writeFileSync(small, manySteps(1_000));
    await expect(loadWorkflowFile(small, { limits: { maxInputBytes: 6_006 } })).rejects.toMatchObject({ code: 'WORKFLOW_INVALID' });
    await expect(loadWorkflowFile(small, { limits: { maxInputBytes: 6_007 } })).resolves.toMatchObject({ processes: ['p'] });
  });

  it('a file at the limit loads; one byte more does not', async () => {
    const dir = tempDir();
    const body = 'steps: [p]\n';
    writeFileSync(join(dir, 'at.yaml'), body);
    await expect(loadWorkflowFile(join(dir, 'at.yaml'), { limits: { maxInputBytes: body.length } })).resolves.toMatchObject({
      processes: ['p'],
    });
    await expect(loadWorkflowFile(join(dir, 'at.yaml'), { limits: { maxInputBytes: body.length - 1 } })).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
    });
  });

  it.runIf(existsSync('/dev/zero'))('a .yaml name for an endless device is read no further than the limit', async () => {
    const path = join(tempDir(), 'zero.yaml');
    symlinkSync('/dev/zero', path);
    // An endless read would never settle (the hang guard fails it); the device reports no size, so
    // "more than" the limit means the reader counted bytes and stopped just past the bound.
    const error = await failure(new Engine().executeWorkflow(path));
    expect(error.code).toBe('WORKFLOW_INVALID');
    expect(error.message).toContain('more than 1,048,576 bytes');
    expect(error.message).toContain('maxInputBytes');
    expect(error.details).toMatchObject({ file: path });
  });
});

describe('attack: oversized state machine definitions', HANG_GUARD, () => {
  const states = (n: number): string =>
    'states:\n' + Array.from({ length: n }, (_, i) => `  S${String(i)}: { events: { GO: S0 } }\n`).join('');

  it('text over the limit is FSM_INVALID, from loadMachine and from engine.machine', () => {
    const text = states(60_000);
    expect(text.length).toBeGreaterThan(MiB);
    for (const load of [() => loadMachine(text, { file: 'm.yaml' }), () => new Engine().machine(text, { file: 'm.yaml' })]) {
      const { error } = refusal(load);
      expect(error.code).toBe('FSM_INVALID');
      expect(error.message).toMatch(/^m\.yaml:1:1: .*maxInputBytes/);
      expect(onlyIssue(error)).toMatchObject({ line: 1, column: 1 });
    }
    expect(loadMachine(states(100), { limits: { maxInputBytes: MiB } }).events).toEqual(['GO']);
  });

  it('an object definition with too many nodes is FSM_INVALID (maxNodes)', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 60_000; i++) wide[`S${String(i)}`] = { events: { GO: 'S0' } };
    const { error } = refusal(() => loadMachine({ states: wide }));
    expect(error.code).toBe('FSM_INVALID');
    expect(error.message).toContain('more than 100,000 nodes (maxNodes');
    // The count stopped the walk at the bound: each state holds at least three nodes, so the state
    // it names is within the first 100,000 / 3 of the 60,000, not the last one.
    const stoppedAt = Number(/states\.S(\d+)\./.exec(error.message)?.[1]);
    expect(stoppedAt).toBeLessThanOrEqual(100_000 / 3);
    expect(loadMachine({ states: wide }, { limits: { maxNodes: 1_000_000 } }).events).toEqual(['GO']);
    expect(refusal(() => loadMachine({ states: { A: {} } }, { limits: { maxNodes: 2 } })).error.message).toContain('maxNodes');
  });

  it('bad machine limits are FSM_INVALID', () => {
    expect(refusal(() => loadMachine('states: { A: {} }', { limits: { maxDepth: 0 } })).error.code).toBe('FSM_INVALID');
  });
});

describe('attack: alias bombs (billion laughs)', HANG_GUARD, () => {
  const aliasBound = /alias \*a0 cannot be expanded \(unknown, recursive, or more than 100 alias expansions: maxAliases\)/;
  const nodeBound = /the definition holds more than 100,000 nodes \(maxNodes; aliases count once per use\)/;

  it.each([
    ['a workflow', () => loadWorkflow(billionLaughs('steps')), 'WORKFLOW_INVALID', aliasBound],
    [
      'workflow arguments',
      () => loadWorkflow(`${billionLaughs('x')}steps:\n  - process: p\n    args: { bomb: *a9 }\n`),
      'WORKFLOW_INVALID',
      aliasBound,
    ],
    ['a state machine', () => loadMachine(`${billionLaughs('description')}states: { A: {} }\n`), 'FSM_INVALID', aliasBound],
    ['an audit recipe', () => loadAuditRecipe(billionLaughs('description')), 'AUDIT_RECIPE_INVALID', aliasBound],
    ['a wide workflow bomb', () => loadWorkflow(wideBomb('steps')), 'WORKFLOW_INVALID', nodeBound],
    ['a wide machine bomb', () => loadMachine(`${wideBomb('description')}states: { A: {} }\n`), 'FSM_INVALID', nodeBound],
    ['a wide recipe bomb', () => loadAuditRecipe(wideBomb('description')), 'AUDIT_RECIPE_INVALID', nodeBound],
  ])('in %s is refused by the alias or node bound, at its first breach', (_, load, code, bound) => {
    const { error } = refusal(load);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(bound);
    // One issue: the expansion stopped where the bound was passed. A billion-laughs bomb is
    // stopped in its first level (line 2), before any of the levels that multiply it.
    const issue = onlyIssue(error);
    expect(issue.message).toMatch(bound);
    expect(issue.line).toBe(bound === aliasBound ? 2 : 1);
  });

  it('a self-referencing alias is refused, not followed', () => {
    expect(refusal(() => loadWorkflow('steps: &s [p, *s]\n')).error.code).toBe('WORKFLOW_INVALID');
  });

  it('a few aliases still work, and maxAliases is configurable', () => {
    const two = 'steps:\n  - process: p\n    args: &a { n: 1 }\n  - process: p\n    args: *a\n';
    expect(loadWorkflow(two).steps).toHaveLength(2);
    const three = 'steps:\n  - process: p\n    args: &a { n: 1 }\n' + '  - process: p\n    args: *a\n'.repeat(3);
    expect(loadWorkflow(three, { limits: { maxAliases: 3 } }).steps).toHaveLength(4);
    const { error } = refusal(() => loadWorkflow(three, { limits: { maxAliases: 2 } }));
    expect(error.message).toMatch(/^<inline>:9:11: alias \*a cannot be expanded .*more than 2 alias expansions: maxAliases/);
    // With the alias bound lifted, the node bound still stops a billion-laughs expansion.
    const unbounded = refusal(() => loadWorkflow(billionLaughs('steps'), { limits: { maxAliases: Infinity } })).error;
    expect(unbounded.message).toContain('more than 100,000 nodes (maxNodes');
  });
});

describe('attack: deeply nested YAML', HANG_GUARD, () => {
  const shapes = [
    ['flow lists', (d: number) => `steps:\n  - process: p\n    args: { deep: ${flowNest(d)} }\n`],
    ['unclosed flow lists', (d: number) => `steps:\n  - process: p\n    args: { deep: ${'['.repeat(d)} }\n`],
    ['flow mappings', (d: number) => `steps:\n  - process: p\n    args: ${flowMapNest(d)}\n`],
    ['block mappings', (d: number) => `steps:\n  - process: p\n    args:\n${blockNest(d).replace(/^/gm, '      ')}`],
    ['compact sequences', (d: number) => `steps:\n  - process: p\n    args:\n      deep:\n        ${dashNest(d)}`],
    ['nested flux blocks', (d: number) => `steps: ${'[{flux: run, steps: '.repeat(d)}[p]${'}]'.repeat(d)}\n`],
  ] as const;

  it.each(
    shapes.flatMap(([name, make]) => (name === 'block mappings' ? [300, 1_400] : [5_000, 50_000]).map((d) => [name, d, make] as const)),
  )('%s %i levels deep: WORKFLOW_INVALID naming maxDepth, never a stack overflow', (_, depth, make) => {
    const text = make(depth);
    if (text.length > MiB) return; // the size bound refuses it first (tested above)
    const { error } = refusal(() => loadWorkflow(text, { file: 'deep.yaml' }));
    expect(error.code).toBe('WORKFLOW_INVALID');
    expect(error.message).toMatch(/^deep\.yaml:\d+:\d+: lists and mappings are nested more than 100 levels deep \(maxDepth\)/);
    // Refused at level 101, whatever the depth: the same single issue, at the same place, as the
    // same shape only 150 levels deep. Nothing past the bound was walked.
    const shallow = refusal(() => loadWorkflow(make(150), { file: 'deep.yaml' })).error;
    expect(onlyIssue(error)).toEqual(onlyIssue(shallow));
  });

  it('nesting within the limit loads, and maxDepth is configurable', () => {
    const text = `steps:\n  - process: p\n    args: { deep: ${flowNest(90)} }\n`;
    expect(loadWorkflow(text).steps).toHaveLength(1);
    expect(refusal(() => loadWorkflow(text, { limits: { maxDepth: 50 } })).error.message).toContain('more than 50 levels deep');
    const deeper = `steps:\n  - process: p\n    args: { deep: ${flowNest(500)} }\n`;
    expect(loadWorkflow(deeper, { limits: { maxDepth: 600 } }).steps).toHaveLength(1);
  });

  it('aliases cannot nest deeper than maxDepth either', () => {
    const text = `steps:\n  - process: p\n    args: { a: &a ${flowNest(10)}, b: ${'['.repeat(10)}*a${']'.repeat(10)} }\n`;
    expect(loadWorkflow(text, { limits: { maxDepth: 30 } }).steps).toHaveLength(1);
    const { error } = refusal(() => loadWorkflow(text, { limits: { maxDepth: 20 } }));
    expect(error.message).toContain('nested more than 20 levels deep (maxDepth)');
  });

  it.each([
    ['a state machine', (t: string) => loadMachine(`description: ${t}\nstates: { A: {} }\n`), 'FSM_INVALID'],
    ['an audit recipe', (t: string) => loadAuditRecipe(`description: ${t}\n`), 'AUDIT_RECIPE_INVALID'],
    [
      'an audit rule value',
      (t: string) => loadAuditRecipe(`process_recipes:\n  p:\n    inputs:\n      - { field: x, eq: ${t} }\n`),
      'AUDIT_RECIPE_INVALID',
    ],
  ])('deep YAML in %s is refused with its loader code', (_, load, code) => {
    for (const text of [flowNest(20_000), flowMapNest(20_000), `[${flowNest(2_000)}]`]) {
      const { error } = refusal(() => load(text));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/maxDepth/);
    }
  });

  it('a mapping with 45,000 keys (just under maxNodes) loads whole, and duplicate keys are still found', () => {
    const keys = Array.from({ length: 45_000 }, (_, i) => `      k${String(i)}: ${String(i)}`).join('\n');
    const { steps } = loadWorkflow(`steps:\n  - process: p\n    args:\n${keys}\n`);
    expect(steps).toHaveLength(1);
    const args = (steps[0] as { args?: Record<string, unknown> }).args ?? {};
    expect(Object.keys(args)).toHaveLength(45_000);
    expect(args['k44999']).toBe(44_999);
    const duplicate = refusal(() => loadWorkflow('steps:\n  - process: p\n    args: { a: 1, b: 2, a: 3 }\n')).error;
    expect(duplicate.message).toMatch(/3:25: duplicate key 'a' \(first at line 3\)/);
  });

  it('a 1 MiB file full of bad conditions is refused by the node bound, in one short report', () => {
    const bad = '  - flux: if\n    condition: "x >> y"\n    then: [p]\n';
    const text = `steps:\n${bad.repeat(Math.floor((MiB - 8) / bad.length))}`;
    const { error } = refusal(() => loadWorkflow(text));
    expect(error.code).toBe('WORKFLOW_INVALID');
    // Its 20,560 steps hold more than maxNodes nodes: the loader stops there, before compiling any
    // of the conditions, instead of reporting each of them.
    expect(error.message).toContain('more than 100,000 nodes (maxNodes');
    expect(error.message.length).toBeLessThan(500);
    expect(onlyIssue(error).message).toContain('maxNodes');
  });
});

describe('attack: deeply nested object definitions', HANG_GUARD, () => {
  it.each([1_000, 10_000, 100_000])('a machine definition object %i levels deep is FSM_INVALID, not a RangeError', (depth) => {
    const { error } = refusal(() => loadMachine({ states: { A: {} }, description: deepObject(depth) }));
    expect(error.code).toBe('FSM_INVALID');
    expect(error.message).toContain('nested more than 100 levels deep (maxDepth)');
    expect(error.message.length).toBeLessThan(2000);
  });

  it.each([1_000, 10_000, 100_000])('an audit recipe object %i levels deep is AUDIT_RECIPE_INVALID, not a RangeError', (depth) => {
    const { error } = refusal(() => loadAuditRecipe(deepObject(depth)));
    expect(error.code).toBe('AUDIT_RECIPE_INVALID');
  });

  it('deep lists and deep states are refused the same way; shallow objects load', () => {
    let list: unknown[] = [];
    for (let i = 0; i < 50_000; i++) list = [list];
    expect(refusal(() => loadMachine({ states: { A: { entry: list } } })).error.code).toBe('FSM_INVALID');
    expect(refusal(() => loadMachine({ states: deepObject(5_000, 'S') })).error.code).toBe('FSM_INVALID');
    expect(refusal(() => new Engine().machine({ states: { A: {} }, description: deepObject(10_000) })).error.code).toBe('FSM_INVALID');
    expect(loadMachine({ states: { A: {} }, description: deepObject(50) }).initial).toBe('A');
    expect(loadMachine({ states: { A: {} }, description: deepObject(500) }, { limits: { maxDepth: 600 } }).initial).toBe('A');
  });

  it('engine options reject malformed bounds', () => {
    for (const options of [{ limits: { maxDepth: 0 } }, { limits: { nope: 1 } }, { conditionBudget: 0 }, { conditionBudget: -3 }]) {
      expect(() => new Engine(options as never)).toThrow(expect.objectContaining({ code: 'ENGINE_INVALID_OPTION' }) as Error);
    }
    expect(() => new Engine({ limits: { maxInputBytes: 10 * MiB }, conditionBudget: Infinity })).not.toThrow();
  });
});

describe('the refusals are WorkflowError for workflows and machines', () => {
  it('keeps the class users catch by name', () => {
    expect(refusal(() => loadWorkflow(flowNest(5_000))).error).toBeInstanceOf(WorkflowError);
    expect(refusal(() => loadMachine(flowNest(5_000))).error).toBeInstanceOf(WorkflowError);
  });
});

describe('engine-wide bounds and every file reader', () => {
  it('the engine passes its limits and condition budget to the workflows it runs', async () => {
    const noop = process({ name: 'noop' }, () => undefined);
    const tight = new Engine({ processes: [noop], limits: { maxInputBytes: 64 }, conditionBudget: 1_000 });
    const long = `steps:\n  - noop\n${'  # padding\n'.repeat(20)}`;
    expect((await failure(tight.executeWorkflow(long))).code).toBe('WORKFLOW_INVALID');
    const loose = new Engine({ processes: [noop], conditionBudget: 1_000 });
    const heavy = `steps:\n  - flux: if\n    condition: "len([0] * 5000) > 0"\n    then: [noop]\n`;
    expect((await failure(loose.executeWorkflow(heavy))).code).toBe('WORKFLOW_CONDITION');
    expect(() => tight.machine(`initial: A\nstates:\n  A: {}\n${'# pad\n'.repeat(30)}`)).toThrow(/maxInputBytes/);
  });

  it('recipe and machine files behind a device name cannot hang the engine', async () => {
    if (!existsSync('/dev/zero')) return;
    const dir = mkdtempSync(join(tmpdir(), 'theus-dev-'));
    const recipe = join(dir, 'recipe.yaml');
    symlinkSync('/dev/zero', recipe);
    expect(() => new Engine({ audit: recipe })).toThrow(/maxInputBytes/);
    const { loadAuditRecipeFile, loadMachineFile } = await import('../../src/engine/node-files.js');
    await expect(loadAuditRecipeFile(recipe)).rejects.toMatchObject({ code: 'AUDIT_RECIPE_INVALID' });
    const machine = join(dir, 'machine.yaml');
    symlinkSync('/dev/zero', machine);
    await expect(loadMachineFile(machine)).rejects.toMatchObject({ code: 'FSM_INVALID' });
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `initial: A\nstates:\n  A: {}\n${'#'.repeat(2 * 1024 * 1024)}\n`);
    await expect(loadMachineFile(big)).rejects.toThrow(/maxInputBytes/);
  });

  it('a too-deep recipe object names the depth bound', () => {
    let deep: Record<string, unknown> = { field: 'x', min: 0 };
    for (let i = 0; i < 2_000; i++) deep = { nested: deep };
    expect(() => loadAuditRecipe({ process_recipes: { p: { inputs: [deep] } } })).toThrow(/deep|depth/i);
  });

  it('an FSM event named __proto__ is an event, not a prototype', () => {
    const machine = loadMachine({ initial: 'A', states: { A: { events: JSON.parse('{"__proto__": "B"}') as object }, B: {} } });
    expect(Object.getPrototypeOf(machine.states.A?.events ?? {})).not.toBe('B');
    expect(Object.keys(machine.states.A?.events ?? {})).toContain('__proto__');
  });
});
