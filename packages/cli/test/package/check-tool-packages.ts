/**
 * The CLI and the ESLint plugin as users get them (run by CI after the theus package check:
 * `npm run check:package`): a build then `npm pack` of each, the files each
 * tarball must hold and must not, and publint `--strict` on both; arethetypeswrong on the plugin
 * (the CLI is a bin without types). Installing and running them is covered by
 * packages/cli/test/templates.test.ts, whose "installed CLI" case copies the packages into a
 * project as npm would from a registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules/.bin');

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** What each package's tarball must hold (exact paths, or prefixes ending in `/`), and what it must not. */
const PACKAGES = [
  {
    name: 'theus-cli',
    required: [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/theus.js',
      'dist/main.js',
      'templates/minimal/',
      'templates/bank/',
      'templates/ecommerce/',
      'templates/agent/',
    ],
    attw: false,
  },
  {
    name: 'eslint-plugin-theus',
    required: [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'docs/rules/no-console.md',
      'docs/rules/contract-integrity.md',
    ],
    attw: true,
  },
] as const;
const FORBIDDEN = /^(src|test)\/|\.test\.|node_modules\//;

const work = mkdtempSync(join(tmpdir(), 'theus-tools-package-'));
let failures = 0;
try {
  for (const pkg of PACKAGES) {
    // Build, then pack without scripts: `prepack`'s build output would otherwise share stdout with the JSON.
    execFileSync('npm', ['run', 'build', '-w', pkg.name], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    const output = execFileSync('npm', ['pack', '-w', pkg.name, '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const packed = (JSON.parse(output) as Packed[])[0];
    if (packed === undefined) throw new Error(`npm pack -w ${pkg.name} reported no tarball`);
    const paths = packed.files.map((file) => file.path);
    const missing = pkg.required.filter((required) =>
      required.endsWith('/') ? !paths.some((p) => p.startsWith(required)) : !paths.includes(required),
    );
    const stray = paths.filter((path) => FORBIDDEN.test(path) && !path.startsWith('templates/'));
    const tarball = join(work, packed.filename);
    const problems = [...missing.map((m) => `missing ${m}`), ...stray.map((s) => `should not ship ${s}`)];
    try {
      execFileSync(join(BIN, 'publint'), ['run', tarball, '--strict'], { stdio: 'pipe' });
      if (pkg.attw) execFileSync(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { stdio: 'pipe' });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      problems.push(`${String(stdout ?? '')}${String(stderr ?? '')}`.trim());
    }
    if (problems.length > 0) failures++;
    console.log(
      `${problems.length === 0 ? 'ok  ' : 'FAIL'} ${pkg.name}: ${paths.length} files${problems.length === 0 ? '' : `\n  ${problems.join('\n  ')}`}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failures > 0) process.exit(1);
