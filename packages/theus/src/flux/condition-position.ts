import type { SourcePosition } from '../yaml/source-issue.js';

/** One source line's contribution to a scalar's value: where it starts and its text. */
interface Segment {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/**
 * Maps an offset inside a scalar's value to a position in the file. Handles plain and quoted
 * scalars (the value starts at the scalar, one column later when quoted) and block scalars
 * (`|`, `>`: the value starts on the next line, after the block's indentation). Line breaks of
 * multi-line scalars count as one character of the value, as both folding and literal blocks
 * keep one character per break; escapes in double-quoted text are not unfolded, so positions
 * after an escape may be off by its length.
 */
export function positionInScalar(text: string, scalar: SourcePosition, offset: number): SourcePosition {
  const lines = text.split(/\r?\n/);
  const segments = segmentsOf(lines, scalar);
  let rest = Math.max(0, offset);
  for (const segment of segments) {
    if (rest <= segment.text.length) return { line: segment.line, column: segment.column + rest };
    rest -= segment.text.length + 1;
  }
  const last = segments.at(-1);
  return last === undefined ? scalar : { line: last.line, column: last.column + last.text.length };
}

/** The value-bearing pieces of the scalar starting at `scalar`, in order. */
function segmentsOf(lines: readonly string[], scalar: SourcePosition): Segment[] {
  const first = lines[scalar.line - 1] ?? '';
  const indicator = first.charAt(scalar.column - 1);
  if (indicator === '|' || indicator === '>') return blockSegments(lines, scalar.line);
  const quoted = indicator === '"' || indicator === "'" ? 1 : 0;
  const start = scalar.column - 1 + quoted;
  const segments: Segment[] = [{ line: scalar.line, column: start + 1, text: first.slice(start) }];
  for (let index = scalar.line; index < lines.length; index++) {
    const source = lines[index] ?? '';
    const trimmed = source.trimStart();
    segments.push({ line: index + 1, column: source.length - trimmed.length + 1, text: trimmed });
  }
  return segments;
}

/** The content lines of a block scalar whose header is on line `header` (1-based). */
function blockSegments(lines: readonly string[], header: number): Segment[] {
  const firstContent = lines.slice(header).find((l) => l.trim() !== '') ?? '';
  const indent = firstContent.length - firstContent.trimStart().length;
  const segments: Segment[] = [];
  for (let index = header; index < lines.length; index++) {
    const source = lines[index] ?? '';
    if (source.trim() !== '' && source.length - source.trimStart().length < indent) break;
    segments.push({ line: index + 1, column: indent + 1, text: source.slice(indent) });
  }
  return segments;
}
