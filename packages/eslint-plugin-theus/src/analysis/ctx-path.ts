import { AST_NODE_TYPES, ASTUtils, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { bindingPathOf, type BindingPath } from './binding-path.js';
import { ctxParameter, type ProcessInfo } from './find-processes.js';

/** Where an expression points inside the `ctx` of a process. */
export interface CtxPath {
  /** The process whose `ctx` it is. */
  readonly process: ProcessInfo;
  /** Static keys below `ctx`: `['domain', 'accounts']` for `ctx.domain.accounts`; `[]` for `ctx` itself. */
  readonly segments: readonly string[];
  /** True when a key that cannot be read statically follows the segments (`ctx.domain.accounts[id]`). */
  readonly dynamic: boolean;
}

type Variable = TSESLint.Scope.Variable;

/**
 * Resolves expressions to `ctx` paths: member chains (optional ones too, and computed keys that
 * are literal strings or template literals without expressions) on the process's first parameter,
 * on aliases of it (`const c = ctx`), on names bound by destructuring (`const { accounts } =
 * ctx.domain`, a destructured first parameter) and on `for...of` variables over a `ctx` path.
 * Type assertions on paths below `ctx` are followed; one on `ctx` itself (`ctx as T`) is a
 * deliberate step outside the contract's view and ends the analysis.
 */
export class CtxResolver {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #processOf: (fn: TSESTree.Node) => ProcessInfo | undefined;
  readonly #bindings = new WeakMap<Variable, CtxPath | null>();

  /** @param processOf the process whose function is `fn`, if any. */
  constructor(sourceCode: Readonly<TSESLint.SourceCode>, processOf: (fn: TSESTree.Node) => ProcessInfo | undefined) {
    this.#sourceCode = sourceCode;
    this.#processOf = processOf;
  }

  /** The `ctx` path `node` evaluates to, or `undefined` when it is not (provably) inside a `ctx`. */
  resolve(node: TSESTree.Node): CtxPath | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
        return this.resolve(node.expression);
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSTypeAssertion: {
        const inner = this.resolve(node.expression);
        // `ctx as T` leaves the contract's view on purpose; `ctx.domain.items as T` only refines a type.
        return inner !== undefined && inner.segments.length === 0 && !inner.dynamic ? undefined : inner;
      }
      case AST_NODE_TYPES.Identifier:
        return this.resolveVariable(ASTUtils.findVariable(this.#sourceCode.getScope(node), node));
      case AST_NODE_TYPES.MemberExpression: {
        const base = this.resolve(node.object);
        if (base === undefined || base.dynamic) return base;
        const key = ASTUtils.getPropertyName(node);
        return key === null ? { ...base, dynamic: true } : { ...base, segments: [...base.segments, key] };
      }
      default:
        return undefined;
    }
  }

  /** The `ctx` path a variable is bound to, if it is `ctx` itself or an alias into it. */
  resolveVariable(variable: Variable | null): CtxPath | undefined {
    if (variable === null) return undefined;
    // The variables it is bound from are resolved first, the farthest first, so each finds the next one cached:
    // a long chain of aliases (`const b = a; const c = b; ...`, in any order) recurses no deeper than one alias.
    if (!this.#bindings.has(variable)) for (const source of this.#unresolvedSources(variable).reverse()) this.#resolveOne(source);
    return this.#resolveOne(variable);
  }

  #resolveOne(variable: Variable): CtxPath | undefined {
    const cached = this.#bindings.get(variable);
    if (cached !== undefined) return cached ?? undefined;
    // Set before resolving, so a cycle of aliases ends instead of recursing forever.
    this.#bindings.set(variable, null);
    const path = this.#bindingOf(variable);
    this.#bindings.set(variable, path ?? null);
    return path;
  }

  /** The not yet resolved variables `variable` is bound from, nearest first: `b` then `a` for `c` in `const b = a.x; const c = b`. */
  #unresolvedSources(variable: Variable): Variable[] {
    const sources = new Set<Variable>();
    for (let source = this.#sourceOf(variable); source !== undefined; source = this.#sourceOf(source)) {
      if (this.#bindings.has(source) || sources.has(source)) break;
      sources.add(source);
    }
    return [...sources];
  }

  /** The variable whose value a variable's declaration starts from (`a` in `const b = (a as T).x`), if any. */
  #sourceOf(variable: Variable): Variable | undefined {
    const definition = variable.defs[0];
    if (variable.defs.length !== 1 || definition?.type !== TSESLint.Scope.DefinitionType.Variable) return undefined;
    const from = definition.node.init ?? forOfRight(definition.node);
    const name = from === undefined ? undefined : rootName(from);
    return name === undefined ? undefined : (ASTUtils.findVariable(this.#sourceCode.getScope(name), name) ?? undefined);
  }

  #bindingOf(variable: Variable): CtxPath | undefined {
    const [definition, ...others] = variable.defs;
    if (definition === undefined || others.length > 0) return undefined;
    const name = definition.name;
    if (name.type !== AST_NODE_TYPES.Identifier) return undefined;
    if (definition.type === TSESLint.Scope.DefinitionType.Parameter) return this.#parameterBinding(definition.node, name);
    if (definition.type !== TSESLint.Scope.DefinitionType.Variable) return undefined;
    // A variable assigned again later may hold anything: only single-assignment aliases count.
    if (variable.references.some((reference) => reference.isWrite() && reference.identifier !== name)) return undefined;
    const declarator = definition.node;
    const base = declarator.init === null ? this.#forOfElement(declarator) : this.resolve(declarator.init);
    return base === undefined ? undefined : extend(base, bindingPathOf(name, declarator.id));
  }

  #parameterBinding(fn: TSESTree.Node, name: TSESTree.Identifier): CtxPath | undefined {
    const process = this.#processOf(fn);
    const first = process === undefined ? undefined : ctxParameter(process.fn);
    if (process === undefined || first === undefined) return undefined;
    return extend({ process, segments: [], dynamic: false }, bindingPathOf(name, first));
  }

  /** `for (const item of ctx.domain.items)`: each item is an element of the iterated path. */
  #forOfElement(declarator: TSESTree.VariableDeclarator): CtxPath | undefined {
    const right = forOfRight(declarator);
    const iterated = right === undefined ? undefined : this.resolve(right);
    return iterated === undefined ? undefined : { ...iterated, dynamic: true };
  }
}

/** The name an expression starts from (`a` in `(a as T).x?.y!`), if it starts from one. */
function rootName(node: TSESTree.Node): TSESTree.Identifier | undefined {
  for (let current = node; ;) {
    switch (current.type) {
      case AST_NODE_TYPES.Identifier:
        return current;
      case AST_NODE_TYPES.MemberExpression:
        current = current.object;
        break;
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      default:
        return undefined;
    }
  }
}

/** What a `for (const x of ...)` declaration iterates over, if the declarator is one. */
function forOfRight(declarator: TSESTree.VariableDeclarator): TSESTree.Expression | undefined {
  const declaration = declarator.parent;
  const loop = declaration.parent;
  return loop.type === AST_NODE_TYPES.ForOfStatement && loop.left === declaration ? loop.right : undefined;
}

function extend(base: CtxPath, binding: BindingPath | undefined): CtxPath | undefined {
  if (binding === undefined) return undefined;
  if (base.dynamic) return base;
  return { process: base.process, segments: [...base.segments, ...binding.segments], dynamic: binding.dynamic };
}
