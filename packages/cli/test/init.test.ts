import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listTree, makeTempDir, removeTempDir, REPOSITORY, snapshotTree, TEMPLATE_NAMES, templateFiles } from './init-fixtures.js';
import { runBin } from './run-bin.js';

let cwd: string;
beforeEach(async () => {
  cwd = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(cwd);
});

interface Manifest {
  name: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

async function manifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
}

describe('theus init without a terminal', () => {
  it.each(TEMPLATE_NAMES)('creates a project from the %s template', async (template) => {
    const result = await runBin(['init', `app-${template}`, '--template', template], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const project = join(cwd, `app-${template}`);
    const files = (await listTree(project)).filter((path) => !path.endsWith('/'));
    expect(files).toEqual(await templateFiles(template));
    expect(await listTree(cwd)).not.toContainEqual(expect.stringMatching(/theus-init/));
    for (const file of files) expect(result.stdout).toContain(`  ${file}\n`);
    expect(result.stdout).toContain(`  cd app-${template}\n  npm install\n  npm test\n  npm start\n`);

    const pkg = await manifest(project);
    expect(pkg.name).toBe(`app-${template}`);
    expect(JSON.stringify(pkg)).not.toContain('{{');
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(deps.theus).toBe(`file:${join(REPOSITORY, 'packages/theus')}`);
    expect(deps['theus-cli']).toBe(`file:${join(REPOSITORY, 'packages/cli')}`);
    expect(deps['eslint-plugin-theus']).toBe(`file:${join(REPOSITORY, 'packages/eslint-plugin-theus')}`);
    expect(deps).toMatchObject({ typescript: '6.0.3', vitest: '4.1.12', tsx: '4.23.15', '@types/node': '20.19.43' });
    expect(deps.zod).toBe(template === 'ecommerce' ? '4.6.7' : undefined);
    expect(pkg.scripts).toMatchObject({ start: 'tsx src/main.ts', test: 'tsc --noEmit && vitest run', check: 'theus check src' });
    expect(pkg.scripts.workflow === undefined).toBe(template === 'minimal');
    const gitignore = await readFile(join(project, '.gitignore'), 'utf8');
    expect(gitignore).toContain('node_modules/');
  });

  it('uses the minimal template by default, and `.` for the current folder', async () => {
    const here = join(cwd, 'here');
    await mkdir(here);
    const result = await runBin(['init', '.'], { cwd: here });
    expect(result.code).toBe(0);
    expect(await listTree(here)).toContain('src/processes/todos.ts');
    expect((await manifest(here)).name).toBe('here');
    expect(result.stdout).not.toContain('cd ');
  });

  it('writes the project with the usual folder mode, not the 0700 of a temporary folder', async () => {
    await runBin(['init', 'app'], { cwd });
    await mkdir(join(cwd, 'probe'));
    expect((await stat(join(cwd, 'app'))).mode).toBe((await stat(join(cwd, 'probe'))).mode);
  });
});

describe('theus init refuses bad input', () => {
  it('an unknown template (exit 2), naming the valid ones', async () => {
    const result = await runBin(['init', 'app', '--template', 'shop'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown template 'shop'");
    for (const name of TEMPLATE_NAMES) expect(result.stderr).toContain(name);
    expect(await listTree(cwd)).toEqual([]);
  });

  it('a missing name when it cannot ask (exit 2)', async () => {
    const result = await runBin(['init', '--template', 'bank'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^theus: a project name is required/);
    expect(await listTree(cwd)).toEqual([]);
  });

  it.each([
    ['My App', 'capital letters'],
    ['my app', 'URL-safe'],
    ['.hidden', "starts with '.'"],
    ['http', 'Node.js core module'],
    ['apps/Web', "the folder's name decides the package name"],
  ])('an invalid package name: %s (exit 2)', async (name, reason) => {
    const result = await runBin(['init', name], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a valid npm package name');
    expect(result.stderr).toContain(reason);
    expect(await listTree(cwd)).toEqual([]);
  });

  it('suggests a valid spelling', async () => {
    const result = await runBin(['init', 'My App'], { cwd });
    expect(result.stderr).toContain("(try 'my-app')");
  });

  it('a non-empty folder (exit 1), untouched, unless --force', async () => {
    const project = join(cwd, 'app');
    await mkdir(project);
    await writeFile(join(project, 'notes.txt'), 'mine');
    await writeFile(join(project, 'README.md'), 'old readme');
    const before = await snapshotTree(cwd);
    const refused = await runBin(['init', 'app'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${project} is not empty`);
    expect(refused.stderr).toContain('--force');
    expect(await snapshotTree(cwd)).toEqual(before);

    const forced = await runBin(['init', 'app', '--force'], { cwd });
    expect(forced.code).toBe(0);
    expect(await readFile(join(project, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(project, 'README.md'), 'utf8')).toContain('# app');
    expect(await listTree(project)).toEqual([...(await templateFiles('minimal')), 'notes.txt', 'src/', 'src/processes/', 'test/'].sort());
    expect(await listTree(cwd)).not.toContainEqual(expect.stringMatching(/theus-init/));
  });

  it('a path that is a file (exit 1), untouched', async () => {
    await writeFile(join(cwd, 'app'), 'a file');
    const result = await runBin(['init', 'app', '--force'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exists and is not a folder');
    expect(await listTree(cwd)).toEqual(['app']);
    expect(await readFile(join(cwd, 'app'), 'utf8')).toBe('a file');
  });

  it('a parent folder that does not exist (exit 1)', async () => {
    const result = await runBin(['init', 'missing/app'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not an existing folder');
    expect(await listTree(cwd)).toEqual([]);
  });
});

describe('theus init leaves nothing half-written', () => {
  it('when the parent folder is not writable (exit 1)', async () => {
    const locked = join(cwd, 'locked');
    await mkdir(locked, { mode: 0o555 });
    const result = await runBin(['init', 'locked/app'], { cwd, unprivileged: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot create ${join(locked, 'app')}`);
    expect(await listTree(cwd)).toEqual(['locked/']);
  });

  it('when the files cannot be moved into the target: the generated folder is removed', async () => {
    // The parent is writable (the project is generated beside the target), the target is not.
    const target = join(cwd, 'app');
    await mkdir(target, { mode: 0o555 });
    await writeFile(join(cwd, 'marker'), '');
    const before = await snapshotTree(cwd);
    const result = await runBin(['init', 'app', '--force'], { cwd, unprivileged: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot write into ${target}`);
    expect(await snapshotTree(cwd)).toEqual(before);
  });
});
