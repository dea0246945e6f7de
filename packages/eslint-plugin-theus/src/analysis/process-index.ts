import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { CtxResolver, type CtxPath } from './ctx-path.js';
import { findProcesses, type ProcessInfo } from './find-processes.js';

/** The processes of one file, found once and shared by every rule that lints the file. */
export class ProcessIndex {
  /** Every process definition of the file, in no particular order. */
  readonly processes: readonly ProcessInfo[];
  readonly #byFunction: ReadonlyMap<TSESTree.Node, ProcessInfo>;
  readonly #byCall: ReadonlyMap<TSESTree.Node, ProcessInfo>;
  readonly #resolver: CtxResolver;

  /** Indexes the processes of the file held by `sourceCode`. */
  constructor(sourceCode: Readonly<TSESLint.SourceCode>) {
    this.processes = findProcesses(sourceCode);
    this.#byFunction = new Map(this.processes.map((info) => [info.fn, info]));
    this.#byCall = new Map(this.processes.map((info) => [info.call, info]));
    this.#resolver = new CtxResolver(sourceCode, (fn) => this.#byFunction.get(fn));
  }

  /** The process defined by this call, if it is one. */
  byCall(call: TSESTree.Node): ProcessInfo | undefined {
    return this.#byCall.get(call);
  }

  /** The process whose function is `fn`, if any. */
  byFunction(fn: TSESTree.Node): ProcessInfo | undefined {
    return this.#byFunction.get(fn);
  }

  /**
   * The innermost process whose function contains `node` (or is `node`): code in nested
   * functions belongs to the process around them.
   */
  enclosing(node: TSESTree.Node): ProcessInfo | undefined {
    for (let current: TSESTree.Node | undefined = node; current != null; current = current.parent) {
      const info = this.#byFunction.get(current);
      if (info !== undefined) return info;
    }
    return undefined;
  }

  /** The `ctx` path an expression evaluates to (see {@link CtxResolver}). */
  ctxPath(node: TSESTree.Node): CtxPath | undefined {
    return this.#resolver.resolve(node);
  }

  /** The `ctx` path a variable is bound to, if it is an alias into a `ctx`. */
  ctxPathOfVariable(variable: TSESLint.Scope.Variable | null): CtxPath | undefined {
    return this.#resolver.resolveVariable(variable);
  }
}

const indexes = new WeakMap<TSESTree.Program, ProcessIndex>();

/**
 * The process index of the file a rule is linting, built on first use and cached per AST, so
 * all the rules of one lint run share it.
 */
export function processIndexOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ProcessIndex {
  const sourceCode = context.sourceCode;
  let index = indexes.get(sourceCode.ast);
  if (index === undefined) {
    index = new ProcessIndex(sourceCode);
    indexes.set(sourceCode.ast, index);
  }
  return index;
}
