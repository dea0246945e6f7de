import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliProject, type CliProject } from './cli-project.js';
import { writeCounter } from './counter-project.js';

const CONTEXT = ['--context', 'specs/initial_context.yaml'];
let project: CliProject;

beforeEach(() => {
  project = cliProject();
  writeCounter(project);
});
afterEach(() => project.remove());

describe('theus run', () => {
  it('runs a workflow on the scanned processes and prints a one-line summary', async () => {
    const result = await project.run('run', 'workflows/count.yaml', ...CONTEXT);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^workflows\/count\.yaml: complete, 3 steps, \d+ ops, version 0 -> 3 \(\d+ ms\)\n$/);
  });

  it('prints JSON with --json', async () => {
    const result = await project.run('run', 'workflows/count.yaml', ...CONTEXT, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'complete', executed: ['increment', 'increment', 'increment'], version: 3 });
  });

  it('continues from the state of a SQLite store on the next run', async () => {
    const first = await project.run('run', 'workflows/count.yaml', ...CONTEXT, '--store', 'state.db');
    expect(first.code).toBe(0);
    const second = await project.run('run', 'workflows/big-add.yaml', ...CONTEXT, '--store', 'state.db', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'complete', version: 4 });
  });

  it('exits 1 with the error code and the failing step when a step throws', async () => {
    const result = await project.run('run', 'workflows/fails.yaml', ...CONTEXT, '--json');
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { status: string; version: number; error: { code: string; message: string } };
    expect(output).toMatchObject({ status: 'failed', version: 1, error: { code: 'WORKFLOW_STEP_FAILED' } });
    expect(result.stderr).toContain('workflows/fails.yaml: failed: WORKFLOW_STEP_FAILED');
    expect(result.stderr).toContain('explode');
  });

  it('exits 1 naming the audit rule when the audit blocks a step', async () => {
    const result = await project.run('run', 'workflows/big-add.yaml', ...CONTEXT, '--audit', 'specs/audit_recipe.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Adds are capped at 100');
  });

  it('exits 1 with the file, line and column of an unknown process', async () => {
    project.write({ 'workflows/typo.yaml': 'steps:\n  - incremnt\n' });
    const result = await project.run('run', 'workflows/typo.yaml', ...CONTEXT);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/WORKFLOW_INVALID: .*typo\.yaml:2:5: unknown process 'incremnt'/);
  });

  it('exits 1 when the safety trip fires', async () => {
    const result = await project.run('run', 'workflows/count.yaml', ...CONTEXT, '--max-ops', '2');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('WORKFLOW_MAX_OPS');
  });

  it('exits 1 naming the module and its error when a process module fails to import', async () => {
    project.write({ 'src/processes/broken.ts': "import { nothing } from './missing-module.js';\nexport const x = nothing;\n" });
    const result = await project.run('run', 'workflows/count.yaml', ...CONTEXT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CONTRACT_SCAN_FAILED');
    expect(result.stderr).toContain(join('src', 'processes', 'broken.ts'));
  });

  it('says how to fix a package that is not an ES module', async () => {
    project.write({ 'package.json': JSON.stringify({ name: 'cjs', private: true }) });
    const result = await project.run('run', 'workflows/count.yaml', ...CONTEXT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"type": "module"');
  });

  it.each([
    [['run', 'workflows/missing.yaml'], "The workflow file 'workflows/missing.yaml' does not exist."],
    [['run', 'workflows'], "The workflow file 'workflows' is not a file."],
    [['run', 'workflows/count.yaml', '--max-ops', 'many'], "--max-ops takes a whole number of at least 1, not 'many'."],
    [['run', 'workflows/count.yaml', '--max-ops', '0'], '--max-ops takes a whole number of at least 1'],
    [['run', 'workflows/count.yaml', '--processes', 'nowhere'], "The processes directory 'nowhere' does not exist"],
    [['run', 'workflows/count.yaml', '--context', 'nowhere.yaml'], "The context file 'nowhere.yaml' does not exist."],
    [['run', 'workflows/count.yaml', '--contxt', 'x'], "unknown option '--contxt'\n(Did you mean --context?)"],
    [['run'], "missing required argument 'workflow'"],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const result = await project.run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 naming the line of a context file with a syntax error, or one that is not a mapping', async () => {
    project.write({ 'bad.yaml': 'domain:\n  count: [1, 2\n', 'list.yaml': '- 1\n- 2\n' });
    const syntax = await project.run('run', 'workflows/count.yaml', '--context', 'bad.yaml');
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/The context file 'bad\.yaml' is not valid YAML or JSON: .*line \d/s);
    const list = await project.run('run', 'workflows/count.yaml', '--context', 'list.yaml');
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('must hold a mapping of layers (global, domain, ...), not a list');
  });

  it('leaves a store untouched when the run fails before committing', async () => {
    await project.run('run', 'workflows/count.yaml', ...CONTEXT, '--store', 'state.db');
    const before = readFileSync(join(project.dir, 'state.db'));
    project.write({ 'workflows/typo.yaml': 'steps:\n  - incremnt\n' });
    const result = await project.run('run', 'workflows/typo.yaml', '--store', 'state.db');
    expect(result.code).toBe(1);
    const history = await project.run('history', '--store', 'state.db', '--json');
    expect(JSON.parse(history.stdout)).toMatchObject({ version: 3 });
    expect(readFileSync(join(project.dir, 'state.db')).byteLength).toBe(before.byteLength);
  });
});
