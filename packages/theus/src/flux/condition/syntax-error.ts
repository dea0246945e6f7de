/**
 * The error a condition's text raises when it cannot be parsed, with the position of the problem.
 *
 * @packageDocumentation
 */

/** A 1-based line and column inside a condition's text. */
interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** Counts lines (`\n`, `\r\n` or a lone `\r` end one) and columns up to `offset`. */
export function lineColumnAt(source: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < stop; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 10 || (ch === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: stop - lineStart + 1 };
}

/**
 * A condition that is not well formed. `message` states the problem alone (the workflow loader
 * prefixes its own `file:line:column`); the position is counted inside the condition's text.
 *
 * @example
 * ```ts
 * try { parseCondition('x >>') } catch (e) { if (e instanceof ConditionSyntaxError) e.column } // 3
 * ```
 */
export class ConditionSyntaxError extends Error {
  /** 0-based offset of the problem in {@link ConditionSyntaxError.source}. */
  readonly offset: number;
  /** 1-based line of the problem inside the condition. */
  readonly line: number;
  /** 1-based column of the problem inside the condition (UTF-16 code units). */
  readonly column: number;
  /** The condition's full text. */
  readonly source: string;

  constructor(message: string, source: string, offset: number) {
    super(message);
    this.name = 'ConditionSyntaxError';
    this.source = source;
    this.offset = offset;
    const { line, column } = lineColumnAt(source, offset);
    this.line = line;
    this.column = column;
  }
}
