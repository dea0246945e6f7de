/**
 * End to end, per template: `theus init`, then `npm install`, `npm test`, `npm start`,
 * `npm run check` and `npm run workflow` in the generated project, as a user would. The Theus packages are `file:` links into this repository,
 * so each run also checks that installing the project writes nothing into the repository.
 * Needs the packages built (`npm run build`; `npm test` at the root does it first).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, REPOSITORY, TEMPLATE_NAMES } from './init-fixtures.js';
import { run, runBin, type RunResult } from './run-bin.js';

const MINUTE = 60_000;

/**
 * What npm could change in the repository: the lines of `git status` (ignored files included)
 * about lockfiles and node_modules, the lockfile's content, and the packages' node_modules
 * folders. Other changes are left out: people may be editing sources (and manifests) meanwhile.
 */
function repositorySnapshot(): string {
  const status = execFileSync('git', ['-C', REPOSITORY, 'status', '--porcelain', '--ignored'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /package-lock\.json|node_modules/.test(line));
  const lock = createHash('sha256')
    .update(readFileSync(join(REPOSITORY, 'package-lock.json')))
    .digest('hex');
  const nodeModules = ['theus', 'cli', 'eslint-plugin-theus'].map((name) => {
    const dir = join(REPOSITORY, 'packages', name, 'node_modules');
    return `${name}: ${existsSync(dir) ? readdirSync(dir).sort().join(',') : '(none)'}`;
  });
  return [...status, `package-lock.json ${lock}`, ...nodeModules].join('\n');
}

/** Fails with the command's output when it did not exit 0. */
function expectSuccess(step: string, result: RunResult): void {
  if (result.code !== 0) throw new Error(`${step} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
}

let root: string;
beforeAll(async () => {
  const built = ['theus/dist/index.js', 'cli/dist/main.js', 'eslint-plugin-theus/dist/index.js'];
  if (!built.every((file) => existsSync(join(REPOSITORY, 'packages', file)))) {
    throw new Error('Build the packages first: npm run build (it builds theus, theus-cli and eslint-plugin-theus)');
  }
  root = await makeTempDir('theus-templates-');
});
afterAll(async () => {
  await removeTempDir(root);
});

// One template at a time (the tests of a file run in order): each install and test run keeps the cores busy.
describe('every template installs, passes its tests and runs', () => {
  it.each(TEMPLATE_NAMES)(
    '%s',
    async (template) => {
      const project = join(root, template);
      const timings: string[] = [];
      const step = async (name: string, command: () => Promise<RunResult>): Promise<RunResult> => {
        const started = Date.now();
        const result = await command();
        timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)}s`);
        expectSuccess(`${template}: ${name}`, result);
        return result;
      };
      await step('init', () => runBin(['init', template, '--template', template], { cwd: root }));
      const before = repositorySnapshot();
      await step('npm install', () =>
        run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: project, timeoutMs: 5 * MINUTE }),
      );
      expect(repositorySnapshot()).toBe(before);
      const tests = await step('npm test', () => run('npm', ['test'], { cwd: project, timeoutMs: 3 * MINUTE }));
      expect(stripVTControlCharacters(tests.stdout)).toMatch(/Tests\s+\d+ passed/);
      const start = await step('npm start', () => run('npm', ['start'], { cwd: project, timeoutMs: MINUTE }));
      expect(start.stdout.trim()).not.toBe('');
      // The processes pass the Theus lint rules, and the workflow runs through the CLI.
      await step('npm run check', () => run('npm', ['run', 'check'], { cwd: project, timeoutMs: MINUTE }));
      if (template !== 'minimal')
        await step('npm run workflow', () => run('npm', ['run', 'workflow'], { cwd: project, timeoutMs: MINUTE }));
      expect(repositorySnapshot()).toBe(before);
      console.log(`${template}: ${timings.join(', ')}`);
    },
    10 * MINUTE,
  );
});

describe('theus init from an installed CLI', () => {
  it(
    'writes ^<version> specs for the Theus packages',
    async () => {
      const app = join(root, 'installed');
      await mkdir(app);
      await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'installed', version: '1.0.0', private: true }));
      const packages = ['theus', 'cli', 'eslint-plugin-theus'].map((name) => join(REPOSITORY, 'packages', name));
      const before = repositorySnapshot();
      // --install-links copies the folders (packed as a registry would serve them) instead of linking them.
      const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--install-links', ...packages], {
        cwd: app,
        timeoutMs: 5 * MINUTE,
      });
      expectSuccess('npm install --install-links', install);
      expect(repositorySnapshot()).toBe(before);
      expectSuccess(
        'theus init',
        await run(join(app, 'node_modules/.bin/theus'), ['init', 'gen', '--template', 'ecommerce'], { cwd: app }),
      );
      const generated = JSON.parse(readFileSync(join(app, 'gen/package.json'), 'utf8')) as Record<string, Record<string, string>>;
      const version = (folder: string): string =>
        (JSON.parse(readFileSync(join(REPOSITORY, 'packages', folder, 'package.json'), 'utf8')) as { version: string }).version;
      expect(generated.dependencies).toEqual({ theus: `^${version('theus')}`, zod: '4.6.7' });
      expect(generated.devDependencies).toMatchObject({
        'theus-cli': `^${version('cli')}`,
        'eslint-plugin-theus': `^${version('eslint-plugin-theus')}`,
      });
    },
    6 * MINUTE,
  );
});
