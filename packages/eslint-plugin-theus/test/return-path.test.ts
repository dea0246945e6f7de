import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

ruleTester.run('return-path', rules['return-path'], {
  valid: [
    {
      name: 'a value on every path, throws allowed',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.x'] }, (ctx) => { if (ctx.domain.x < 0) throw new RangeError('x'); if (ctx.domain.x === 0) return 'zero'; return 'positive'; });`,
    },
    { name: 'only shadow writes', code: `${HEADER}export const p = t.process({ outputs: ['domain.x'] }, (ctx) => { ctx.domain.x = 1; });` },
    { name: 'an expression body', code: `${HEADER}export const p = t.process({ outputs: ['domain.ok'] }, () => true);` },
    { name: 'an outbox message only', code: `${HEADER}export const p = process({}, (ctx) => { ctx.outbox.add('mail', { to: 'a' }); });` },
    {
      name: 'a validator that only throws',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.items'] }, (ctx) => { if (ctx.domain.items.length === 0) throw new Error('empty'); });`,
    },
    {
      name: 'ctx handed to a helper',
      code: `${HEADER}declare function apply(ctx: unknown): void;\nexport const p = t.process({ outputs: ['domain.x'] }, (ctx) => { apply(ctx); });`,
    },
    {
      name: 'return undefined explicitly on every path',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.x'] }, (ctx, a: boolean) => { if (a) return undefined; ctx.domain.x = 1; return undefined; });`,
    },
    {
      name: 'returns of nested functions belong to them',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.x'] }, (ctx) => { const f = (n: number) => { if (n) return n; }; ctx.domain.x = f(1); });`,
    },
    { name: 'a function that is not a process', code: `export function f(a: boolean) { if (a) return 1; }` },
    {
      name: 'a switch where every case returns or throws',
      code: `${HEADER}export const p = t.process({}, function p(ctx, k: string) { switch (k) { case 'a': return 1; case 'b': return 2; default: throw new Error(k); } });`,
    },
    {
      name: 'ctx.log and ctx.signal are effects',
      code: `${HEADER}export const a = t.process({}, (ctx) => { ctx.log('x'); });\nexport const b = t.process({ outputs: ['signal'] }, (ctx) => { ctx.signal('go'); });`,
    },
    {
      name: 'writes through a type assertion below ctx',
      code: `${HEADER}export const p = process({ outputs: ['domain.accounts'] }, (ctx) => { const accounts = ctx.domain.accounts as Record<string, number>; accounts.a = 1; });`,
    },
    {
      name: 'ctx cast as a whole may do anything',
      code: `${HEADER}export const p = process({}, (ctx) => { (ctx as any).domain.x = 1; });`,
    },
    {
      name: 'a write through a destructured alias',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.items'] }, ({ domain }: any) => { domain.items.push(1); });`,
    },
  ],
  invalid: [
    {
      name: 'a path that falls off the end',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.x'] }, (ctx) => { if (ctx.domain.x) return 1; });`,
      errors: [{ messageId: 'fallsOff', data: { process: "'p'" } }],
    },
    {
      name: 'a bare return beside value returns',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.x'] }, (ctx) => { if (ctx.domain.x) return; return 1; });`,
      errors: [{ messageId: 'bareReturn', data: { process: "'p'" } }],
    },
    {
      name: 'a process that only reads',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.a'] }, (ctx) => { const x = ctx.domain.a; void x; });`,
      errors: [{ messageId: 'noEffect', data: { process: "'p'" } }],
    },
    {
      name: 'a process that only writes ctx.local',
      code: `${HEADER}export const p = process({}, function p(ctx) { ctx.local.scratch = 1; });`,
      errors: [{ messageId: 'noEffect', data: { process: "'p'" } }],
    },
    {
      name: 'a process with no ctx parameter and no return',
      code: `import { process as proc } from 'theus';\nexport const p = proc({}, () => { Object.keys({}); });`,
      errors: [{ messageId: 'noEffect', data: { process: "'p'" } }],
    },
    {
      name: 'an async process that falls off the end',
      code: `${HEADER}export const p = t.process({}, async (ctx, a: boolean) => { if (a) { return await Promise.resolve(1); } });`,
      errors: [{ messageId: 'fallsOff', data: { process: "'p'" } }],
    },
    {
      name: 'a function declaration passed by name',
      code: `${HEADER}function check(ctx: any, n: number) { while (n > 0) { if (n === 3) return n; n--; } }\nexport const p = t.process({}, check);`,
      errors: [{ messageId: 'fallsOff', data: { process: "'check'" } }],
    },
    {
      name: 'a catch block that falls off the end',
      code: `${HEADER}export const p = t.process({}, (ctx) => { try { return JSON.parse('1'); } catch { ctx.log('bad'); } });`,
      errors: [{ messageId: 'fallsOff', data: { process: "'p'" } }],
    },
    {
      name: 'handing ctx paths to reading built-ins is no effect',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.a'] }, (ctx) => { JSON.stringify(ctx.domain.a); Object.keys(ctx.domain.a); });`,
      errors: [{ messageId: 'noEffect', data: { process: "'p'" } }],
    },
  ],
});
