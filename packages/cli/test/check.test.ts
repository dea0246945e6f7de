import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliProject, type CliProject } from './cli-project.js';

let project: CliProject;

const CLEAN = `import { process } from 'theus';

export const increment = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, function increment(ctx: any) {
  ctx.domain.count += 1;
});
`;

const DIRTY = `import { process } from 'theus';
import { readFileSync } from 'node:fs';

let calls = 0;

export const leaky = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, function leaky(ctx: any) {
  console.log('counting');
  calls += 1;
  ctx.domain.total = readFileSync('/etc/hostname', 'utf8');
  return ctx.domain.secret;
});
`;

beforeEach(() => {
  project = cliProject();
  project.write({ 'src/processes/clean.ts': CLEAN });
});
afterEach(() => project.remove());

describe('theus check', () => {
  it('exits 0 and says so when the process files are clean', async () => {
    const result = await project.run('check', 'src');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('\u2714 1 file checked: no violations.\n');
  });

  it('lists each violation with its location and code and exits 1', async () => {
    project.write({ 'src/processes/leaky.ts': DIRTY });
    const result = await project.run('check');
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(/^Location\s+Code\s+Message$/m);
    for (const code of ['POP-E01', 'POP-E02', 'POP-E04', 'POP-E05', 'POP-C01']) expect(out).toContain(code);
    expect(out).toMatch(/src\/processes\/leaky\.ts:7:3\s+POP-E01/);
    expect(out).toMatch(/violations in 1 file \(2 files checked\)\.\n$/);
  });

  it('prints JSON with --format json', async () => {
    project.write({ 'src/processes/leaky.ts': DIRTY });
    const result = await project.run('check', 'src/processes/leaky.ts', '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      filesChecked: number;
      violations: { file: string; line: number; code: string; rule: string }[];
    };
    expect(report.filesChecked).toBe(1);
    expect(report.violations).toContainEqual(
      expect.objectContaining({ file: 'src/processes/leaky.ts', line: 7, code: 'POP-E01', rule: 'theus/no-console' }),
    );
    expect(report.violations.every((v) => /^POP-[EC]\d\d$/.test(v.code))).toBe(true);
  });

  it('ignores the project ESLint config, tests, declarations and dist', async () => {
    project.write({
      'eslint.config.js': "throw new Error('the project config must not be loaded');\n",
      'src/processes/leaky.test.ts': DIRTY,
      'src/processes/types.d.ts': 'declare const x: number;\n',
      'dist/leaky.js': DIRTY.replace(/: any/g, ''),
    });
    const result = await project.run('check');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 files checked'); // clean.ts and eslint.config.js (linted, never loaded)
  });

  it('reports a file that does not parse (exit 1, code SYNTAX)', async () => {
    project.write({ 'src/processes/broken.ts': 'export const = ;\n' });
    const result = await project.run('check', '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { violations: { file: string; code: string; rule: null; message: string }[] };
    expect(report.violations).toEqual([expect.objectContaining({ file: 'src/processes/broken.ts', code: 'SYNTAX', rule: null })]);
    expect(report.violations[0]!.message).toMatch(/^does not parse: /);
  });

  it.each([
    [['check', 'nowhere'], "'nowhere' does not exist"],
    [['check', '--format', 'xml'], "--format takes 'table' or 'json', not 'xml'."],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const result = await project.run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
