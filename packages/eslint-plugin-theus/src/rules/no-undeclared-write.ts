import { combineListeners } from '../analysis/combine-listeners.js';
import type { LiteralContract } from '../analysis/contract.js';
import type { CtxPath } from '../analysis/ctx-path.js';
import { literalContracts } from '../analysis/literal-contracts.js';
import { formatCtxPath, isAncestorOfDeclared, isCovered, isHelperPath, isPrefix } from '../analysis/path-coverage.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { describeWrite, rebindsName, writeListeners, type WriteSite } from '../analysis/write-sites.js';
import { zoneOfPath } from '../analysis/zones.js';
import { createRule } from '../rule-creator.js';

/** POP-E05: every write through ctx must be covered by the contract's outputs. */
export const noUndeclaredWrite = createRule({
  name: 'no-undeclared-write',
  meta: {
    type: 'problem',
    docs: { description: "Disallow writes through ctx to paths the process contract's outputs do not cover (POP-E05)" },
    schema: [],
    messages: {
      undeclared:
        "POP-E05: process {{process}} {{verb}} '{{path}}', which its contract's outputs do not cover: the runtime throws CONTRACT_ILLEGAL_WRITE. Add '{{declare}}' (or a parent path) to outputs, or keep scratch values in ctx.local.",
      pureWrite:
        "POP-E05: process {{process}} is 'pure' but {{verb}} '{{path}}': the runtime throws CONTRACT_PURE_WRITE. Return the new value instead, or declare semantic: 'effect'.",
      pureEffect:
        "POP-E05: process {{process}} is 'pure' but calls ctx.{{helper}}(): the runtime throws CONTRACT_PURE_WRITE. Declare semantic: 'effect' to enqueue messages or emit signals.",
      signal:
        "POP-E05: process {{process}} calls ctx.signal() but its contract declares no SIGNAL output: the runtime throws CONTRACT_ILLEGAL_WRITE. Add 'signal' (or a 'sig_'/'cmd_' path) to outputs.",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const contractOf = literalContracts();
    const onWrite = (site: WriteSite): void => {
      if (rebindsName(site)) return;
      const path = index.ctxPath(site.target);
      if (path === undefined || isHelperPath(path.segments)) return;
      const contract = contractOf(path.process);
      if (contract === undefined) return;
      const process = processLabel(path.process);
      const verb = describeWrite(site);
      const shown = formatCtxPath(path.segments, path.dynamic);
      if (contract.pure) context.report({ node: site.node, messageId: 'pureWrite', data: { process, verb, path: shown } });
      else if (!isDeclaredWrite(path, site, contract)) {
        const declare = path.segments.join('.');
        context.report({ node: site.node, messageId: 'undeclared', data: { process, verb, path: shown, declare } });
      }
    };
    return combineListeners(writeListeners(context.sourceCode, onWrite), {
      CallExpression(node) {
        const path = index.ctxPath(node.callee);
        if (path === undefined || path.dynamic) return;
        const helper = path.segments.join('.');
        if (helper !== 'outbox.add' && helper !== 'signal') return;
        const contract = contractOf(path.process);
        if (contract === undefined) return;
        const process = processLabel(path.process);
        if (contract.pure) context.report({ node, messageId: 'pureEffect', data: { process, helper } });
        else if (helper === 'signal' && !contract.outputs.some((output) => zoneOfPath(output.segments)?.zone === 'SIGNAL')) {
          context.report({ node, messageId: 'signal', data: { process } });
        }
      },
    });
  },
});

/**
 * True when the outputs cover the write, or when it cannot be proven wrong: a key that is not
 * static, below a path that is an ancestor of an output, may well land inside that output. A
 * HEAVY value declared as an input may be written in place (elements, typed-array methods).
 */
function isDeclaredWrite(path: CtxPath, site: WriteSite, contract: LiteralContract): boolean {
  const outputs = contract.outputs.map((output) => output.segments);
  if (isCovered(path.segments, outputs)) return true;
  if (path.dynamic && isAncestorOfDeclared(path.segments, outputs)) return true;
  if (zoneOfPath(path.segments)?.zone !== 'HEAVY') return false;
  const inputs = contract.inputs.map((input) => input.segments);
  const inPlace =
    path.dynamic ||
    site.kind === 'method' ||
    !inputs.some((input) => input.length === path.segments.length && isPrefix(input, path.segments));
  return inPlace && isCovered(path.segments, inputs);
}
