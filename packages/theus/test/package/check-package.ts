/**
 * The package a user installs, checked the way a user gets it (run by CI: `npm run check:package`).
 *
 * 1. `npm pack` of packages/theus (its `prepack` builds `dist/`): the tarball must hold `dist/`,
 *    the JSON schemas (`schemas/`), README.md and LICENSE, and no sources or tests.
 * 2. publint (`--strict`) and arethetypeswrong (`--profile esm-only`: the package is ESM only) on
 *    that tarball.
 * 3. A fresh project in a temporary folder installs the tarball (`npm install ./theus-<v>.tgz`)
 *    and then:
 *    - `consumer.mjs` imports every entry under Node ESM and runs a process, an audit recipe file,
 *      a workflow file, `engine.scan()`, a state machine file, and an engine on a SQLite file
 *      reopened (the optional peer better-sqlite3 is linked from the repository's install, so
 *      the check does not compile it a second time);
 *    - `consumer.cjs` loads `theus` with `require()` (Node >= 20.19 loads ES modules that way);
 *    - `schemas.cjs` resolves and reads each JSON schema by its export (`theus/schemas/<name>.json`);
 *    - `consumer.ts` is type-checked against the packed `.d.ts` files (`skipLibCheck: false`) with
 *      `moduleResolution` `node16`, `nodenext` (with the repository's strictest flags) and
 *      `bundler` (with the DOM library), by the lowest supported TypeScript (5.6, the
 *      floor declared in `peerDependencies`), by the repository's TypeScript and by the newest.
 *
 * Flags: `--keep` leaves the temporary folder; `--probe-floor` also type-checks with TypeScript
 * 5.5 and expects it to fail (the evidence for the 5.6 floor).
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ROOT_TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const BIN = join(ROOT, 'node_modules/.bin');

/** The lowest TypeScript the published types support (`peerDependencies.typescript`), and the newest checked. */
const TS_FLOOR = '5.6.2';
const TS_NEWEST = '7.0.2';
const TS_BELOW_FLOOR = '5.5.4';

const args = new Set(process.argv.slice(2));
const keep = args.has('--keep');
const probeFloor = args.has('--probe-floor');

let failures = 0;
let checks = 0;

function run(command: string, commandArgs: readonly string[], options: ExecFileSyncOptions = {}): string {
  const out: string | Buffer | null = execFileSync(command, commandArgs, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  return out === null ? '' : out.toString();
}

/** Runs one check; prints `ok`/`FAIL` with the command's output on failure. */
function check(name: string, body: () => string | undefined): void {
  checks += 1;
  try {
    const note = body();
    console.log(`ok   ${name}${note === undefined || note === '' ? '' : `: ${note}`}`);
  } catch (error) {
    failures += 1;
    const e = error as { stdout?: unknown; stderr?: unknown; message?: string };
    const output = [e.stdout, e.stderr].filter((s) => typeof s === 'string' && s.trim() !== '').join('\n');
    console.log(`FAIL ${name}\n${output === '' ? String(e.message) : output}`.replace(/\n/g, '\n     '));
  }
}

/** Expects a command to fail; returns the first error line of its output. */
function expectFailure(command: string, commandArgs: readonly string[], options: ExecFileSyncOptions): string {
  try {
    run(command, commandArgs, options);
  } catch (error) {
    const stdout = (error as { stdout?: unknown }).stdout;
    const out = typeof stdout === 'string' ? stdout : '';
    return out.split('\n').find((line) => line.includes('error')) ?? 'failed';
  }
  throw new Error('expected the command to fail, it passed');
}

const work = mkdtempSync(join(tmpdir(), 'theus-package-'));
const app = join(work, 'app');
console.log(`Checking the packed package in ${work}`);

// 1. Build and pack (what `npm pack` does through `prepack`, in two steps so the JSON stays clean).
run('npm', ['run', 'build'], { cwd: PACKAGE_DIR, stdio: 'inherit' });
const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: PACKAGE_DIR })) as {
  filename: string;
  version: string;
  files: { path: string }[];
}[];
const info = packed[0];
if (info === undefined) throw new Error('npm pack printed no result');
const tarball = join(work, info.filename);
const packedFiles = info.files.map((f) => f.path);

check(`tarball ${info.filename} holds dist/, README.md and LICENSE, no sources or tests`, () => {
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/node-files.js']) {
    if (!packedFiles.includes(required)) throw new Error(`missing ${required} (packed: ${packedFiles.join(', ')})`);
  }
  const stray = packedFiles.filter((f) => /^(?:src|test|bench)\//.test(f) || f.endsWith('.tsbuildinfo'));
  if (stray.length > 0) throw new Error(`should not ship: ${stray.join(', ')}`);
  return `${String(packedFiles.length)} files`;
});

const SCHEMAS = ['workflow', 'audit-recipe', 'state-machine'];
check('tarball holds the JSON schemas (schemas/workflow.json, audit-recipe.json, state-machine.json)', () => {
  const missing = SCHEMAS.map((name) => `schemas/${name}.json`).filter((file) => !packedFiles.includes(file));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
  return undefined;
});

// 2. Package linters on the tarball itself.
check('publint --strict', () => run(join(BIN, 'publint'), ['run', tarball, '--strict']).trim().split('\n').at(-1));
check('arethetypeswrong --profile esm-only (node16 from ESM, bundler)', () => {
  run(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  return 'no problems';
});

/** A consumer tsconfig: strict, checking the package's declarations, with `options` on top. */
function consumerTsconfig(options: Record<string, unknown>): string {
  const compilerOptions = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [], ...options };
  return JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2);
}

// 3. A fresh consumer project.
mkdirSync(join(app, 'processes'), { recursive: true });
mkdirSync(join(app, 'parallel'), { recursive: true });
const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'theus-consumer', private: true, type: 'module' }, null, 2),
  'recipe.yaml': `process_recipes:\n  transfer:\n    inputs:\n      - field: amount\n        max: 800\n        level: B\n        message: "Transfer limit"\n`,
  'flow.yaml': `steps:\n  - flux: while\n    condition: "domain.accounts['bob'] < 400"\n    do:\n      - process: transfer\n        args: { from: alice, to: bob, amount: 100 }\n`,
  'machine.yaml': `initial: OPEN\nstates:\n  OPEN: { events: { cmd_bonus: PAID } }\n  PAID: { entry: [bonus], events: { EVT_CHAIN_DONE: DONE } }\n  DONE: { events: {} }\n`,
  'processes/bonus.mjs': `import { process } from 'theus';\nexport const bonus = process({ inputs: ['domain.accounts'], outputs: ['domain.accounts'] }, function bonus(ctx) {\n  ctx.domain.accounts.bob += 1;\n});\n`,
  'parallel/square.mjs': `import { process } from 'theus';\nexport const square = process({ name: 'square', inputs: ['domain.base'], parallel: true }, (ctx, { n }) => n * n + ctx.domain.base);\n`,
  'consumer.mjs': `import assert from 'node:assert/strict';
import { AuditBlockError, createTheus } from 'theus';
import { loadAuditRecipe } from 'theus/audit';
import { loadWorkflow } from 'theus/workflow';
import { loadMachine } from 'theus/fsm';
import { loadAuditRecipeFile, loadMachineFile, loadWorkflowFile, scanDirectory } from 'theus/node';
import { sqliteStore } from 'theus/store/sqlite';
import { postgresStore } from 'theus/store/postgres';
import { square } from './parallel/square.mjs';

// The PostgreSQL store loads (with its optional peer pg) and checks its options without any I/O.
assert.equal(postgresStore({ url: 'postgres://app@db.invalid/app', schema: 'bank' }).kind, 'postgres');

const t = createTheus();
const transfer = t.process({ inputs: ['domain.accounts'], outputs: ['domain.accounts'] }, function transfer(ctx, args) {
  ctx.domain.accounts[args.from] -= args.amount;
  ctx.domain.accounts[args.to] += args.amount;
});
const engine = t.engine({
  context: { domain: { accounts: { alice: 1000, bob: 0 } } },
  processes: [transfer],
  audit: await loadAuditRecipeFile('./recipe.yaml'),
});
await engine.execute(transfer, { from: 'alice', to: 'bob', amount: 100 });
await assert.rejects(engine.execute(transfer, { from: 'alice', to: 'bob', amount: 900 }), AuditBlockError);
const run = await engine.executeWorkflow('./flow.yaml');
assert.deepEqual([run.status, run.executed.length], ['complete', 3]);
assert.deepEqual(await engine.scan('./processes'), ['bonus']);
assert.equal((await scanDirectory('./processes'))[0]?.name, 'bonus');
const machine = engine.machine(await loadMachineFile('./machine.yaml'));
await machine.send('cmd_bonus');
assert.equal(machine.state, 'DONE');
assert.deepEqual(engine.state.domain.accounts, { alice: 600, bob: 401 });
assert.equal((await loadWorkflowFile('./flow.yaml')).processes[0], 'transfer');
assert.equal(loadWorkflow('steps: [{ process: transfer }]').steps.length, 1);
assert.equal(loadMachine('initial: A\\nstates: { A: { events: {} } }').initial, 'A');
assert.ok(loadAuditRecipe('process_recipes: { transfer: { inputs: [] } }').processes.transfer);
await engine.close();
const durable = await t.engine({ context: { domain: { accounts: { alice: 10, bob: 0 } } }, processes: [transfer], store: sqliteStore({ path: './bank.db' }) }).ready;
await durable.execute(transfer, { from: 'alice', to: 'bob', amount: 3 });
await durable.close();
const reopened = await t.engine({ processes: [transfer], store: sqliteStore({ path: './bank.db' }) }).ready;
assert.deepEqual([reopened.version, reopened.state.domain.accounts], [1, { alice: 7, bob: 3 }]);
await reopened.close();
const pool = t.engine({ context: { domain: { base: 1 } }, processes: [square], workers: { size: 2 } });
assert.deepEqual(await pool.executeParallel(square, [{ n: 2 }, { n: 3 }, { n: 4 }]), [5, 10, 17]);
await pool.close();
console.log('version', engine.version, JSON.stringify(engine.state.domain.accounts));
`,
  'consumer.cjs': `const { createTheus, Engine } = require('theus');
const { loadMachine } = require('theus/fsm');
if (typeof createTheus !== 'function' || typeof Engine !== 'function' || typeof loadMachine !== 'function') throw new Error('require(theus) lost exports');
console.log('require(theus) ok');
`,
  'schemas.cjs': `for (const name of ${JSON.stringify(SCHEMAS)}) {
  const schema = require(\`theus/schemas/\${name}.json\`);
  if (schema.$id !== \`https://theus.dev/schemas/\${name}.json\`) throw new Error(\`theus/schemas/\${name}.json has $id \${schema.$id}\`);
}
console.log('theus/schemas/*.json ok');
`,
  'consumer.ts': `import { AuditBlockError, createTheus, type DeepReadonly, type Engine } from 'theus';
import { loadAuditRecipe, type AuditRecipe } from 'theus/audit';
import { loadWorkflow, type Workflow } from 'theus/workflow';
import { loadMachine, type MachineDefinition } from 'theus/fsm';
import { loadAuditRecipeFile, loadMachineFile, loadWorkflowFile, scanDirectory } from 'theus/node';
import { sqliteStore, type SqliteStoreOptions } from 'theus/store/sqlite';
import { postgresStore, type PostgresStoreOptions } from 'theus/store/postgres';
import { WorkerPool, type WorkerPoolOptions } from 'theus/parallel';

interface Bank {
  domain: { accounts: Record<string, number> };
}
const t = createTheus<Bank>();

export const transfer = t.process(
  { inputs: ['domain.accounts'], outputs: ['domain.accounts'] },
  function transfer(ctx, args: { from: string; to: string; amount: number }) {
    ctx.domain.accounts[args.from] = (ctx.domain.accounts[args.from] ?? 0) - args.amount;
    ctx.domain.accounts[args.to] = (ctx.domain.accounts[args.to] ?? 0) + args.amount;
  },
);

// @ts-expect-error a typo in a declared path is a compile error
t.process({ inputs: ['domain.acounts'], outputs: [] }, function typo() {});

export const engine: Engine<Bank> = t.engine({ context: { domain: { accounts: { alice: 1000, bob: 0 } } }, processes: [transfer] });
export const accounts: DeepReadonly<Bank['domain']['accounts']> = engine.state.domain.accounts;
export const run = engine.execute(transfer, { from: 'alice', to: 'bob', amount: 100 });
export const recipe: AuditRecipe = loadAuditRecipe('process_recipes: {}');
export const workflow: Workflow = loadWorkflow('steps: [{ process: transfer }]');
export const machine: MachineDefinition = loadMachine('initial: A\\nstates: { A: { events: {} } }');
export const loaders = [loadAuditRecipeFile, loadMachineFile, loadWorkflowFile, scanDirectory] as const;
export const isBlock = (error: unknown): boolean => error instanceof AuditBlockError;
const storeOptions: SqliteStoreOptions = { path: 'bank.db', synchronous: 'full', snapshotEvery: 500 };
export const durable: Promise<Engine<Bank>> = t.engine({ processes: [transfer], store: sqliteStore(storeOptions) }).ready;
const sharedOptions: PostgresStoreOptions = { url: 'postgres://app@db.example/app', schema: 'bank', outboxLeaseMs: 60_000 };
export const shared = (): Promise<Engine<Bank>> => t.engine({ processes: [transfer], store: postgresStore(sharedOptions) }).ready;
const poolOptions: WorkerPoolOptions = { size: 2, idleTimeoutMs: 1000 };
export const pool = (): WorkerPool => new WorkerPool(poolOptions);
export const sums: Promise<number[]> = engine.executeParallel(transfer, [{ from: 'alice', to: 'bob', amount: 1 }]).then(() => [1]);
`,
  'tsconfig.node16.json': consumerTsconfig({ module: 'node16', moduleResolution: 'node16' }),
  'tsconfig.nodenext.json': consumerTsconfig({
    module: 'nodenext',
    moduleResolution: 'nodenext',
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
  }),
  'tsconfig.bundler.json': consumerTsconfig({ module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] }),
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);

const typescripts = probeFloor ? [TS_FLOOR, TS_NEWEST, TS_BELOW_FLOOR] : [TS_FLOOR, TS_NEWEST];
check(`npm install ./${info.filename} (+ typescript ${typescripts.join(', ')} as aliases)`, () => {
  const aliases = typescripts.map((v) => `ts-${v}@npm:typescript@${v}`);
  // Linked, built already: --ignore-scripts keeps npm from rebuilding it in the repository's node_modules.
  const sqlite = join(ROOT, 'node_modules/better-sqlite3');
  const pg = join(ROOT, 'node_modules/pg');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, sqlite, pg, ...aliases], { cwd: app });
  const installed = JSON.parse(readFileSync(join(app, 'node_modules/theus/package.json'), 'utf8')) as { version: string };
  return `theus ${installed.version}`;
});

const appRun = { cwd: app };
check(
  'node consumer.mjs (every entry under Node ESM: process, audit file, workflow file, scan, machine file, SQLite file reopened, PostgreSQL store created, parallel processes in worker threads)',
  () => run('node', ['consumer.mjs'], appRun).trim(),
);
check('node consumer.cjs (require of the ESM package, Node >= 20.19)', () => run('node', ['consumer.cjs'], appRun).trim());
check('node schemas.cjs (each JSON schema resolves by its export)', () => run('node', ['schemas.cjs'], appRun).trim());

const tscOf = (version: string): string => join(app, `node_modules/ts-${version}/bin/tsc`);
const compilers: [string, string][] = [
  [`TypeScript ${TS_FLOOR} (floor)`, tscOf(TS_FLOOR)],
  ['TypeScript of the repository', ROOT_TSC],
  [`TypeScript ${TS_NEWEST} (newest)`, tscOf(TS_NEWEST)],
];
for (const [label, tsc] of compilers) {
  for (const resolution of ['node16', 'nodenext', 'bundler']) {
    check(`${label}: tsc -p tsconfig.${resolution}.json (skipLibCheck false)`, () => {
      run('node', [tsc, '-p', `tsconfig.${resolution}.json`], appRun);
      return run('node', [tsc, '--version'], appRun).trim();
    });
  }
}
if (probeFloor) {
  check(`TypeScript ${TS_BELOW_FLOOR} (below the floor) fails, as documented`, () =>
    expectFailure('node', [tscOf(TS_BELOW_FLOOR), '-p', 'tsconfig.node16.json'], appRun),
  );
}

if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`${String(checks - failures)} passed, ${String(failures)} failed`);
process.exitCode = failures === 0 ? 0 : 1;
