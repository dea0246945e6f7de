import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

const read = (path: string, declare: string, process = "'p'") => ({ messageId: 'undeclared' as const, data: { process, path, declare } });

ruleTester.run('contract-integrity', rules['contract-integrity'], {
  valid: [
    {
      name: 'dynamic keys below a declared input',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, (ctx, a: { from: string }) => ctx.domain.accounts[a.from] ?? 0);`,
    },
    {
      name: 'outputs may be read',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.x'] }, (ctx) => { ctx.domain.x = ctx.domain.x + 1; });`,
    },
    {
      name: 'ancestors of declared paths',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.a.b'] }, (ctx) => [Object.keys(ctx.domain), ctx.domain.a]);`,
    },
    {
      name: 'a dynamic key before the declared depth cannot be proven wrong',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts.alice'] }, (ctx, who: string) => ctx.domain.accounts[who]);`,
    },
    {
      name: 'the helpers',
      code: `${HEADER}export const p = t.process({ outputs: ['signal'] }, (ctx) => { ctx.local.x = ctx.local.y; ctx.log('x'); ctx.outbox.add('t'); ctx.signal('s'); });`,
    },
    {
      name: 'a contract that is not literal',
      code: `${HEADER}const INPUTS = ['domain.a'];\nexport const p = t.process({ inputs: INPUTS }, (ctx) => ctx.domain.b);`,
    },
    {
      name: 'methods called on declared values and their ancestors',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.order.items'] }, (ctx) => [ctx.domain.order.items.map((i: unknown) => i), ctx.domain.order.hasOwnProperty('x')]);`,
    },
    {
      name: 'a trailing .*',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.items.*'] }, (ctx) => ctx.domain.items[0].name);`,
    },
    {
      name: 'writes are left to POP-E05',
      code: `${HEADER}export const p = t.process({}, (ctx) => { ctx.domain.y = 1; ctx.domain.list.push(1); delete ctx.domain.z; });`,
    },
    {
      name: 'a type assertion opts out (the bank example does this on purpose)',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, function p(ctx) { return (ctx as unknown as { domain: { total: number } }).domain.total; });`,
    },
    {
      name: 'destructuring a declared path',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, (ctx) => { const { accounts } = ctx.domain; return accounts; });`,
    },
    { name: 'reads outside processes', code: `export function f(ctx: any) { return ctx.domain.anything; }` },
  ],
  invalid: [
    {
      name: 'a path next to the declared one',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, (ctx) => ctx.domain.total_reserves);`,
      errors: [read('ctx.domain.total_reserves', 'domain.total_reserves')],
    },
    {
      name: 'another namespace, through an alias of ctx',
      code: `${HEADER}export const p = process({ inputs: ['domain.user'] }, (ctx) => { const c = ctx; return c.trading.balance; });`,
      errors: [read('ctx.trading.balance', 'trading.balance')],
    },
    {
      name: 'a destructured name',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, (ctx) => { const { accounts, secret } = ctx.domain; return [accounts, secret]; });`,
      errors: [read('ctx.domain.secret', 'domain.secret')],
    },
    {
      name: 'a nested pattern as the ctx parameter',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.a'] }, ({ domain: { a, other } }: any) => [a, other]);`,
      errors: [read('ctx.domain.other', 'domain.other')],
    },
    {
      name: 'optional chaining and computed literal keys',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.a'] }, (ctx) => [ctx.domain?.['other'], ctx['global'].currency, ctx[\`domain\`].b]);`,
      errors: [read('ctx.domain.other', 'domain.other'), read('ctx.global.currency', 'global.currency'), read('ctx.domain.b', 'domain.b')],
    },
    {
      name: 'a dynamic key after an undeclared static prefix',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, (ctx, id: string) => ctx.domain.users[id]);`,
      errors: [read('ctx.domain.users[…]', 'domain.users')],
    },
    {
      name: 'an alias of an undeclared path is reported once',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'] }, (ctx) => { const u = ctx.domain.users; return [u.name, u.age]; });`,
      errors: [read('ctx.domain.users', 'domain.users')],
    },
    {
      name: 'nested functions of an async process made by createTheus<S>().process',
      code: `import { createTheus } from 'theus';\nexport const p = createTheus<any>().process({ inputs: ['domain.ids'] }, async (ctx) => { await 0; return ctx.domain.ids.map((id: string) => ctx.domain.names[id]); });`,
      errors: [read('ctx.domain.names[…]', 'domain.names')],
    },
    {
      name: 'type assertions below ctx are followed',
      code: `${HEADER}export const p = process({ inputs: ['domain.a'] }, (ctx) => [(ctx.domain as { b: number }).b, (ctx.domain.c as any).d]);`,
      errors: [read('ctx.domain.b', 'domain.b'), read('ctx.domain.c', 'domain.c')],
    },
    {
      name: 'a non-mutating method on an undeclared path, in an aliased import',
      code: `import { process as proc } from 'theus';\nfunction has(ctx: any) { return ctx.domain.list.includes(1); }\nexport const p = proc({ inputs: ['domain.other'] }, has);`,
      errors: [read('ctx.domain.list', 'domain.list', "'has'")],
    },
  ],
});
