import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

ruleTester.run('no-module-state', rules['no-module-state'], {
  valid: [
    {
      name: 'local variables and ctx writes',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.items'] }, (ctx) => { let n = 0; const seen = new Set(); seen.add(1); n++; ctx.domain.items.push(n); });`,
    },
    {
      name: 'module state changed outside processes',
      code: `${HEADER}let count = 0;\nexport function bump() { count++; }\nexport const p = t.process({}, () => count);`,
    },
    { name: 'reading module-level values', code: `${HEADER}const rates = { eur: 1 };\nexport const p = t.process({}, () => rates.eur);` },
    {
      name: 'a closure variable of an enclosing function, not of the module',
      code: `${HEADER}export function make() { let calls = 0; return t.process({}, () => { calls++; return calls; }); }`,
    },
    {
      name: 'a parameter shadowing a module variable',
      code: `${HEADER}let total = 0;\nexport const p = t.process({}, (ctx, total: number) => { total += 1; return total; });`,
    },
    {
      name: 'non-mutating methods on module objects',
      code: `${HEADER}const cache = new Map();\nexport const p = t.process({}, () => cache.get('x'));`,
    },
  ],
  invalid: [
    {
      name: 'incrementing a module-level let',
      code: `${HEADER}let count = 0;\nexport const p = t.process({}, () => { count++; return count; });`,
      errors: [{ messageId: 'moduleState', data: { process: "'p'", verb: 'updates', target: 'count' } }],
    },
    {
      name: 'assigning a module-level var in a nested function',
      code: `${HEADER}var last: unknown;\nexport const p = process({}, (ctx) => { [1].forEach((x) => { last = x; }); return 1; });`,
      errors: [{ messageId: 'moduleState', data: { process: "'p'", verb: 'assigns', target: 'last' } }],
    },
    {
      name: 'mutating module-level objects, arrays, Maps and Sets',
      code: `${HEADER}const state = { n: 0, list: [] as number[] };\nconst cache = new Map();\nconst seen = new Set();\nexport const p = t.process({}, async () => { state.n = 1; state.list.push(2); cache.set('a', 1); seen.clear(); delete state.n; state.list.splice(0); return 1; });`,
      errors: [
        { messageId: 'moduleState', data: { process: "'p'", verb: 'assigns', target: 'state.n' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'calls .push() on', target: 'state.list' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'calls .set() on', target: 'cache' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'calls .clear() on', target: 'seen' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'deletes', target: 'state.n' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'calls .splice() on', target: 'state.list' } },
      ],
    },
    {
      name: 'an imported object mutated, compound assignment, Object.assign',
      code: `import { registry } from './registry.js';\n${HEADER}const totals = { sum: 0 };\nexport const p = t.process({}, function p() { registry.add('x'); totals.sum += 2; Object.assign(totals, { sum: 0 }); return 1; });`,
      errors: [
        { messageId: 'moduleState', data: { process: "'p'", verb: 'calls .add() on', target: 'registry' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'updates', target: 'totals.sum' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'calls Object.assign() on', target: 'totals' } },
      ],
    },
    {
      name: 'globals: globalThis, window, global, an implicit global',
      code: `${HEADER}export const p = t.process({}, () => { globalThis.flag = true; window.count++; global.cache.push(1); leaked = 1; return 1; });`,
      errors: [
        { messageId: 'globalState', data: { process: "'p'", verb: 'assigns', target: 'globalThis.flag' } },
        { messageId: 'globalState', data: { process: "'p'", verb: 'updates', target: 'window.count' } },
        { messageId: 'globalState', data: { process: "'p'", verb: 'calls .push() on', target: 'global.cache' } },
        { messageId: 'globalState', data: { process: "'p'", verb: 'assigns', target: 'leaked' } },
      ],
    },
    {
      name: 'destructuring assignment into module state, in an aliased process',
      code: `import { process as proc } from 'theus';\nlet a = 0;\nconst box = { b: 0 };\nexport const p = proc({}, () => { [a, box.b] = [1, 2]; return a; });`,
      errors: [
        { messageId: 'moduleState', data: { process: "'p'", verb: 'assigns', target: 'a' } },
        { messageId: 'moduleState', data: { process: "'p'", verb: 'assigns', target: 'box.b' } },
      ],
    },
  ],
});
