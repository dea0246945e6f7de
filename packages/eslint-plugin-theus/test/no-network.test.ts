import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

ruleTester.run('no-network', rules['no-network'], {
  valid: [
    { name: 'a network client in a file without processes', code: `import axios from 'axios';\nexport const get = () => axios.get('/x');` },
    {
      name: 'a type-only import',
      code: `import type { Agent } from 'node:http';\n${HEADER}export const p = t.process({}, (ctx, agent: Agent) => agent);`,
    },
    {
      name: 'type-only specifiers',
      code: `import { type IncomingMessage } from 'http';\n${HEADER}export const p = t.process({}, (ctx, m: IncomingMessage) => m);`,
    },
    { name: 'fetch outside processes', code: `${HEADER}export const load = () => fetch('/x');\nexport const p = t.process({}, () => 1);` },
    {
      name: 'a local fetch',
      code: `${HEADER}export const p = t.process({}, () => { const fetch = (u: string) => u; return fetch('/x'); });`,
    },
    {
      name: 'modules whose name only starts like a client',
      code: `import proxy from 'http-proxy';\n${HEADER}export const p = t.process({}, () => proxy);`,
    },
  ],
  invalid: [
    {
      name: 'axios imported in a file with a process',
      code: `import axios from 'axios';\n${HEADER}export const p = t.process({}, () => 1);`,
      errors: [{ messageId: 'import', data: { module: 'axios' } }],
    },
    {
      name: 'node: built-ins and sub-paths',
      code: `import https from 'node:https';\nimport { request } from 'undici/lib/api';\nimport WebSocketClient from 'ws';\n${HEADER}export const p = process({}, () => 1);`,
      errors: [
        { messageId: 'import', data: { module: 'node:https' } },
        { messageId: 'import', data: { module: 'undici/lib/api' } },
        { messageId: 'import', data: { module: 'ws' } },
      ],
    },
    {
      name: 'a side-effect import and import = require',
      code: `import 'http2';\nimport net = require('net');\n${HEADER}export const p = t.process({}, () => net);`,
      errors: [
        { messageId: 'import', data: { module: 'http2' } },
        { messageId: 'import', data: { module: 'net' } },
      ],
    },
    {
      name: 'global fetch in an async process',
      code: `${HEADER}export const p = t.process({}, async function p() { const r = await fetch('/x'); return r.status; });`,
      errors: [{ messageId: 'call', data: { name: 'fetch()', process: "'p'" } }],
    },
    {
      name: 'globalThis.fetch, new WebSocket and new EventSource',
      code: `${HEADER}export const p = t.process({}, () => [globalThis.fetch('/x'), new WebSocket('ws://x'), new EventSource('/e')]);`,
      errors: [
        { messageId: 'call', data: { name: 'fetch()', process: "'p'" } },
        { messageId: 'call', data: { name: 'new WebSocket()', process: "'p'" } },
        { messageId: 'call', data: { name: 'new EventSource()', process: "'p'" } },
      ],
    },
    {
      name: 'XMLHttpRequest in a nested function of an aliased process',
      code: `import { process as proc } from 'theus';\nexport const p = proc({}, () => { const open = () => new XMLHttpRequest(); return open(); });`,
      errors: [{ messageId: 'call', data: { name: 'new XMLHttpRequest()', process: "'p'" } }],
    },
    {
      name: 'a client loaded inside a process, and one required at module level',
      code: `const got = require('got');\n${HEADER}export const p = t.process({}, async () => (await import('superagent')).get('/x'));`,
      errors: [
        { messageId: 'import', data: { module: 'got' } },
        { messageId: 'load', data: { module: 'superagent', process: "'p'" } },
      ],
    },
  ],
});
