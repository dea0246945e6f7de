import type { CtxPath } from '../analysis/ctx-path.js';
import { ctxReadListeners } from '../analysis/ctx-reads.js';
import { literalContracts } from '../analysis/literal-contracts.js';
import { formatCtxPath, isAncestorOfDeclared, isCovered, isHelperPath } from '../analysis/path-coverage.js';
import { processIndexOf } from '../analysis/process-index.js';
import { processLabel } from '../analysis/process-name.js';
import { createRule } from '../rule-creator.js';

/** POP-C01: every `ctx.<path>` a process reads is declared by its contract (inputs or outputs). */
export const contractIntegrity = createRule({
  name: 'contract-integrity',
  meta: {
    type: 'problem',
    docs: { description: "Disallow reading ctx paths that the process contract's inputs and outputs do not declare (POP-C01)" },
    schema: [],
    messages: {
      undeclared:
        "POP-C01: process {{process}} reads '{{path}}', which its contract does not declare: the runtime throws CONTRACT_ILLEGAL_READ here. Add '{{declare}}' (or a parent path) to inputs.",
    },
  },
  create(context) {
    const index = processIndexOf(context);
    if (index.processes.length === 0) return {};
    const contractOf = literalContracts();
    // A path is readable when a declared path covers it, or when it leads to one (`ctx.domain` for `domain.accounts`).
    const readable = (path: CtxPath): boolean => {
      const contract = contractOf(path.process);
      if (contract === undefined || path.segments.length === 0 || isHelperPath(path.segments)) return true;
      const declared = [...contract.inputs, ...contract.outputs].map((entry) => entry.segments);
      return isCovered(path.segments, declared) || isAncestorOfDeclared(path.segments, declared);
    };
    return ctxReadListeners(index, context.sourceCode, (read) => {
      // Writes are judged by POP-E05; below an alias that is already reported, nothing is new.
      if (read.write || readable(read.path) || (read.base !== undefined && !readable(read.base))) return;
      const data = {
        process: processLabel(read.path.process),
        path: formatCtxPath(read.path.segments, read.path.dynamic),
        declare: read.path.segments.join('.'),
      };
      context.report({ node: read.node, messageId: 'undeclared', data });
    });
  },
});
