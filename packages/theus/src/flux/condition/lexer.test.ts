import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer.js';
import { ConditionSyntaxError } from './syntax-error.js';

const texts = (source: string): string[] => tokenize(source).map((t) => `${t.kind}:${t.text}`);

function syntaxError(source: string): ConditionSyntaxError {
  try {
    tokenize(source);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${source}`);
}

describe('tokenize', () => {
  it('canonicalises the JS spellings', () => {
    expect(texts('a && !b || true === null !== false')).toEqual([
      'name:a',
      'keyword:and',
      'keyword:not',
      'name:b',
      'keyword:or',
      'keyword:True',
      'op:==',
      'keyword:None',
      'op:!=',
      'keyword:False',
      'end:',
    ]);
  });

  it('reads Python numbers', () => {
    const values = tokenize('1 1_000 1.5 .5 1. 1e3 2E-2 0x1F 0o17 0b101 0 00').map((t) => t.value);
    expect(values).toEqual([1, 1000, 1.5, 0.5, 1, 1000, 0.02, 31, 15, 5, 0, 0, undefined]);
  });

  it('reads strings with escapes, raw and unicode prefixes', () => {
    const values = tokenize(String.raw`'a\'b' "q\"" '\n\t\\' '\x41\u00e9\U0001F600' '\101' '\d' r'\n' u'x' "it's"`).map((t) => t.value);
    expect(values).toEqual(["a'b", 'q"', '\n\t\\', 'Aé😀', 'A', '\\d', '\\n', 'x', "it's", undefined]);
  });

  it('skips whitespace, newlines and comments', () => {
    expect(texts('a\n  and # note\n b')).toEqual(['name:a', 'keyword:and', 'name:b', 'end:']);
  });

  it.each([
    ['x >> 1', 2, 'shift'],
    ['x = 1', 2, 'compare with =='],
    ['a & b', 2, "use 'and'"],
    ['a | b', 2, "use 'or'"],
    ['1 <> 2', 2, 'use !='],
    ["'abc", 0, 'unterminated'],
    ['x == "a\nb"', 5, 'unterminated'],
    ['1abc', 0, 'invalid number'],
    ['007', 0, 'leading zeros'],
    ['0x', 0, 'invalid number'],
    [String.raw`'\x4'`, 1, 'truncated \\x'],
    ['a @ b', 2, 'unexpected character'],
    ['x if y else z', 2, 'reserved word'],
    ['lambda: 1', 0, 'reserved word'],
    ['a; b', 1, 'semicolon'],
  ])('rejects %j at offset %i', (source, offset, message) => {
    const error = syntaxError(source);
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(message);
  });

  it('counts lines and columns inside the condition', () => {
    const error = syntaxError('a and\n  b ? c');
    expect([error.offset, error.line, error.column]).toEqual([10, 2, 5]);
    const crlf = syntaxError('a\r\nb\r\n $');
    expect([crlf.line, crlf.column]).toEqual([3, 2]);
  });
});
