// Code written to slip past the rules or to crash them: each case was a false negative, a false
// positive or a crash before the fix it names.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin, { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

const IMPORT = `import { process } from 'theus';\n`;
const P = { process: "'p'" };

/** Lints `code` as a TypeScript file with every rule of the plugin (`line:rule:code`, sorted); a rule that throws rejects. */
async function lintAll(code: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended],
  });
  const [result] = await eslint.lintText(code, { filePath: 'attack.ts' });
  return (result?.messages ?? []).map((message) => `${message.line}:${message.ruleId ?? 'fatal'}:${message.message.slice(0, 7)}`).sort();
}

ruleTester.run('attacks: processes the rules did not see', rules['no-console'], {
  valid: [
    {
      name: "another library's .process(name, handler) is still not a process",
      code: `const queue: any = {};\nqueue.process('jobs', async (job: unknown) => { console.log(job); });`,
    },
  ],
  invalid: [
    {
      name: 'the imported process with a contract held in a variable',
      code: `${IMPORT}const contract = { inputs: ['domain.count'], outputs: ['domain.count'] } as const;\nexport const p = process(contract, (ctx: any) => { console.log('x'); ctx.domain.count = 1; });`,
      errors: [{ messageId: 'console', data: { method: 'log', ...P } }],
    },
    {
      name: 'the imported process with a contract made by a function',
      code: `${IMPORT}declare function makeContract(): any;\nexport const p = process(makeContract(), function p(ctx: any) { console.warn('x'); ctx.domain.count = 1; });`,
      errors: [{ messageId: 'console', data: { method: 'warn', ...P } }],
    },
    {
      name: 'a process function held in a const',
      code: `${HEADER}const body = (ctx: any) => { console.log('x'); ctx.domain.count = 1; };\nexport const p = t.process({ outputs: ['domain.count'] }, body);`,
      errors: [{ messageId: 'console', data: { method: 'log', ...P } }],
    },
  ],
});

ruleTester.run('attacks: a `this` parameter before ctx', rules['no-undeclared-write'], {
  valid: [],
  invalid: [
    {
      name: 'function p(this: void, ctx)',
      code: `${IMPORT}export const p = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, function p(this: void, ctx: any) { ctx.domain.other = 1; });`,
      errors: [{ messageId: 'undeclared', data: { ...P, verb: 'assigns', path: 'ctx.domain.other', declare: 'domain.other' } }],
    },
  ],
});

ruleTester.run('attacks: writes the rules did not count', rules['no-undeclared-write'], {
  valid: [],
  invalid: [
    {
      name: 'Reflect and Object functions that write into their first argument',
      code: `${IMPORT}export const p = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, function p(ctx: any) {
  Reflect.set(ctx.domain, 'other', 1);
  Object.defineProperty(ctx.domain, 'other', { value: 1 });
  globalThis.Reflect.deleteProperty(ctx, 'domain');
});`,
      errors: [
        { messageId: 'undeclared', data: { ...P, verb: 'calls Reflect.set() on', path: 'ctx.domain', declare: 'domain' } },
        { messageId: 'undeclared', data: { ...P, verb: 'calls Object.defineProperty() on', path: 'ctx.domain', declare: 'domain' } },
        { messageId: 'undeclared', data: { ...P, verb: 'calls Reflect.deleteProperty() on', path: 'ctx', declare: '' } },
      ],
    },
    {
      name: 'a for...of or for...in loop whose target is a ctx path',
      code: `${IMPORT}export const p = process({ inputs: ['domain.x', 'domain.k'], outputs: ['domain.count'] }, function p(ctx: any) {
  for (ctx.domain.x of [1, 2]) ctx.domain.count = 1;
  for ({ k: ctx.domain.k } of [{ k: 1 }]);
  for (ctx.domain.y in {});
});`,
      errors: [
        { messageId: 'undeclared', data: { ...P, verb: 'assigns', path: 'ctx.domain.x', declare: 'domain.x' } },
        { messageId: 'undeclared', data: { ...P, verb: 'assigns', path: 'ctx.domain.k', declare: 'domain.k' } },
        { messageId: 'undeclared', data: { ...P, verb: 'assigns', path: 'ctx.domain.y', declare: 'domain.y' } },
      ],
    },
    {
      name: 'a contract key written twice holds its last list, as in JavaScript',
      code: `${IMPORT}export const p = process({ outputs: ['domain.count'], inputs: [], ['outputs']: [] }, function p(ctx: any) { ctx.domain.count = 1; });`,
      errors: [{ messageId: 'undeclared', data: { ...P, verb: 'assigns', path: 'ctx.domain.count', declare: 'domain.count' } }],
    },
  ],
});

ruleTester.run('attacks: Reflect is not a Map', rules['no-module-state'], {
  valid: [
    {
      name: 'Reflect.set on a local object',
      code: `${IMPORT}export const p = process({}, (ctx: any) => { const o = {}; Reflect.set(o, 'k', 1); return o; });`,
    },
  ],
  invalid: [
    {
      name: 'Reflect.set on the global object',
      code: `${IMPORT}export const p = process({}, (ctx: any) => { Reflect.set(globalThis, 'leak', 1); return 1; });`,
      errors: [{ messageId: 'globalState', data: { ...P, verb: 'calls Reflect.set() on', target: 'globalThis' } }],
    },
  ],
});

ruleTester.run('attacks: modules loaded another way', rules['no-file-io'], {
  valid: [],
  invalid: [
    {
      name: 'process.getBuiltinModule',
      code: `${IMPORT}export const p = process({}, (ctx: any) => globalThis.process.getBuiltinModule('node:fs').readFileSync('/etc/passwd'));`,
      errors: [{ messageId: 'load', data: { ...P, module: 'node:fs' } }],
    },
  ],
});

ruleTester.run('attacks: network calls made another way', rules['no-network'], {
  valid: [],
  invalid: [
    {
      name: 'fetch.call, fetch.apply, fetch.bind',
      code: `${IMPORT}export const p = process({}, async (ctx: any) => { await fetch.call(null, 'http://x'); await fetch.apply(null, ['http://x']); return fetch.bind(null); });`,
      errors: [
        { messageId: 'call', data: { ...P, name: 'fetch()' } },
        { messageId: 'call', data: { ...P, name: 'fetch()' } },
        { messageId: 'call', data: { ...P, name: 'fetch()' } },
      ],
    },
    {
      name: 'process.getBuiltinModule of a network module',
      code: `${IMPORT}export const p = process({}, (ctx: any) => globalThis.process.getBuiltinModule('node:https'));`,
      errors: [{ messageId: 'load', data: { ...P, module: 'node:https' } }],
    },
  ],
});

describe('attacks: code that crashed a rule or got past every rule', () => {
  it('a long chain of aliases declared in reverse order does not overflow the stack', async () => {
    const n = 3000;
    const aliases = Array.from({ length: n - 1 }, (_, i) => `  const a${n - 1 - i} = a${n - 2 - i};`).join('\n');
    const code = `${IMPORT}export const p = process({ inputs: ['domain.count'], outputs: ['domain.count'] }, (ctx: any) => {\n${aliases}\n  const a0 = ctx;\n  a${n - 1}.domain.internal_x = 1;\n});\n`;
    expect(await lintAll(code)).toEqual([`${n + 3}:theus/no-undeclared-write:POP-E05`, `${n + 3}:theus/no-zone-paradox:POP-E07`]);
  });

  it('a `this` parameter neither hides ctx nor makes the process look effect-free', async () => {
    const code = `${IMPORT}export const p = process({ inputs: ['domain.count'] }, function p(this: void, ctx: any) {\n  ctx.domain.internal_x = ctx.domain.secret;\n});\n`;
    expect(await lintAll(code)).toEqual([
      '3:theus/contract-integrity:POP-C01',
      '3:theus/no-undeclared-write:POP-E05',
      '3:theus/no-zone-paradox:POP-E07',
    ]);
  });

  it('modern syntax inside processes and contracts parses and lints without a crash', async () => {
    const code = `${IMPORT}declare function dec(...args: unknown[]): any;
const extra = ['domain.extra'];
export const p = process({ get name() { return 'p'; }, inputs: ['domain.count', \`domain.tpl\`, ...extra], outputs: ['domain.count'] } satisfies object, async function* p(this: unknown, ctx: any) {
  @dec class K { @dec accessor y = 1; static #z = 2; static { K.#z++; } #w = 1; has(o: object) { return #w in o; } get g() { return ctx.domain.count; } }
  await using res = { async [Symbol.asyncDispose]() {} };
  outer: for (const [k, { v = 0 } = {}] of Object.entries(ctx.domain.tpl ?? {})) { if (k) continue outer; else break outer; }
  yield* [new K().y];
  ctx.domain.count ??= 1;
  ctx.domain.count = (ctx.domain.count as number)! + (ctx.domain.tpl satisfies unknown ? 1 : 0);
  return ctx.domain.extra;
});
`;
    expect(await lintAll(code)).toEqual([]);
  });

  it('a for...of target in the CONST zone is a write, not a read', async () => {
    const code = `${IMPORT}export const p = process({ inputs: ['domain.const_rate'], outputs: ['domain.count'] }, (ctx: any) => {\n  for (ctx.domain.const_rate of [1]) ctx.domain.count = 1;\n});\n`;
    expect(await lintAll(code)).toEqual(['3:theus/no-undeclared-write:POP-E05', '3:theus/no-zone-paradox:POP-E07']);
  });
});
