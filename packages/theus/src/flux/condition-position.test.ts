import { describe, expect, it } from 'vitest';
import { positionInScalar } from './condition-position.js';

describe('positionInScalar', () => {
  it('maps offsets of plain and quoted one-line scalars', () => {
    const text = 'a: x >> y\nb: "x >> y"\nc: \'x >> y\'\n';
    expect(positionInScalar(text, { line: 1, column: 4 }, 2)).toEqual({ line: 1, column: 6 });
    expect(positionInScalar(text, { line: 2, column: 4 }, 2)).toEqual({ line: 2, column: 7 });
    expect(positionInScalar(text, { line: 3, column: 4 }, 2)).toEqual({ line: 3, column: 7 });
  });

  it('maps offsets of literal and folded block scalars line by line', () => {
    const text = 'cond: |\n  a and\n  b >> c\nnext: 1\n';
    expect(positionInScalar(text, { line: 1, column: 7 }, 8)).toEqual({ line: 3, column: 5 });
    const folded = 'cond: >\n    a and\n    b >> c\n';
    expect(positionInScalar(folded, { line: 1, column: 7 }, 8)).toEqual({ line: 3, column: 7 });
  });

  it('follows a plain scalar folded over several lines', () => {
    const text = 'cond: a and\n  b >> c\n';
    expect(positionInScalar(text, { line: 1, column: 7 }, 8)).toEqual({ line: 2, column: 5 });
  });
});
