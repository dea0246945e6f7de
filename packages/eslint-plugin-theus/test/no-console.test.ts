import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

ruleTester.run('no-console', rules['no-console'], {
  valid: [
    { name: 'console at module level', code: `${HEADER}console.log('ready');\nexport const p = process({}, (ctx) => 1);` },
    {
      name: 'ctx.log inside a process',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.x'] }, (ctx) => { ctx.log('hi'); return 1; });`,
    },
    {
      name: 'a local console shadows the global',
      code: `${HEADER}export const p = t.process({}, (ctx) => { const console = { log: (m: string) => m }; return console.log('x'); });`,
    },
    { name: 'process from another module', code: `import { process } from 'other';\nprocess({}, (ctx) => { console.log(ctx); });` },
    { name: 'a contract that is not a literal', code: `${HEADER}const c = {};\nt.process(c, (ctx) => { console.log(ctx); });` },
    {
      name: 'Node process.env inside a process',
      code: `const p = createTheus<any>().process({}, () => globalThis.process.env.X);\nimport { createTheus } from 'theus';`,
    },
    { name: 'helper functions outside processes', code: `${HEADER}function report() { console.log('x'); process.stdout?.write('y'); }` },
  ],
  invalid: [
    {
      name: 'console.log in an imported process',
      code: `${HEADER}export const p = process({ name: 'p' }, (ctx) => { console.log(ctx); return 1; });`,
      errors: [{ messageId: 'console', data: { method: 'log', process: "'p'" } }],
    },
    {
      name: 'aliased import of process',
      code: `import { process as proc } from 'theus';\nexport const greet = proc({}, function greet(ctx) { console.error('x'); return 1; });`,
      errors: [{ messageId: 'console', data: { method: 'error', process: "'greet'" } }],
    },
    {
      name: 'console in a nested callback of t.process',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.items'] }, (ctx) => ctx.domain.items.map((item: unknown) => { console.warn(item); return item; }));`,
      errors: [{ messageId: 'console', data: { method: 'warn', process: "'p'" } }],
    },
    {
      name: 'globalThis.console in createTheus<S>().process',
      code: `import { createTheus } from 'theus';\ninterface S { domain: { x: number } }\nexport const p = createTheus<S>().process({}, async (ctx) => { globalThis.console.info('x'); return 1; });`,
      errors: [{ messageId: 'console', data: { method: 'info', process: "'p'" } }],
    },
    {
      name: 'process.stdout.write in an async process',
      code: `${HEADER}export const p = t.process({}, async (ctx) => { await Promise.resolve(); process.stdout.write('x'); return 1; });`.replace(
        "import { createTheus, process } from 'theus';",
        "import { createTheus } from 'theus';",
      ),
      errors: [{ messageId: 'stream', data: { stream: 'stdout', process: "'p'" } }],
    },
    {
      name: 'process.stderr through a function declaration passed by name',
      code: `import { createTheus } from 'theus';\nconst t = createTheus<any>();\nfunction handler(ctx: any) { process.stderr.write('x'); return ctx; }\nexport const p = t.process({}, handler);`,
      errors: [{ messageId: 'stream', data: { stream: 'stderr', process: "'handler'" } }],
    },
    {
      name: 'a console method passed as a callback',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.items'] }, (ctx) => { ctx.domain.items.forEach(console.log); return 1; });`,
      errors: [{ messageId: 'console' }],
    },
  ],
});
