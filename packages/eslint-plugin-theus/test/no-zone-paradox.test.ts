import { rules } from '../src/index.js';
import { HEADER, ruleTester } from './rule-tester.js';

const write = (messageId: 'constWrite' | 'logRemove' | 'logRewrite' | 'logReplace' | 'logEntry', verb: string, path: string) => ({
  messageId,
  data: { process: "'p'", verb, path },
});

ruleTester.run('no-zone-paradox', rules['no-zone-paradox'], {
  valid: [
    {
      name: 'a contract that respects the zones',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.const_rate', 'heavy.field', 'domain.log_events'], outputs: ['domain.meta_seen', 'domain.sig_done', 'domain.log_events', 'signal'] }, (ctx) => { ctx.domain.meta_seen = true; ctx.domain.sig_done = true; return ctx.domain.const_rate * 2; });`,
    },
    {
      name: 'appending to LOG values',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.log_events', 'domain.audit_trail', 'domain.audit_by_id', 'domain.log'] }, (ctx, e: any) => {
  ctx.domain.log_events.push(e);
  ctx.domain.audit_trail = [...ctx.domain.audit_trail, e];
  ctx.domain.log_events = ctx.domain.log_events.concat(e);
  ctx.domain.audit_by_id = { ...ctx.domain.audit_by_id, [e.id]: e };
  ctx.domain.log_events[ctx.domain.log_events.length] = e;
  ctx.domain.audit_by_id[e.id] = e;
  ctx.domain.log.push(e);
});`,
    },
    {
      name: 'appending through an alias that keeps the prefix',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.log_events'] }, (ctx) => { const logEvents = ctx.domain.log_events; logEvents.push(1); });`,
    },
    { name: 'ctx.log is the helper, not a LOG path', code: `${HEADER}export const p = t.process({}, (ctx) => { ctx.log('x'); });` },
    {
      name: 'contract entries that are not literal strings',
      code: `${HEADER}const P = 'domain.internal_x';\nexport const p = t.process({ inputs: [P] }, () => 1);`,
    },
    {
      name: 'zones are not checked outside processes',
      code: `export function f(ctx: any) { ctx.domain.const_rate = 2; ctx.domain.log_events.pop(); }`,
    },
  ],
  invalid: [
    {
      name: 'PRIVATE paths declared anywhere',
      code: `${HEADER}export const p = t.process({ inputs: ['domain.internal_key'], outputs: ['internal_state.x'] }, () => 1);`,
      errors: [
        { messageId: 'privateDeclared', data: { path: 'domain.internal_key' } },
        { messageId: 'privateDeclared', data: { path: 'internal_state.x' } },
      ],
    },
    {
      name: 'SIGNAL and META inputs',
      code: `${HEADER}export const p = process({ inputs: ['domain.sig_fraud', 'domain.meta', 'signal', 'domain.cmd_go.x'] }, () => 1);`,
      errors: [
        { messageId: 'firewall', data: { path: 'domain.sig_fraud', zone: 'SIGNAL' } },
        { messageId: 'firewall', data: { path: 'domain.meta', zone: 'META' } },
        { messageId: 'firewall', data: { path: 'signal', zone: 'SIGNAL' } },
        { messageId: 'firewall', data: { path: 'domain.cmd_go.x', zone: 'SIGNAL' } },
      ],
    },
    {
      name: 'a CONST output',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.const_rate'] }, () => 1);`,
      errors: [{ messageId: 'constOutput', data: { path: 'domain.const_rate' } }],
    },
    {
      name: 'writes to CONST paths',
      code: `${HEADER}export const p = t.process({}, (ctx) => { ctx.domain.const_rate = 2; ctx.domain.const_n++; delete ctx.domain.const_cfg.a; ctx.domain.const_list.push(1); });`,
      errors: [
        write('constWrite', 'assigns', 'ctx.domain.const_rate'),
        write('constWrite', 'updates', 'ctx.domain.const_n'),
        write('constWrite', 'deletes', 'ctx.domain.const_cfg.a'),
        write('constWrite', 'calls .push() on', 'ctx.domain.const_list'),
      ],
    },
    {
      name: 'PRIVATE paths touched in code, directly and by destructuring',
      code: `${HEADER}export const p = t.process({}, (ctx) => { const { internal_key } = ctx.domain; return [ctx.domain.internal_secret.value, internal_key]; });`,
      errors: [
        { messageId: 'privateAccess', data: { process: "'p'", path: 'ctx.domain.internal_key' } },
        { messageId: 'privateAccess', data: { process: "'p'", path: 'ctx.domain.internal_secret.value' } },
      ],
    },
    {
      name: 'destructive methods on a LOG container',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.log_events'] }, (ctx) => { ctx.domain.log_events.pop(); ctx.domain.log_events.splice(0, 1); ctx.domain.log_events.sort(); ctx.domain.log_events.unshift(1); });`,
      errors: [
        write('logRewrite', 'calls .pop() on', 'ctx.domain.log_events'),
        write('logRewrite', 'calls .splice() on', 'ctx.domain.log_events'),
        write('logRewrite', 'calls .sort() on', 'ctx.domain.log_events'),
        write('logRewrite', 'calls .unshift() on', 'ctx.domain.log_events'),
      ],
    },
    {
      name: 'deleting LOG values',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.log_events'] }, (ctx) => { delete ctx.domain.log_events[0]; delete ctx.domain.log_events; });`,
      errors: [write('logRemove', 'deletes', 'ctx.domain.log_events.0'), write('logRemove', 'deletes', 'ctx.domain.log_events')],
    },
    {
      name: 'replacing a LOG container with something that does not extend it',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.log_events'] }, (ctx, e: any) => { ctx.domain.log_events = []; ctx.domain.log_events = [e, ...ctx.domain.log_events]; });`,
      errors: [write('logReplace', 'assigns', 'ctx.domain.log_events'), write('logReplace', 'assigns', 'ctx.domain.log_events')],
    },
    {
      name: 'changing entries already in a LOG value',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.audit_trail'] }, (ctx) => { ctx.domain.audit_trail[0].text = 'x'; ctx.domain.audit_trail[0].tags.push('y'); });`,
      errors: [
        write('logEntry', 'assigns', 'ctx.domain.audit_trail.0.text'),
        write('logRewrite', 'calls .push() on', 'ctx.domain.audit_trail.0.tags'),
      ],
    },
    {
      name: 'compound updates and truncation through an alias',
      code: `${HEADER}export const p = t.process({ outputs: ['domain.log_text', 'domain.log_events'] }, (ctx) => { ctx.domain.log_text += 'x'; const logEvents = ctx.domain.log_events; logEvents.length = 0; });`,
      errors: [write('logRewrite', 'updates', 'ctx.domain.log_text'), write('logRewrite', 'assigns', 'ctx.domain.log_events.length')],
    },
    {
      name: 'the log field of a layer, in an aliased async process',
      code: `import { process as proc } from 'theus';\nexport const p = proc({ outputs: ['domain.log'] }, async (ctx) => { await 0; ctx.domain.log.reverse(); });`,
      errors: [write('logRewrite', 'calls .reverse() on', 'ctx.domain.log')],
    },
  ],
});
