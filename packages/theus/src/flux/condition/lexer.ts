/**
 * Splits a condition's text into tokens. Numbers and strings follow Python's literal syntax.
 *
 * @packageDocumentation
 */
import { ConditionSyntaxError } from './syntax-error.js';
import { KEYWORDS, OPERATOR_HINTS, OPERATORS, RESERVED, type Token } from './tokens.js';
import { readString } from './string-literal.js';

const SPACE = /[ \t\n\r\f\v]+|#[^\n\r]*/y;
const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const NUMBER =
  /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)?/y;
const NAME_CHAR = /[\p{ID_Continue}]/u;
const STRING_PREFIX = /^[rRuU]$/;

/** Matches a sticky regular expression at `offset`, returning the matched text or `undefined`. */
function matchAt(pattern: RegExp, source: string, offset: number): string | undefined {
  pattern.lastIndex = offset;
  return pattern.exec(source)?.[0];
}

/** Tokenises `source`; the last token is always `end`. Throws {@link ConditionSyntaxError}. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (message: string, offset: number): never => {
    throw new ConditionSyntaxError(message, source, offset);
  };
  let pos = 0;
  while (pos < source.length) {
    const space = matchAt(SPACE, source, pos);
    if (space !== undefined) {
      pos += space.length;
      continue;
    }
    const ch = source[pos] ?? '';
    const name = matchAt(NAME, source, pos);
    if (name !== undefined) {
      const quote = source[pos + name.length];
      if (STRING_PREFIX.test(name) && (quote === "'" || quote === '"')) {
        const literal = readString(source, pos + 1, /^[rR]$/.test(name), fail);
        tokens.push({ kind: 'string', text: source.slice(pos, literal.end), value: literal.value, offset: pos, end: literal.end });
        pos = literal.end;
        continue;
      }
      if (RESERVED.has(name)) fail(`'${name}' is a reserved word and cannot be used in a condition`, pos);
      const keyword = KEYWORDS.get(name);
      const kind = keyword === undefined ? 'name' : 'keyword';
      tokens.push({ kind, text: keyword ?? name, value: undefined, offset: pos, end: pos + name.length });
      pos += name.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const literal = readString(source, pos, false, fail);
      tokens.push({ kind: 'string', text: source.slice(pos, literal.end), value: literal.value, offset: pos, end: literal.end });
      pos = literal.end;
      continue;
    }
    const number = matchAt(NUMBER, source, pos);
    if (number !== undefined) {
      const end = pos + number.length;
      if (NAME_CHAR.test(source[end] ?? '')) fail(`invalid number literal '${source.slice(pos, end + 1)}'`, pos);
      if (/^0[0-9_]*[1-9]/.test(number) && !/[.eE]/.test(number)) {
        fail(`leading zeros are not allowed in '${number}'; use 0o for octal`, pos);
      }
      tokens.push({ kind: 'number', text: number, value: Number(number.replaceAll('_', '')), offset: pos, end });
      pos = end;
      continue;
    }
    const hint = OPERATOR_HINTS.get(source.slice(pos, pos + 2));
    if (hint !== undefined) fail(hint, pos);
    const op = OPERATORS.find(([spelling]) => source.startsWith(spelling, pos));
    if (op !== undefined) {
      const kind = /^[a-z]/.test(op[1]) ? 'keyword' : 'op';
      tokens.push({ kind, text: op[1], value: undefined, offset: pos, end: pos + op[0].length });
      pos += op[0].length;
      continue;
    }
    const codePoint = source.codePointAt(pos) ?? 0;
    const char = String.fromCodePoint(codePoint);
    fail(OPERATOR_HINTS.get(char) ?? `unexpected character ${JSON.stringify(char)}`, pos);
  }
  tokens.push({ kind: 'end', text: '', value: undefined, offset: source.length, end: source.length });
  return tokens;
}
