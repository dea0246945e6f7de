/**
 * A recursive-descent parser with Python's precedence levels (precedence climbing for the
 * arithmetic operators). Nesting is capped so hostile input fails with a syntax error, never a
 * stack overflow.
 *
 * @packageDocumentation
 */
import { BUILTIN_NAMES, depthOver, METHOD_NAMES, type BuiltinName, type CompareOp, type ConditionNode, type MethodName } from './ast.js';
import { tokenize } from './lexer.js';
import { ConditionSyntaxError } from './syntax-error.js';
import type { Token } from './tokens.js';

/** The deepest nesting a condition may have (parentheses, operators, `not`, subscripts...). */
export const MAX_NESTING = 200;

const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_NAMES);
const METHODS: ReadonlySet<string> = new Set(METHOD_NAMES);
const ARITHMETIC_PRECEDENCE: Readonly<Record<string, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '//': 2, '%': 2 };
const COMPARE_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const CONSTANTS: Readonly<Record<string, boolean | null>> = { True: true, False: false, None: null };

/** The parsed tree and the free names it reads, in order of first use. */
export interface ParsedCondition {
  readonly root: ConditionNode;
  readonly names: readonly string[];
}

/** Parses a condition's text. Throws {@link ConditionSyntaxError}. */
export function parse(source: string): ParsedCondition {
  return new Parser(source).parseAll();
}

type Primary = ConditionNode;

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  readonly #end: Token;
  readonly #names = new Set<string>();
  #pos = 0;
  #nesting = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
    this.#end = { kind: 'end', text: '', value: undefined, offset: source.length, end: source.length };
  }

  parseAll(): ParsedCondition {
    if (this.#peek().kind === 'end') this.#fail('the condition is empty', 0);
    const root = this.#or();
    const rest = this.#peek();
    if (rest.kind !== 'end') this.#fail(`unexpected ${this.#describe(rest)} after a complete expression`, rest.offset);
    return { root, names: [...this.#names] };
  }

  #peek(ahead = 0): Token {
    return this.#tokens[this.#pos + ahead] ?? this.#end;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#pos++;
    return token;
  }

  #is(kind: 'op' | 'keyword', text: string, ahead = 0): boolean {
    const token = this.#peek(ahead);
    return token.kind === kind && token.text === text;
  }

  #fail(message: string, offset: number): never {
    throw new ConditionSyntaxError(message, this.#source, offset);
  }

  #describe(token: Token): string {
    if (token.kind === 'end') return 'end of condition';
    const raw = this.#source.slice(token.offset, token.end);
    return token.kind === 'string' || token.kind === 'number' ? `${token.kind} ${raw}` : `'${raw}'`;
  }

  #expect(text: string, context: string): Token {
    const token = this.#peek();
    if (token.kind !== 'op' || token.text !== text)
      this.#fail(`expected '${text}' ${context}, found ${this.#describe(token)}`, token.offset);
    return this.#next();
  }

  /** Runs `parse` one nesting level deeper, refusing to go past {@link MAX_NESTING}. */
  #nested<T>(offset: number, parse: () => T): T {
    if (++this.#nesting > MAX_NESTING) this.#fail(`the condition is nested too deeply (more than ${MAX_NESTING} levels)`, offset);
    const result = parse();
    this.#nesting--;
    return result;
  }

  /** Checks a built node's depth: long operator chains nest the tree without recursing here. */
  #node<T extends ConditionNode>(node: T): T {
    if (node.depth > MAX_NESTING) this.#fail(`the condition is nested too deeply (more than ${MAX_NESTING} levels)`, node.offset);
    return node;
  }

  #or(): ConditionNode {
    return this.#boolean('or', () => this.#and());
  }

  #and(): ConditionNode {
    return this.#boolean('and', () => this.#not());
  }

  #boolean(op: 'and' | 'or', operand: () => ConditionNode): ConditionNode {
    const first = operand();
    if (!this.#is('keyword', op)) return first;
    const operands = [first];
    while (this.#is('keyword', op)) {
      this.#next();
      operands.push(operand());
    }
    const end = operands.at(-1)?.end ?? first.end;
    return this.#node({ kind: 'boolean', op, operands, offset: first.offset, end, depth: depthOver(operands) });
  }

  #not(): ConditionNode {
    if (!this.#is('keyword', 'not')) return this.#comparison();
    const start = this.#next().offset;
    const operand = this.#nested(start, () => this.#not());
    return this.#node({ kind: 'not', operand, offset: start, end: operand.end, depth: operand.depth + 1 });
  }

  #compareOp(): CompareOp | undefined {
    const token = this.#peek();
    if (token.kind === 'op' && COMPARE_OPS.has(token.text)) return token.text as CompareOp;
    if (token.kind !== 'keyword') return undefined;
    if (token.text === 'in') return 'in';
    if (token.text === 'is') return this.#is('keyword', 'not', 1) ? 'is not' : 'is';
    if (token.text === 'not' && this.#is('keyword', 'in', 1)) return 'not in';
    return undefined;
  }

  #comparison(): ConditionNode {
    const first = this.#arithmetic(1);
    let op = this.#compareOp();
    if (op === undefined) return first;
    const links: { op: CompareOp; offset: number; right: ConditionNode }[] = [];
    while (op !== undefined) {
      const offset = this.#next().offset;
      if (op === 'is not' || op === 'not in') this.#next();
      links.push({ op, offset, right: this.#arithmetic(1) });
      op = this.#compareOp();
    }
    const end = links.at(-1)?.right.end ?? first.end;
    const depth = depthOver([first, ...links.map((link) => link.right)]);
    return this.#node({ kind: 'compare', first, links, offset: first.offset, end, depth });
  }

  #arithmetic(minPrecedence: number): ConditionNode {
    let left = this.#unary();
    for (;;) {
      const token = this.#peek();
      const precedence = token.kind === 'op' ? ARITHMETIC_PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.#next();
      const right = this.#arithmetic(precedence + 1);
      const op = token.text as '+' | '-' | '*' | '/' | '//' | '%';
      const depth = depthOver([left, right]);
      left = this.#node({ kind: 'arithmetic', op, opOffset: token.offset, left, right, offset: left.offset, end: right.end, depth });
    }
  }

  #unary(): ConditionNode {
    const token = this.#peek();
    if (token.kind !== 'op' || (token.text !== '-' && token.text !== '+')) return this.#power();
    this.#next();
    const operand = this.#nested(token.offset, () => this.#unary());
    const op = token.text;
    return this.#node({ kind: 'negate', op, operand, offset: token.offset, end: operand.end, depth: operand.depth + 1 });
  }

  #power(): ConditionNode {
    const base = this.#postfix();
    if (!this.#is('op', '**')) return base;
    const opOffset = this.#next().offset;
    const exponent = this.#nested(opOffset, () => this.#unary());
    const depth = depthOver([base, exponent]);
    return this.#node({
      kind: 'arithmetic',
      op: '**',
      opOffset,
      left: base,
      right: exponent,
      offset: base.offset,
      end: exponent.end,
      depth,
    });
  }

  #postfix(): ConditionNode {
    let node: Primary = this.#atom();
    for (;;) {
      if (this.#is('op', '.')) {
        this.#next();
        const name = this.#next();
        if (name.kind !== 'name' && name.kind !== 'keyword')
          this.#fail(`expected a key name after '.', found ${this.#describe(name)}`, name.offset);
        const text = this.#source.slice(name.offset, name.end);
        if (this.#is('op', '(')) {
          if (!METHODS.has(text))
            this.#fail(`'.${text}()' cannot be called; only .get(), .keys(), .values() and .items() can`, name.offset);
          const { args, end } = this.#arguments();
          const method = text as MethodName;
          node = this.#node({
            kind: 'method',
            target: node,
            method,
            nameOffset: name.offset,
            args,
            offset: node.offset,
            end,
            depth: depthOver([node, ...args]),
          });
        } else {
          const depth = node.depth + 1;
          node = this.#node({
            kind: 'attribute',
            target: node,
            name: text,
            nameOffset: name.offset,
            offset: node.offset,
            end: name.end,
            depth,
          });
        }
      } else if (this.#is('op', '[')) {
        const open = this.#next();
        const index = this.#nested(open.offset, () => this.#or());
        if (this.#is('op', ':')) this.#fail('slices are not supported in conditions', this.#peek().offset);
        const end = this.#expect(']', `to close the '[' at column ${String(open.offset + 1)}`).end;
        node = this.#node({ kind: 'subscript', target: node, index, offset: node.offset, end, depth: depthOver([node, index]) });
      } else if (this.#is('op', '(')) {
        this.#fail('only the builtins (len, int, float, str, bool, abs, min, max, sum) and .get() can be called', this.#peek().offset);
      } else {
        return node;
      }
    }
  }

  /** Parses `( a, b, )` after a callee; returns the arguments and the offset after `)`. */
  #arguments(): { args: ConditionNode[]; end: number } {
    const open = this.#next();
    const args = this.#nested(open.offset, () => this.#sequence(')', 'argument'));
    return { args, end: this.#expect(')', 'to close the argument list').end };
  }

  /** Parses comma-separated expressions up to (not including) `close`, allowing a trailing comma. */
  #sequence(close: string, what: string): ConditionNode[] {
    const items: ConditionNode[] = [];
    while (!this.#is('op', close)) {
      items.push(this.#or());
      if (!this.#is('op', ',')) break;
      this.#next();
    }
    const token = this.#peek();
    if (!this.#is('op', close)) this.#fail(`expected ',' or '${close}' after ${what}, found ${this.#describe(token)}`, token.offset);
    return items;
  }

  #atom(): ConditionNode {
    const token = this.#next();
    const { offset, end } = token;
    if (token.kind === 'number' || token.kind === 'string') return { kind: 'constant', value: token.value ?? '', offset, end, depth: 1 };
    if (token.kind === 'keyword' && Object.hasOwn(CONSTANTS, token.text)) {
      return { kind: 'constant', value: CONSTANTS[token.text] ?? null, offset, end, depth: 1 };
    }
    if (token.kind === 'name') return this.#name(token);
    if (token.kind === 'op' && token.text === '(') return this.#nested(offset, () => this.#parenthesised(token));
    if (token.kind === 'op' && token.text === '[') {
      const items = this.#nested(offset, () => this.#sequence(']', 'list item'));
      const close = this.#next().end;
      return this.#node({ kind: 'list', items, offset, end: close, depth: depthOver(items) });
    }
    if (token.kind === 'op' && token.text === '{') return this.#nested(offset, () => this.#dict(offset));
    if (token.kind === 'end') return this.#fail('unexpected end of condition: expected an expression', offset);
    return this.#fail(`expected an expression, found ${this.#describe(token)}`, offset);
  }

  #name(token: Token): ConditionNode {
    const { text: name, offset, end } = token;
    if (!BUILTINS.has(name)) {
      this.#names.add(name);
      return { kind: 'name', name, offset, end, depth: 1 };
    }
    if (!this.#is('op', '(')) this.#fail(`'${name}' is a builtin function; call it, as in ${name}(...)`, offset);
    const { args, end: close } = this.#arguments();
    return this.#node({ kind: 'call', builtin: name as BuiltinName, args, offset, end: close, depth: depthOver(args) });
  }

  #parenthesised(open: Token): ConditionNode {
    if (this.#is('op', ')')) return { kind: 'list', items: [], offset: open.offset, end: this.#next().end, depth: 1 };
    const first = this.#or();
    if (!this.#is('op', ',')) {
      this.#expect(')', `to close the '(' at column ${String(open.offset + 1)}`);
      return first;
    }
    this.#next();
    const items = [first, ...this.#sequence(')', 'tuple item')];
    const end = this.#next().end;
    return this.#node({ kind: 'list', items, offset: open.offset, end, depth: depthOver(items) });
  }

  #dict(offset: number): ConditionNode {
    const entries: (readonly [ConditionNode, ConditionNode])[] = [];
    while (!this.#is('op', '}')) {
      const key = this.#or();
      this.#expect(':', 'between a dict key and its value');
      entries.push([key, this.#or()]);
      if (!this.#is('op', ',')) break;
      this.#next();
    }
    const end = this.#expect('}', 'to close the dict').end;
    return this.#node({ kind: 'dict', entries, offset, end, depth: depthOver(entries.flat()) });
  }
}
