import type { SourcePosition } from '../yaml/source-issue.js';

/** One source line's contribution to a scalar's value: where it starts and its text. */
interface Segment {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/** Splits a text into lines the way {@link positionInScalar} counts them. */
export function splitLines(text: string): readonly string[] {
  return text.split(/\r?\n/);
}

/**
 * Maps an offset inside a scalar's value to a position in the file. Handles plain and quoted
 * scalars (the value starts at the scalar, one column later when quoted) and block scalars
 * (`|`, `>`: the value starts on the next line, after the block's indentation). Line breaks of
 * multi-line scalars count as one character of the value, as both folding and literal blocks
 * keep one character per break; escapes in double-quoted text are not unfolded, so positions
 * after an escape may be off by its length. `text` may be given already split by
 * {@link splitLines}; only the lines up to the position are visited.
 */
export function positionInScalar(text: string | readonly string[], scalar: SourcePosition, offset: number): SourcePosition {
  const lines = typeof text === 'string' ? splitLines(text) : text;
  let rest = Math.max(0, offset);
  let last: Segment | undefined;
  for (const segment of segmentsOf(lines, scalar)) {
    if (rest <= segment.text.length) return { line: segment.line, column: segment.column + rest };
    rest -= segment.text.length + 1;
    last = segment;
  }
  return last === undefined ? scalar : { line: last.line, column: last.column + last.text.length };
}

/** The value-bearing pieces of the scalar starting at `scalar`, in order, produced on demand. */
function* segmentsOf(lines: readonly string[], scalar: SourcePosition): Generator<Segment> {
  const first = lines[scalar.line - 1] ?? '';
  const indicator = first.charAt(scalar.column - 1);
  if (indicator === '|' || indicator === '>') {
    yield* blockSegments(lines, scalar.line);
    return;
  }
  const quoted = indicator === '"' || indicator === "'" ? 1 : 0;
  const start = scalar.column - 1 + quoted;
  yield { line: scalar.line, column: start + 1, text: first.slice(start) };
  for (let index = scalar.line; index < lines.length; index++) {
    const source = lines[index] ?? '';
    const trimmed = source.trimStart();
    yield { line: index + 1, column: source.length - trimmed.length + 1, text: trimmed };
  }
}

/** The content lines of a block scalar whose header is on line `header` (1-based). */
function* blockSegments(lines: readonly string[], header: number): Generator<Segment> {
  let indent = 0;
  for (let index = header; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() !== '') {
      indent = line.length - line.trimStart().length;
      break;
    }
  }
  for (let index = header; index < lines.length; index++) {
    const source = lines[index] ?? '';
    if (source.trim() !== '' && source.length - source.trimStart().length < indent) return;
    yield { line: index + 1, column: indent + 1, text: source.slice(indent) };
  }
}
