import { describe, expect, it } from 'vitest';
import { bytesOver, DEFAULT_INPUT_LIMITS, resolveInputLimits, tooLargeMessage } from './limits.js';
import { objectToYamlTree } from './object-tree.js';
import { parseYamlTree } from './yaml-tree.js';

describe('bytesOver', () => {
  it('measures UTF-8, stopping once past the bound', () => {
    expect(bytesOver('abc', 3)).toBeUndefined();
    expect(bytesOver('abcd', 3)).toBe(4);
    expect(bytesOver('€', 3)).toBeUndefined();
    expect(bytesOver('€€', 5)).toBe(6);
    expect(bytesOver('😀', 4)).toBeUndefined();
    expect(bytesOver('😀a', 4)).toBe(5);
    expect(bytesOver('\uD800x', 3)).toBe(4); // a lone surrogate is 3 bytes, as TextEncoder writes U+FFFD
    expect(bytesOver('x'.repeat(100), Infinity)).toBeUndefined();
  });

  it('agrees with TextEncoder around the bound', () => {
    for (const text of ['a€😀b', 'ü'.repeat(10), '😀'.repeat(5), 'plain text']) {
      const size = new TextEncoder().encode(text).length;
      expect(bytesOver(text, size)).toBeUndefined();
      expect(bytesOver(text, size - 1)).toBeGreaterThan(size - 1);
    }
  });
});

describe('resolveInputLimits', () => {
  it('returns bounds it resolved as they are, and checks any other object again', () => {
    const resolved = resolveInputLimits({ maxNodes: 10 });
    expect(resolveInputLimits(resolved)).toBe(resolved);
    expect(resolveInputLimits(DEFAULT_INPUT_LIMITS)).toBe(DEFAULT_INPUT_LIMITS);
    const copy = { ...(resolved as object), maxDepth: 0 };
    expect(resolveInputLimits(copy)).toMatch(/maxDepth/);
  });

  it('fills in defaults and keeps given bounds', () => {
    expect(resolveInputLimits(undefined)).toBe(DEFAULT_INPUT_LIMITS);
    expect(resolveInputLimits({ maxDepth: 7 })).toEqual({ ...DEFAULT_INPUT_LIMITS, maxDepth: 7 });
    expect(resolveInputLimits({ maxNodes: Infinity, maxInputBytes: Infinity })).toMatchObject({ maxNodes: Infinity });
  });

  it.each([
    [null, 'must be an object'],
    [[], 'must be an object'],
    [{ maxDepht: 3 }, "unknown limit 'maxDepht'"],
    [{ maxDepth: 0 }, 'positive integer'],
    [{ maxDepth: 2.5 }, 'positive integer'],
    [{ maxDepth: Infinity }, 'at most 1000'],
    [{ maxDepth: 1001 }, 'at most 1000'],
    [{ maxNodes: '5' }, 'got 5'],
    [{ maxAliases: {} }, 'got object'],
  ])('%j is refused: %s', (limits, problem) => {
    expect(resolveInputLimits(limits)).toEqual(expect.stringContaining(problem));
  });

  it('names the size and the option in the refusal', () => {
    expect(tooLargeMessage(2_000_000, 1_048_576, true)).toMatch(/2,000,000 bytes, over the limit of 1,048,576 bytes \(maxInputBytes\)/);
    expect(tooLargeMessage(2_000_000, 1_048_576, false)).toMatch(/more than 1,048,576 bytes/);
  });
});

describe('parseYamlTree bounds', () => {
  const issues = (text: string, limits = {}) =>
    parseYamlTree(text, 'f.yaml', limits).issues.map((i) => `${String(i.line)}:${String(i.column)} ${i.message}`);

  it('refuses each bound with a position, and no tree', () => {
    expect(issues('a: 1\n', { maxInputBytes: 4 })[0]).toMatch(/^1:1 the definition is more than 4 bytes/);
    expect(issues('a: [[[1]]]\n', { maxDepth: 3 })[0]).toMatch(/^1:6 lists and mappings are nested more than 3 levels/);
    expect(issues('a:\n  b:\n    c:\n      d: 1\n', { maxDepth: 3 })[0]).toMatch(/nested more than 3 levels/);
    expect(issues('[1, 2, 3, 4]\n', { maxNodes: 3 })[0]).toMatch(/more than 3 nodes/);
    expect(issues('a: &x [1]\nb: [*x, *x, *x]\n', { maxAliases: 2 })[0]).toMatch(/^2:13 alias \*x cannot be expanded/);
    expect(parseYamlTree('[[[1]]]', 'f', { maxDepth: 2 }).root).toBeUndefined();
  });

  it('counts alias expansions towards maxNodes and maxDepth', () => {
    expect(issues('a: &x [1, 2, 3]\nb: [*x, *x]\n', { maxNodes: 12 })[0]).toMatch(/more than 12 nodes/);
    expect(issues('a: &x [1, 2, 3]\nb: [*x, *x]\n', { maxNodes: 20 })).toEqual([]);
    expect(issues('a: &x [[1]]\nb: [[*x]]\n', { maxDepth: 4 })[0]).toMatch(/nested more than 4 levels/);
  });

  it('reports duplicate keys, and a second document', () => {
    expect(issues('a: 1\nb: 2\na: 3\n')).toEqual(["3:1 duplicate key 'a' (first at line 1): keys of a mapping must be unique"]);
    expect(issues('a: 1\n---\nb: 2\n')[0]).toMatch(/YAML syntax: Source contains multiple YAML documents/);
  });

  it('still reads ordinary YAML, empty text and comments', () => {
    expect(parseYamlTree('', 'f').root).toBeUndefined();
    expect(parseYamlTree('# only a comment\n', 'f').root).toBeUndefined();
    expect(parseYamlTree("a: [1, 'two', {c: true}]\n", 'f').root).toMatchObject({
      kind: 'map',
      entries: [{ key: 'a', value: { kind: 'seq' } }],
    });
  });
});

describe('objectToYamlTree bounds', () => {
  const convert = (value: unknown, limits = { maxDepth: 3, maxNodes: 10 }) => {
    const seen: string[] = [];
    const tree = objectToYamlTree(value, {
      pos: { line: 1, column: 1 },
      root: '',
      limits,
      report: (path, problem) => seen.push(`${path} ${problem}`),
      exceeded: (path, message) => seen.push(`${path} ${message}`),
    });
    return { tree, seen };
  };

  it('stops at maxDepth and maxNodes, reporting once', () => {
    expect(convert({ a: { b: { c: { d: 1 } } } }).seen).toEqual([
      expect.stringMatching(/^a\.b\.c lists and mappings are nested more than 3 levels/),
    ]);
    expect(convert({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }).seen).toEqual([
      expect.stringMatching(/^a\[8\] the definition holds more than 10 nodes/),
    ]);
    expect(convert({ a: { b: 1 } }).seen).toEqual([]);
  });

  it('without an exceeded callback, reports the part as unsupported', () => {
    const seen: string[] = [];
    objectToYamlTree([[[[1]]]], {
      pos: { line: 1, column: 1 },
      root: '',
      limits: { maxDepth: 2, maxNodes: 99 },
      report: (p, k) => seen.push(`${p} ${k}`),
    });
    expect(seen).toEqual(['[0][0] unsupported']);
  });
});
