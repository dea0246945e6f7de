/**
 * Reads one quoted string literal with Python's escapes (`\n`, `\xHH`, `\uHHHH`, `\U0010FFFF`, octal,
 * line continuation); an unknown escape keeps its backslash, as Python does. Raw strings keep all.
 *
 * @packageDocumentation
 */

/** A decoded literal and the offset just past its closing quote. */
export interface StringLiteral {
  readonly value: string;
  readonly end: number;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

const HEX_LENGTHS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** Decodes `\xHH`, `\uHHHH` or `\UHHHHHHHH` starting at the letter; returns the char and its length. */
function readHexEscape(source: string, at: number, fail: (message: string, offset: number) => never): [string, number] {
  const letter = source[at] ?? '';
  const length = HEX_LENGTHS[letter] ?? 0;
  const digits = source.slice(at + 1, at + 1 + length);
  if (!new RegExp(`^[0-9a-fA-F]{${String(length)}}$`).test(digits)) {
    fail(`truncated \\${letter} escape: expected ${String(length)} hex digits`, at - 1);
  }
  const code = Number.parseInt(digits, 16);
  if (code > 0x10ffff) fail(`\\${letter}${digits} is not a Unicode code point`, at - 1);
  return [String.fromCodePoint(code), length + 1];
}

/**
 * Reads the literal whose opening quote is at `start`. Throws through `fail` (which never returns)
 * on an unterminated literal or a malformed escape.
 */
export function readString(source: string, start: number, raw: boolean, fail: (message: string, offset: number) => never): StringLiteral {
  const quote = source[start];
  let value = '';
  let pos = start + 1;
  for (;;) {
    const ch = source[pos];
    if (ch === undefined || ch === '\n' || ch === '\r') return fail('unterminated string literal', start);
    if (ch === quote) return { value, end: pos + 1 };
    if (ch !== '\\') {
      value += ch;
      pos++;
      continue;
    }
    const next = source[pos + 1];
    if (next === undefined) return fail('unterminated string literal', start);
    if (raw) {
      value += ch + next;
      pos += 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      pos += 2;
    } else if (Object.hasOwn(HEX_LENGTHS, next)) {
      const [char, length] = readHexEscape(source, pos + 1, fail);
      value += char;
      pos += 1 + length;
    } else if (next >= '0' && next <= '7') {
      const digits = /^[0-7]{1,3}/.exec(source.slice(pos + 1, pos + 4))?.[0] ?? next;
      value += String.fromCharCode(Number.parseInt(digits, 8));
      pos += 1 + digits.length;
    } else {
      value += ch + next;
      pos += 2;
    }
  }
}
