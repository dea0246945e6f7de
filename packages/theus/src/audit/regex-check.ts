/**
 * The `regex` check's matcher: RE2 syntax, matched in time linear in the input (re2js, a pure
 * JavaScript port of RE2, so the core stays browser-safe), with three caps so that one check costs
 * a bounded amount of work whatever the recipe and the value: the pattern's length, the size of
 * its compiled program, and the number of characters one check examines.
 *
 * Patterns RE2 cannot match in linear time (backreferences, lookahead, lookbehind, atomic groups)
 * are rejected with the character where the construct starts and how to rewrite it.
 *
 * @packageDocumentation
 */
import { RE2JS } from 're2js';

/** The longest `regex` pattern a recipe may hold, in characters. */
export const MAX_REGEX_LENGTH = 1000;

/** The largest compiled RE2 program (its instruction count) a `regex` pattern may produce. */
export const MAX_REGEX_PROGRAM = 10_000;

/**
 * The work one check may do, as program size × characters examined: a string longer than
 * `REGEX_WORK_LIMIT / programSize` characters fails the check without being matched. With it, the
 * worst case of one check (a pattern that defeats RE2's DFA) stays well under a second.
 */
export const REGEX_WORK_LIMIT = 10_000_000;

/** The most characters a `regex` check examines, however simple its pattern. */
export const MAX_REGEX_INPUT = 1_000_000;

/**
 * A compiled `regex` check: an unanchored search (the pattern may match anywhere in the string, as
 * `RegExp.test` and Python's `re.search` do; anchor with `^` and `$`).
 */
export class AuditRegex {
  // A private field: freezing the loaded recipe must not reach the engine's internal caches.
  readonly #re: RE2JS;
  /** The pattern as written in the recipe. */
  readonly pattern: string;
  /** The longest string (in UTF-16 code units) this check examines; longer strings fail it. */
  readonly maxInput: number;

  /** @internal Built by {@link compileAuditRegex}. */
  constructor(pattern: string, re: RE2JS) {
    this.pattern = pattern;
    this.#re = re;
    this.maxInput = Math.min(MAX_REGEX_INPUT, Math.floor(REGEX_WORK_LIMIT / Math.max(1, re.programSize())));
  }

  // The last text tested and its outcome: a rule usually checks a field that did not change since the last run.
  #lastText: string | undefined;
  #lastResult = false;

  /** True when the pattern matches somewhere in `text`; false (without matching) past {@link AuditRegex.maxInput}. */
  test(text: string): boolean {
    if (text === this.#lastText) return this.#lastResult;
    const result = text.length <= this.maxInput && this.#re.test(text);
    this.#lastText = text;
    this.#lastResult = result;
    return result;
  }
}

/** A pattern that cannot be used, in words: what is wrong and how to fix it. */
export interface RegexProblem {
  /** The sentence reported at the pattern's position, e.g. `'regex' uses a lookahead ((?= at character 2 …): …`. */
  readonly problem: string;
}

/** Compiles a recipe's `regex` pattern, or says why it cannot be used. */
export function compileAuditRegex(pattern: string): AuditRegex | RegexProblem {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return {
      problem: `'regex' is ${String(pattern.length)} characters long, over the limit of ${String(MAX_REGEX_LENGTH)}: split it into several rules on the same field (each rule's checks must all pass)`,
    };
  }
  const unsupported = findUnsupported(pattern);
  if (unsupported !== undefined) return { problem: unsupported };
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { problem: `'regex' does not compile: ${text.replace(/^error parsing regexp: /, '')}${escapeHint(text)}` };
  }
  if (re.programSize() > MAX_REGEX_PROGRAM) {
    return {
      problem: `'regex' is too complex (its compiled program has ${String(re.programSize())} instructions, over the limit of ${String(MAX_REGEX_PROGRAM)}): lower its repetition counts such as {1,1000}, or split it into several rules`,
    };
  }
  return new AuditRegex(pattern, re);
}

const LINEAR_TIME = 'which RE2 cannot run (it matches in linear time, so that no value can stall the check)';

/** Constructs RE2 rejects, found outside character classes, with a rewrite hint. */
const UNSUPPORTED: readonly { readonly test: RegExp; readonly name: string; readonly fix: string }[] = [
  {
    test: /^\\[1-9]/,
    name: 'a backreference',
    fix: 'check the repeated part with another rule on the same field, or list the allowed values with in:',
  },
  { test: /^\\k</, name: 'a named backreference', fix: 'check the repeated part with another rule on the same field' },
  { test: /^\(\?P=/, name: 'a named backreference', fix: 'check the repeated part with another rule on the same field' },
  {
    test: /^\(\?<[=!]/,
    name: 'a lookbehind',
    fix: 'match the preceding text as part of the pattern, or add another rule on the same field',
  },
  {
    test: /^\(\?=/,
    name: 'a lookahead',
    fix: 'add another rule on the same field for the condition it tested (a field passes only if all its rules pass)',
  },
  {
    test: /^\(\?!/,
    name: 'a negative lookahead',
    fix: "exclude values with 'neq' or with a positive pattern in another rule on the same field",
  },
  { test: /^\(\?>/, name: 'an atomic group', fix: 'use a plain group (?:...): RE2 never backtracks, so it is not needed' },
];

/** Describes the first construct of `pattern` that RE2 cannot run, or `undefined`. */
function findUnsupported(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (inClass) {
      if (ch === '\\') i++;
      else if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a leading ']' is a literal
      continue;
    }
    if (ch !== '\\' && ch !== '(') continue;
    const rest = pattern.slice(i, i + 4);
    for (const construct of UNSUPPORTED) {
      const match = construct.test.exec(rest);
      if (match !== null) {
        return `'regex' uses ${construct.name} (${match[0]} at character ${String(i + 1)} of the pattern), which ${LINEAR_TIME}: ${construct.fix}`;
      }
    }
    if (ch === '\\') i++;
  }
  return undefined;
}

/** A hint for escapes of other regex dialects that RE2 spells differently. */
function escapeHint(message: string): string {
  if (message.includes('`\\u')) return ' (write \\x{00e9} for a code point, not \\u00e9)';
  if (message.includes('`\\Z')) return ' (write \\z or $ for the end of the text)';
  if (message.includes('`\\c')) return ' (write \\x01 and so on for control characters)';
  return '';
}
