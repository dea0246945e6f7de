import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

ruleTester.run('no-file-io', rules['no-file-io'], {
  valid: [
    {
      name: 'fs used outside processes only',
      code: `import { readFileSync } from 'node:fs';\n${HEADER}const seed = readFileSync('seed.json', 'utf8');\nexport const p = t.process({}, () => seed.length);`,
    },
    {
      name: 'a type-only import used inside a process',
      code: `import type { Stats } from 'fs';\n${HEADER}export const p = t.process({}, (ctx, stats: Stats) => stats.size);`,
    },
    {
      name: 'a local name shadowing the import',
      code: `import fs from 'fs';\n${HEADER}export const p = t.process({}, (ctx) => { const fs = { read: () => 1 }; return fs.read(); });`,
    },
    { name: 'no process in the file', code: `import fs from 'fs';\nexport const read = () => fs.readFileSync('x');` },
    { name: 'other modules', code: `import { join } from 'node:path';\n${HEADER}export const p = t.process({}, () => join('a', 'b'));` },
  ],
  invalid: [
    {
      name: 'a named import from node:fs called in a process',
      code: `import { readFileSync } from 'node:fs';\n${HEADER}export const p = t.process({}, function p() { return readFileSync('x', 'utf8'); });`,
      errors: [{ messageId: 'use', data: { name: 'readFileSync', module: 'node:fs', process: "'p'" } }],
    },
    {
      name: 'a default import member call',
      code: `import fs from 'fs';\n${HEADER}export const save = process({}, (ctx) => { fs.writeFileSync('x', 'y'); return 1; });`,
      errors: [{ messageId: 'use', data: { name: 'fs.writeFileSync', module: 'fs', process: "'save'" } }],
    },
    {
      name: 'a namespace import of fs/promises in an async process',
      code: `import * as fsp from 'fs/promises';\n${HEADER}export const p = t.process({}, async () => { return await fsp.readFile('x'); });`,
      errors: [{ messageId: 'use', data: { name: 'fsp.readFile', module: 'fs/promises', process: "'p'" } }],
    },
    {
      name: 'node:fs/promises in a nested function',
      code: `import { readFile } from 'node:fs/promises';\n${HEADER}export const p = t.process({ inputs: ['domain.files'] }, (ctx) => ctx.domain.files.map((f: string) => readFile(f)));`,
      errors: [{ messageId: 'use', data: { name: 'readFile', module: 'node:fs/promises', process: "'p'" } }],
    },
    {
      name: 'require() and dynamic import() inside a process',
      code: `${HEADER}export const p = t.process({}, async () => { const fs = require('fs'); const m = await import('node:fs'); return [fs, m]; });`,
      errors: [
        { messageId: 'load', data: { module: 'fs', process: "'p'" } },
        { messageId: 'load', data: { module: 'node:fs', process: "'p'" } },
        { messageId: 'use', data: { name: 'fs', module: 'fs', process: "'p'" } },
        { messageId: 'use', data: { name: 'm', module: 'node:fs', process: "'p'" } },
      ],
    },
    {
      name: 'a module-level require, used in an aliased process',
      code: `const { existsSync } = require('node:fs');\nimport { process as proc } from 'theus';\nexport const p = proc({}, () => existsSync('x'));`,
      errors: [{ messageId: 'use', data: { name: 'existsSync', module: 'node:fs', process: "'p'" } }],
    },
  ],
});
