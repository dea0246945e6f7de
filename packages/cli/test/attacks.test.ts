// Files a user may be handed (stores, recipes, context files, process modules, sources to lint)
// written to crash the CLI, leak PRIVATE values, drive the terminal or slip past `theus check`.
import { chmodSync, existsSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliProject, type CliProject } from './cli-project.js';
import { writeCounter } from './counter-project.js';
import { runBin, type RunResult } from './run-bin.js';

const CONTEXT = ['--context', 'specs/initial_context.yaml'];
/** Whether `text` holds a raw ESC, CSI, BEL or CR: what an escape sequence that reached the terminal would start or hide with. */
const hasRawControl = (text: string): boolean => ['\u0007', '\u000d', '\u001b', '\u009b'].some((c) => text.includes(c));
/** More than the largest file any command reads (sparse: no disk is used). */
const HUGE = 3 * 1024 ** 3;

let project: CliProject;

beforeEach(() => {
  project = cliProject();
  writeCounter(project);
});
afterEach(() => project.remove());

/** Ended with a message and an exit code, not with a stack trace. */
function expectNoStack(result: RunResult): void {
  expect(result.stderr).not.toContain('unexpected error');
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

/** Runs the count workflow into `theus.db`, then edits its commits with `sql` (a damaged or hand-made store). */
async function damagedStore(sql: string, ...values: unknown[]): Promise<void> {
  expect((await project.run('run', 'workflows/count.yaml', ...CONTEXT, '--store', 'theus.db')).code).toBe(0);
  const db = new Database(join(project.dir, 'theus.db'));
  try {
    db.prepare(sql).run(...values);
  } finally {
    db.close();
  }
}

describe('attacks on theus history', () => {
  it('shows a commit time no date can hold instead of crashing', async () => {
    await damagedStore('UPDATE commits SET time = ? WHERE version = 3', 1e300);
    const table = await project.run('history');
    expectNoStack(table);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^3\s+1e\+300\s+increment/m);
    const json = await project.run('history', '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { commits: { time: string }[] }).commits[0]!.time).toBe('1e+300');
  });

  it('escapes the control characters of a process name read from the store', async () => {
    await damagedStore('UPDATE commits SET process = ? WHERE version = 3', 'incr\u001b]0;owned\u0007\u001b[2J\rement\u009b1A');
    const result = await project.run('history');
    expect(result.code).toBe(0);
    expect(hasRawControl(result.stdout)).toBe(false);
    expect(result.stdout).toContain('incr\\x1b]0;owned\\x07\\x1b[2J\\x0dement\\x9b1A');
  });

  it('hides the PRIVATE values of the arguments it prints with --json', async () => {
    project.write({
      'workflows/private.yaml':
        'steps:\n  - process: add\n    args: { amount: 1, internal_pin: 4321, nested: [{ internal_secret: s3cr3t }] }\n',
    });
    expect((await project.run('run', 'workflows/private.yaml', ...CONTEXT, '--store', 'theus.db')).code).toBe(0);
    const result = await project.run('history', '--json');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('4321');
    expect(result.stdout).not.toContain('s3cr3t');
    const output = JSON.parse(result.stdout) as { commits: { args: unknown }[] };
    expect(output.commits[0]!.args).toEqual({ amount: 1, internal_pin: '[private]', nested: [{ internal_secret: '[private]' }] });
  });

  it('refuses an empty file instead of turning it into a store', async () => {
    project.write({ 'empty.db': '' });
    const result = await project.run('history', '--store', 'empty.db');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The store 'empty.db' is an empty file, not a Theus store.");
    expect(statSync(join(project.dir, 'empty.db')).size).toBe(0);
  });
});

describe('attacks on theus run', () => {
  it('refuses a huge context file without reading it', async () => {
    writeFileSync(join(project.dir, 'huge.yaml'), '');
    truncateSync(join(project.dir, 'huge.yaml'), HUGE);
    const result = await project.run('run', 'workflows/count.yaml', '--context', 'huge.yaml');
    expectNoStack(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("The context file 'huge.yaml' is larger than 64 MiB.");
  });

  it('reports a context file it cannot read (a symbolic link loop) with its path, not a stack trace', async () => {
    symlinkSync('loop.yaml', join(project.dir, 'loop.yaml'));
    const result = await project.run('run', 'workflows/count.yaml', '--context', 'loop.yaml');
    expectNoStack(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^theus: ELOOP: .*loop\.yaml/);
  });

  it('reports a context file it may not read with its path, not a stack trace', async () => {
    chmodSync(project.dir, 0o777);
    chmodSync(join(project.dir, 'specs/initial_context.yaml'), 0o000);
    const result = await runBin(['run', 'workflows/count.yaml', ...CONTEXT], { cwd: project.dir, unprivileged: true });
    expectNoStack(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^theus: EACCES: permission denied, open .*initial_context\.yaml/);
  });

  it('escapes the control characters of file contents quoted in an error', async () => {
    project.write({ 'workflows/escape.yaml': 'steps:\n  - "incr\\e]0;owned\\a\\e[2Jement"\n' });
    const result = await project.run('run', 'workflows/escape.yaml', ...CONTEXT);
    expect(result.code).toBe(1);
    expect(hasRawControl(result.stderr)).toBe(false);
    expect(result.stderr).toContain("unknown process 'incr\\x1b]0;owned\\x07\\x1b[2Jement'");
  });

  it.each([
    ['a __proto__ layer', '__proto__:\n  count: 5\ndomain:\n  count: 0\n'],
    ['a __proto__ key in a layer', '{ "domain": { "count": 0, "__proto__": { "polluted": true } } }\n'],
  ])('refuses %s in the context (exit 1, no pollution)', async (_, text) => {
    project.write({ 'specs/proto.yaml': text });
    const result = await project.run('run', 'workflows/count.yaml', '--context', 'specs/proto.yaml');
    expectNoStack(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the key '__proto__' is not allowed");
  });

  it('refuses a YAML alias bomb in the context (exit 2)', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    project.write({ 'bomb.yaml': `${levels.join('\n')}\ndomain: { count: 0 }\n` });
    const result = await project.run('run', 'workflows/count.yaml', '--context', 'bomb.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('resource exhaustion');
  });
});

describe('attacks on theus audit', () => {
  it('gen-spec refuses a recipe larger than a recipe may be, without reading it, and leaves it as it was', async () => {
    writeFileSync(join(project.dir, 'specs/audit_recipe.yaml'), '');
    truncateSync(join(project.dir, 'specs/audit_recipe.yaml'), HUGE);
    const result = await project.run('audit', 'gen-spec');
    expectNoStack(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('specs/audit_recipe.yaml is larger than 1048576 bytes');
    expect(statSync(join(project.dir, 'specs/audit_recipe.yaml')).size).toBe(HUGE);
  });

  it('inspect escapes the control characters of a rule message', async () => {
    project.write({
      'specs/audit_recipe.yaml':
        'process_recipes:\n  add:\n    inputs:\n      - { field: amount, max: 5, message: "\\e]0;owned\\a\\e[2Jcapped" }\n',
    });
    const result = await project.run('audit', 'inspect', 'add');
    expect(result.code).toBe(0);
    expect(hasRawControl(result.stdout)).toBe(false);
    expect(result.stdout).toContain('\\x1b]0;owned\\x07\\x1b[2Jcapped');
  });
});

describe('attacks on theus schema gen', () => {
  it.each([
    ['a cycle', 'const schema: Record<string, unknown> = { type: "object" };\nschema.self = schema;'],
    ['a BigInt', 'const schema = { type: "object", maximum: 10n };'],
  ])('reports a JSON Schema with %s that JSON cannot hold (exit 1, nothing written)', async (_, declaration) => {
    project.write({
      'src/schema.ts': `${declaration}\nexport const contextSchema = { '~standard': { version: 1, vendor: 'hand', validate: () => ({ value: {} }), jsonSchema: { output: () => schema } } };\n`,
    });
    const result = await project.run('schema', 'gen');
    expectNoStack(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The JSON Schema produced from src/schema.ts cannot be written as JSON');
    expect(existsSync(join(project.dir, 'specs/context_schema.json'))).toBe(false);
  });
});

describe('attacks on theus check', () => {
  const LEAKY = `import { process } from 'theus';\nexport const p = process({ outputs: ['domain.count'] }, (ctx: any) => { console.log('x'); ctx.domain.count = 1; });\n`;

  it('is not silenced by eslint-disable or /* eslint */ comments', async () => {
    project.write({
      'src/processes/counter.ts': '',
      'src/processes/disabled.ts': `/* eslint-disable */\n${LEAKY}`,
      'src/processes/off.ts': `/* eslint theus/no-console: off */\n${LEAKY}`,
      'src/processes/line.ts': LEAKY.replace("console.log('x');", "// eslint-disable-next-line theus/no-console\n  console.log('x');"),
    });
    const result = await project.run('check', 'src', '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { violations: { file: string; code: string }[] };
    expect(report.violations.map((v) => `${v.file} ${v.code}`).sort()).toEqual([
      'src/processes/disabled.ts POP-E01',
      'src/processes/line.ts POP-E01',
      'src/processes/off.ts POP-E01',
    ]);
  });

  it('does not report the directives a project writes for its own ESLint rules', async () => {
    project.write({
      'src/processes/counter.ts': `import { process } from 'theus';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const p = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, (ctx: any) => {
  // eslint-disable-next-line no-console
  ctx.domain.count += 1;
});
`,
    });
    const result = await project.run('check', 'src');
    expect(result.stdout).toBe('\u2714 1 file checked: no violations.\n');
    expect(result.code).toBe(0);
  });

  it('skips a test file named on the command line instead of reporting it as a file that does not parse', async () => {
    project.write({ 'src/processes/counter.test.ts': LEAKY });
    const result = await project.run('check', 'src/processes/counter.test.ts');
    expect(result.stdout).toBe('\u2714 0 files checked: no violations.\n');
    expect(result.code).toBe(0);
  });

  it('parses JSX in .jsx files', async () => {
    project.write({ 'src/view.jsx': 'export function View() { return <div className="x">hi</div>; }\n' });
    const result = await project.run('check', 'src/view.jsx');
    expect(result.stdout).toBe('\u2714 1 file checked: no violations.\n');
    expect(result.code).toBe(0);
  });

  it('refuses a path outside the current folder instead of passing on nothing (exit 2)', async () => {
    project.write({ 'app/leaky.ts': LEAKY, 'sub/.keep': '' });
    const result = await runBin(['check', '../app/leaky.ts'], { cwd: join(project.dir, 'sub') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'../app/leaky.ts' is outside the current folder");
  });

  it('gives a file the parser cannot place a line and column of 0', async () => {
    project.write({ 'src/deep.ts': `export const x = ${'['.repeat(5000)}${']'.repeat(5000)};\n` });
    const result = await project.run('check', 'src/deep.ts', '--format', 'json');
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { violations: unknown[] }).violations).toEqual([
      expect.objectContaining({ file: 'src/deep.ts', line: 0, column: 0, code: 'SYNTAX' }),
    ]);
  });

  it('escapes the control characters of a process name read from a linted file', async () => {
    project.write({ 'src/processes/counter.ts': LEAKY.replace('{ outputs:', "{ name: 'p\\u001b]0;owned\\u0007\\u001b[2J', outputs:") });
    const result = await project.run('check', 'src');
    expect(result.code).toBe(1);
    expect(hasRawControl(result.stdout)).toBe(false);
    expect(result.stdout).toContain("process 'p\\x1b]0;owned\\x07\\x1b[2J'");
  });
});
