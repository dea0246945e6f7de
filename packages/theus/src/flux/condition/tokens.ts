/**
 * The tokens of the condition language and the spellings that map onto them.
 *
 * @packageDocumentation
 */

/** What a token is: its `text` is canonical (`&&` reads as `and`, `true` as `True`). */
export type TokenKind = 'name' | 'number' | 'string' | 'keyword' | 'op' | 'end';

/** One lexeme with its span in the source (`offset` inclusive, `end` exclusive). */
export interface Token {
  readonly kind: TokenKind;
  /** Canonical text: the name, keyword or operator; the literal's source text for numbers and strings. */
  readonly text: string;
  /** The literal's value for numbers and strings; `undefined` otherwise. */
  readonly value: number | string | undefined;
  readonly offset: number;
  readonly end: number;
}

/** Word keywords, with the JS spellings accepted for the constants. */
export const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['in', 'in'],
  ['is', 'is'],
  ['True', 'True'],
  ['False', 'False'],
  ['None', 'None'],
  ['true', 'True'],
  ['false', 'False'],
  ['null', 'None'],
]);

/**
 * Python keywords that have no meaning in a condition: using one is a syntax error, not a name.
 * `global` is not among them: it names the configuration layer (SPEC 6), as every layer does.
 */
export const RESERVED: ReadonlySet<string> = new Set(
  (
    'if else elif lambda for while def class import from as return yield await async del ' +
    'nonlocal pass break continue raise try except finally with assert match case undefined'
  ).split(' '),
);

/** Operators and punctuation, longest first so that the lexer takes the longest match. */
export const OPERATORS: readonly (readonly [spelling: string, canonical: string])[] = [
  ['===', '=='],
  ['!==', '!='],
  ['**', '**'],
  ['//', '//'],
  ['==', '=='],
  ['!=', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['&&', 'and'],
  ['||', 'or'],
  ['<', '<'],
  ['>', '>'],
  ['!', 'not'],
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['%', '%'],
  ['(', '('],
  [')', ')'],
  ['[', '['],
  [']', ']'],
  ['{', '{'],
  ['}', '}'],
  [',', ','],
  [':', ':'],
  ['.', '.'],
];

/** Hints for characters people type from other languages. */
export const OPERATOR_HINTS: ReadonlyMap<string, string> = new Map([
  ['<>', "'<>' is not an operator; use !="],
  ['<<', 'shift operators are not supported'],
  ['>>', 'shift operators are not supported'],
  ['=', "'=' assigns; compare with =="],
  ['&', "bitwise '&' is not supported; use 'and' (or &&)"],
  ['|', "bitwise '|' is not supported; use 'or' (or ||)"],
  ['^', "bitwise '^' is not supported"],
  ['~', "bitwise '~' is not supported; use 'not'"],
  ['?', "the '?' operator is not supported"],
  [';', 'a condition is a single expression; remove the semicolon'],
]);
