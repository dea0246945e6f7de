import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

const undeclared = (verb: string, path: string, declare: string, process = "'p'") => ({
  messageId: 'undeclared' as const,
  data: { process, verb, path, declare },
});

ruleTester.run('no-undeclared-write', rules['no-undeclared-write'], {
  valid: [
    {
      name: 'writes under a declared output, with dynamic keys',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.accounts'], outputs: ['domain.accounts'] }, (ctx, a: { from: string; to: string }) => { ctx.domain.accounts[a.from] -= 1; ctx.domain.accounts[a.to] = (ctx.domain.accounts[a.to] ?? 0) + 1; });`,
    },
    {
      name: 'ctx.local is always writable',
      code: `${HEADER}export const p = t.process({}, (ctx) => { ctx.local.n = 1; ctx.local.items = []; return 1; });`,
    },
    {
      name: 'a contract list that is not a literal',
      code: `${HEADER}const OUTS = ['domain.x'];\nexport const p = t.process({ outputs: OUTS }, (ctx) => { ctx.domain.y = 1; });`,
    },
    {
      name: 'a spread in the contract',
      code: `${HEADER}const base = {};\nexport const p = t.process({ ...base, outputs: [] }, (ctx) => { ctx.domain.y = 1; });`,
    },
    {
      name: 'a trailing .* means the parent',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.items.*'] }, (ctx) => { ctx.domain.items.push(1); });`,
    },
    {
      name: 'a declared path covers its subtree',
      code: `${HEADER}export const p = t.process({ outputs: ['domain'] }, (ctx) => { ctx.domain.a.b = 1; delete ctx.domain.c; });`,
    },
    {
      name: 'a dynamic key above a declared output cannot be proven wrong',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.accounts.alice'] }, (ctx, who: string) => { ctx.domain.accounts[who] = 1; });`,
    },
    {
      name: 'in-place writes to a HEAVY input',
      code: `${HEADER}export const p = t.process({ inputs: ['heavy.field'], outputs: ['domain.sum'] }, (ctx) => { const field = ctx.heavy.field; field[0] = 1; ctx.heavy.field.set([2]); ctx.domain.sum = 3; });`,
    },
    {
      name: 'rebinding names is not a write',
      code: `${HEADER}export const p = t.process({}, (ctx, other: any) => { let items = ctx.domain; items = other; ctx = other; return items; });`,
    },
    {
      name: 'outbox and signals in an effect process that declares a signal',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.sig_done'] }, (ctx) => { ctx.outbox.add('t', 1); ctx.signal('cmd_x', true); ctx.log('ok'); });`,
    },
    {
      name: "the 'signal' output",
      code: `${HEADER}export const p = t.process({ outputs: ['signal'] }, (ctx) => { ctx.signal('done'); });`,
    },
    { name: 'a function that is not a process', code: `export function f(ctx: any) { ctx.domain.x = 1; }` },
    {
      name: 'destructured names under a declared output',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.accounts'] }, (ctx) => { const { accounts } = ctx.domain; accounts.bob = 1; });`,
    },
    {
      name: 'a type assertion opts out',
      code: `${HEADER}export const p = t.process({}, (ctx) => { (ctx as any).domain.x = 1; return 1; });`,
    },
    {
      name: 'as const lists in a satisfies contract',
      code: `import { process, type ProcessContract } from 'theus';\nexport const p = process({ outputs: ['domain.x'] as const } satisfies ProcessContract, (ctx) => { ctx.domain.x = 1; });`,
    },
    {
      name: 'pure processes may log',
      code: `${HEADER}export const p = t.process({ semantic: 'pure' }, (ctx) => { ctx.log('x'); ctx.local.y = 1; return 1; });`,
    },
  ],
  invalid: [
    {
      name: 'an assignment to an undeclared path',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.x'] }, (ctx) => { ctx.domain.y = 1; });`,
      errors: [undeclared('assigns', 'ctx.domain.y', 'domain.y')],
    },
    {
      name: 'compound assignment, ++, delete on input-only paths',
      code: `${HEADER}export const p = process({ inputs: ['domain.x', 'domain.m'] }, (ctx) => { ctx.domain.x += 1; ctx.domain.x++; delete ctx.domain.m.k; });`,
      errors: [
        undeclared('updates', 'ctx.domain.x', 'domain.x'),
        undeclared('updates', 'ctx.domain.x', 'domain.x'),
        undeclared('deletes', 'ctx.domain.m.k', 'domain.m.k'),
      ],
    },
    {
      name: 'mutating methods through an alias of ctx',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.other'] }, (ctx) => { const c = ctx; c.domain.list.push(1); c.domain.tags.add('x'); c.domain.map.clear(); });`,
      errors: [
        undeclared('calls .push() on', 'ctx.domain.list', 'domain.list'),
        undeclared('calls .add() on', 'ctx.domain.tags', 'domain.tags'),
        undeclared('calls .clear() on', 'ctx.domain.map', 'domain.map'),
      ],
    },
    {
      name: 'a destructured binding written with a dynamic key',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.other'] }, (ctx, id: string) => { const { accounts } = ctx.domain; accounts[id] = 0; });`,
      errors: [undeclared('assigns', 'ctx.domain.accounts[…]', 'domain.accounts')],
    },
    {
      name: 'a nested destructuring pattern as the ctx parameter',
      code: `${HEADER}export const p = t.process({}, ({ domain: { items } }: any) => { items.push(1); });`,
      errors: [undeclared('calls .push() on', 'ctx.domain.items', 'domain.items')],
    },
    {
      name: 'optional chaining, computed literal keys and template literals',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.ok'] }, (ctx) => { ctx.domain?.list?.push(1); ctx['domain']['x'] = 1; ctx[\`domain\`].y = 2; });`,
      errors: [
        undeclared('calls .push() on', 'ctx.domain.list', 'domain.list'),
        undeclared('assigns', 'ctx.domain.x', 'domain.x'),
        undeclared('assigns', 'ctx.domain.y', 'domain.y'),
      ],
    },
    {
      name: 'replacing an ancestor of the declared output',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.accounts'] }, (ctx) => { ctx.domain = { accounts: {} }; });`,
      errors: [undeclared('assigns', 'ctx.domain', 'domain')],
    },
    {
      name: 'a pure process that writes',
      code: `${HEADER}export const p = t.process({ semantic: 'pure', outputs: ['domain.x'] }, (ctx) => { ctx.domain.x = 1; return 1; });`,
      errors: [{ messageId: 'pureWrite', data: { process: "'p'", verb: 'assigns', path: 'ctx.domain.x' } }],
    },
    {
      name: 'a pure process that enqueues and signals',
      code: `${HEADER}export const p = t.process({ semantic: 'pure', outputs: ['signal'] }, (ctx) => { ctx.outbox.add('t'); ctx.signal('s'); return 1; });`,
      errors: [
        { messageId: 'pureEffect', data: { process: "'p'", helper: 'outbox.add' } },
        { messageId: 'pureEffect', data: { process: "'p'", helper: 'signal' } },
      ],
    },
    {
      name: 'ctx.signal without a SIGNAL output',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.x'] }, (ctx) => { ctx.signal('done', true); });`,
      errors: [{ messageId: 'signal', data: { process: "'p'" } }],
    },
    {
      name: 'an async process writing in a nested callback',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.ids'] }, async (ctx) => { await Promise.resolve(); ctx.domain.ids.forEach((id: string) => { ctx.domain.done[id] = true; }); });`,
      errors: [undeclared('assigns', 'ctx.domain.done[…]', 'domain.done')],
    },
    {
      name: 'replacing a HEAVY input needs an output',
      code: `${HEADER}export const p = t.process({ inputs: ['heavy.field'] }, (ctx) => { ctx.heavy.field = new Float64Array(1); });`,
      errors: [undeclared('assigns', 'ctx.heavy.field', 'heavy.field')],
    },
    {
      name: 'writing the elements of a for...of over an input',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.items'] }, (ctx) => { for (const item of ctx.domain.items) item.done = true; });`,
      errors: [undeclared('assigns', 'ctx.domain.items[…]', 'domain.items')],
    },
    {
      name: 'a function declaration given to an aliased process import',
      code: `import { process as proc } from 'theus';\nfunction archive(ctx: any) { ctx.domain.archive = []; }\nexport const p = proc({ name: 'archive', outputs: [] }, archive);`,
      errors: [undeclared('assigns', 'ctx.domain.archive', 'domain.archive', "'archive'")],
    },
    {
      name: 'type assertions below ctx are followed',
      code: `${HEADER}export const p = process({ outputs: [] }, (ctx, key: string) => { (ctx.domain.items as Record<string, unknown>)[key] = 1; const n = <any>ctx.domain.n; n.v = 2; });`,
      errors: [undeclared('assigns', 'ctx.domain.items[…]', 'domain.items'), undeclared('assigns', 'ctx.domain.n.v', 'domain.n.v')],
    },
    {
      name: 'a contract written with satisfies',
      code: `import { process, type ProcessContract } from 'theus';\nexport const p = process({ outputs: ['domain.x'] } satisfies ProcessContract, (ctx) => { ctx.domain.y = 1; });`,
      errors: [undeclared('assigns', 'ctx.domain.y', 'domain.y')],
    },
    {
      name: 'a destructuring assignment in createTheus<S>().process',
      code: `import { createTheus } from 'theus';\nexport const p = createTheus<any>().process({ outputs: ['domain.a'] }, (ctx) => { [ctx.domain.a, ctx.domain.b] = [1, 2]; });`,
      errors: [undeclared('assigns', 'ctx.domain.b', 'domain.b')],
    },
  ],
});
