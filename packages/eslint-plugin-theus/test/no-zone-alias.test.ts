import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

ruleTester.run('no-zone-alias', rules['no-zone-alias'], {
  valid: [
    {
      name: 'a DATA field of a zoned layer',
      code: `${HEADER}export const p = t.process({ inputs: ['heavy.field'] }, (ctx) => { const field = ctx.heavy.field; return field; });`,
    },
    {
      name: 'names that keep the zone prefix',
      code: `${HEADER}export const p = t.process({ inputs: ['domain'] }, (ctx) => { const logEvents = ctx.domain.log_events; const log_events = ctx.domain.log_events; const { audit_trail, sig_fraud: sigFraud, const_rate: CONST_RATE, heavy_buf: _heavyBuf } = ctx.domain; return [logEvents, log_events, audit_trail, sigFraud, CONST_RATE, _heavyBuf]; });`,
    },
    {
      name: 'values derived from a zoned field',
      code: `${HEADER}export const p = t.process({ inputs: ['domain'] }, (ctx) => { const n = ctx.domain.log_events.length; const first = ctx.domain.log_events[0]; return [n, first]; });`,
    },
    {
      name: 'the ctx helpers',
      code: `${HEADER}export const p = t.process({}, (ctx) => { const { log, signal } = ctx; const write = ctx.log; log('a'); write('b'); return signal; });`,
    },
    { name: 'outside processes', code: `export function f(ctx: any) { const events = ctx.domain.log_events; return events; }` },
    {
      name: 'a layer alias with the prefix',
      code: `${HEADER}export const p = t.process({ inputs: ['heavy'] }, (ctx) => { const heavyData = ctx.heavy; return heavyData; });`,
    },
  ],
  invalid: [
    {
      name: 'a LOG value under a plain name',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.log_events'] }, (ctx) => { const events = ctx.domain.log_events; return events; });`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'events',
            process: "'p'",
            path: 'ctx.domain.log_events',
            rule: 'append-only',
            zone: 'LOG',
            suggestion: "'log_events' or 'logEvents'",
          },
        },
      ],
    },
    {
      name: 'renaming in a destructuring pattern',
      code: `${HEADER}export const p = process({ inputs: ['domain.audit_trail'] }, (ctx) => { const { audit_trail: trail } = ctx.domain; return trail; });`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'trail',
            process: "'p'",
            path: 'ctx.domain.audit_trail',
            rule: 'append-only',
            zone: 'LOG',
            suggestion: "'audit_trail' or 'auditTrail'",
          },
        },
      ],
    },
    {
      name: 'a nested pattern as the ctx parameter',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.const_rate'] }, ({ domain: { const_rate: rate } }: any) => rate);`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'rate',
            process: "'p'",
            path: 'ctx.domain.const_rate',
            rule: 'read-only',
            zone: 'CONST',
            suggestion: "'const_rate' or 'constRate'",
          },
        },
      ],
    },
    {
      name: 'an assignment to an existing name',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.meta_info'] }, (ctx) => { let info; info = ctx.domain.meta_info; return info; });`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'info',
            process: "'p'",
            path: 'ctx.domain.meta_info',
            rule: 'meta data',
            zone: 'META',
            suggestion: "'meta_info' or 'metaInfo'",
          },
        },
      ],
    },
    {
      name: 'a whole HEAVY layer',
      code: `${HEADER}export const p = t.process({ inputs: ['heavy'] }, (ctx) => { const h = ctx.heavy; return h; });`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'h',
            process: "'p'",
            path: 'ctx.heavy',
            rule: 'shared memory whose in-place writes are not transactional',
            zone: 'HEAVY',
            suggestion: "'heavy'",
          },
        },
      ],
    },
    {
      name: 'through an alias of a layer, with optional chaining',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.sig_fraud', 'domain.cmd_go'] }, (ctx) => { const d = ctx.domain; const fraud = d.sig_fraud; const go = ctx.domain?.cmd_go; return [fraud, go]; });`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'fraud',
            process: "'p'",
            path: 'ctx.domain.sig_fraud',
            rule: 'a transient signal',
            zone: 'SIGNAL',
            suggestion: "'sig_fraud' or 'sigFraud'",
          },
        },
        {
          messageId: 'alias',
          data: {
            name: 'go',
            process: "'p'",
            path: 'ctx.domain.cmd_go',
            rule: 'a transient signal',
            zone: 'SIGNAL',
            suggestion: "'cmd_go' or 'cmdGo'",
          },
        },
      ],
    },
    {
      name: 'a PRIVATE value in an aliased process import',
      code: `import { process as proc } from 'theus';\nexport const p = proc({}, (ctx) => { const secret = ctx.domain['internal_key']; return secret; });`,
      errors: [
        {
          messageId: 'alias',
          data: {
            name: 'secret',
            process: "'p'",
            path: 'ctx.domain.internal_key',
            rule: 'hidden from processes',
            zone: 'PRIVATE',
            suggestion: "'internal_key' or 'internalKey'",
          },
        },
      ],
    },
  ],
});
