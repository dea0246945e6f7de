import { combineListeners } from '../analysis/combine-listeners.js';
import { literalPathsOf } from '../analysis/contract.js';
import { ctxReadListeners } from '../analysis/ctx-reads.js';
import type { ProcessInfo } from '../analysis/find-processes.js';
import { logBreachOf } from '../analysis/log-writes.js';
import { formatCtxPath, isHelperPath } from '../analysis/path-coverage.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { describeWrite, rebindsName, writeListeners } from '../analysis/write-sites.js';
import { zoneOfPath } from '../analysis/zones.js';
import { createRule } from '../rule-creator.js';

const LOG_MESSAGES = { remove: 'logRemove', rewrite: 'logRewrite', replace: 'logReplace', entry: 'logEntry' } as const;

/** POP-E07: what a contract declares and what code does must respect the zones of SPEC section 1. */
export const noZoneParadox = createRule({
  name: 'no-zone-paradox',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow contracts and writes that break the zone rules (PRIVATE, SIGNAL, META, CONST, LOG) (POP-E07)' },
    schema: [],
    messages: {
      privateDeclared:
        "POP-E07: the contract declares the PRIVATE path '{{path}}': 'internal_' fields are hidden from processes and registration throws CONTRACT_PRIVATE_PATH. Remove it; change the value with engine.edit().",
      firewall:
        "POP-E07: the contract declares the {{zone}} path '{{path}}' as an input, which registration rejects (CONTRACT_FIREWALL): signals and meta data drive control flow, not business logic. Read it in a workflow condition, or declare it as an output.",
      constOutput:
        "POP-E07: the contract declares the CONST path '{{path}}' as an output, but CONST values are read-only. Move it to inputs.",
      constWrite:
        "POP-E07: process {{process}} {{verb}} the CONST path '{{path}}': CONST values are read-only (CONTRACT_ZONE). Keep values that change outside 'const_' fields.",
      privateAccess:
        "POP-E07: process {{process}} touches the PRIVATE path '{{path}}': 'internal_' fields are hidden from processes. Change them with engine.edit() outside processes.",
      logRemove:
        "POP-E07: process {{process}} {{verb}} the LOG path '{{path}}': LOG values are append-only (CONTRACT_ZONE). Keep every entry; append new ones with push.",
      logRewrite:
        "POP-E07: process {{process}} {{verb}} the LOG path '{{path}}': LOG values are append-only (CONTRACT_ZONE). Append new entries with push instead.",
      logReplace:
        "POP-E07: process {{process}} replaces the LOG path '{{path}}' with a value that does not extend it: LOG values are append-only (CONTRACT_ZONE). Append with push, or assign [...old, entry].",
      logEntry:
        "POP-E07: process {{process}} {{verb}} '{{path}}', inside an entry of a LOG value: entries are immutable once appended (CONTRACT_ZONE). Append a new entry with push instead.",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const checkContract = ({ contract }: ProcessInfo): void => {
      if (contract === undefined) return;
      for (const [list, paths] of [
        ['inputs', literalPathsOf(contract, 'inputs')],
        ['outputs', literalPathsOf(contract, 'outputs')],
      ] as const) {
        for (const { node, text, segments } of paths) {
          const zone = zoneOfPath(segments)?.zone;
          if (zone === 'PRIVATE') context.report({ node, messageId: 'privateDeclared', data: { path: text } });
          else if (list === 'inputs' && (zone === 'SIGNAL' || zone === 'META')) {
            context.report({ node, messageId: 'firewall', data: { path: text, zone } });
          } else if (list === 'outputs' && zone === 'CONST') context.report({ node, messageId: 'constOutput', data: { path: text } });
        }
      }
    };
    return combineListeners(
      {
        CallExpression(node) {
          const info = index.byCall(node);
          if (info !== undefined) checkContract(info);
        },
      },
      ctxReadListeners(index, context.sourceCode, (read) => {
        if (isHelperPath(read.path.segments) || zoneOfPath(read.path.segments)?.zone !== 'PRIVATE') return;
        if (read.base !== undefined && zoneOfPath(read.base.segments)?.zone === 'PRIVATE') return;
        const data = { process: processLabel(read.path.process), path: formatCtxPath(read.path.segments, read.path.dynamic) };
        context.report({ node: read.node, messageId: 'privateAccess', data });
      }),
      writeListeners(context.sourceCode, (site) => {
        const path = rebindsName(site) ? undefined : index.ctxPath(site.target);
        if (path === undefined || isHelperPath(path.segments)) return;
        const zone = zoneOfPath(path.segments);
        const data = { process: processLabel(path.process), verb: describeWrite(site), path: formatCtxPath(path.segments, path.dynamic) };
        if (zone?.zone === 'CONST') context.report({ node: site.node, messageId: 'constWrite', data });
        if (zone?.zone !== 'LOG') return;
        const breach = logBreachOf(site, path, zone.index, index);
        if (breach !== undefined) context.report({ node: site.node, messageId: LOG_MESSAGES[breach], data });
      }),
    );
  },
});
