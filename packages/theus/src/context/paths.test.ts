import { describe, expect, it } from 'vitest';
import { ContractViolationError } from '../errors/index.js';
import { describe as describeValue, FORBIDDEN_KEYS, formatPath, isPrefixOf, parsePath, pathsOverlap } from './paths.js';

function parseError(path: unknown): ContractViolationError {
  try {
    parsePath(path as string, "Process 'p' inputs");
  } catch (error) {
    if (error instanceof ContractViolationError) return error;
    throw error;
  }
  throw new Error(`parsePath accepted ${String(path)}`);
}

describe('parsePath', () => {
  it.each([
    ['domain', ['domain']],
    ['domain.user.name', ['domain', 'user', 'name']],
    ['domain.items.*', ['domain', 'items']],
    ['domain.*', ['domain']],
    ['domain.items.0', ['domain', 'items', '0']],
    ['domain.items.12.name', ['domain', 'items', '12', 'name']],
    ['$x._y.a-b.sig_go', ['$x', '_y', 'a-b', 'sig_go']],
    ['Domain.CamelCase9', ['Domain', 'CamelCase9']],
  ])('parses %s', (path, segments) => {
    expect(parsePath(path, 'test')).toEqual(segments);
  });

  it('returns a fresh array each time', () => {
    const a = parsePath('domain.x', 'test');
    a.push('mutated');
    expect(parsePath('domain.x', 'test')).toEqual(['domain', 'x']);
  });

  it.each([
    ['leading dot', '.domain', ''],
    ['trailing dot', 'domain.', ''],
    ['double dot', 'domain..x', ''],
    ['only a dot', '.', ''],
    ['bare star', '*', '*'],
    ['star in the middle', 'domain.*.name', '*'],
    ['double star suffix', 'domain.items.*.*', '*'],
    ['star glued to a name', 'domain.items*', 'items*'],
    ['__proto__ segment', 'domain.__proto__.x', '__proto__'],
    ['constructor segment', 'domain.constructor', 'constructor'],
    ['prototype segment', 'prototype.x', 'prototype'],
    ['bracket index', 'domain.items[0]', 'items[0]'],
    ['space', 'domain.user name', 'user name'],
    ['leading digit then letters', 'domain.1abc', '1abc'],
    ['negative index', 'domain.items.-1', '-1'],
    ['whitespace around', ' domain', ' domain'],
  ])('rejects a %s with CONTRACT_INVALID naming the path and segment', (_label, path, segment) => {
    const error = parseError(path);
    expect(error.code).toBe('CONTRACT_INVALID');
    expect(error.message).toContain(`'${path}'`);
    expect(error.message).toContain(`'${segment}'`);
    expect(error.message).toContain("Process 'p' inputs");
    expect(error.details).toEqual({ path, segment });
  });

  it('forbids exactly the prototype-reaching keys', () => {
    expect([...FORBIDDEN_KEYS].sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    for (const key of FORBIDDEN_KEYS) {
      expect(() => parsePath(`domain.${key}.*`, 'test')).toThrow(ContractViolationError);
    }
  });

  it.each([[''], [undefined], [null], [42], [['domain']]])('rejects the non-path %j as non-empty dotted string', (value) => {
    const error = parseError(value);
    expect(error.code).toBe('CONTRACT_INVALID');
    expect(error.message).toMatch(/non-empty dotted string, got /);
    expect(error.details).toEqual({ path: value });
  });

  it('describes what it got for non-string paths', () => {
    expect(parseError(42).message).toContain('got number 42');
    expect(parseError('').message).toContain('got the string ""');
    expect(parseError(undefined).message).toContain('got undefined');
  });
});

describe('formatPath', () => {
  it('joins segments with dots, numbers included', () => {
    expect(formatPath(['domain', 'items', 3, 'name'])).toBe('domain.items.3.name');
    expect(formatPath(['domain'])).toBe('domain');
    expect(formatPath([])).toBe('');
  });

  it('round-trips parsePath', () => {
    for (const path of ['domain', 'domain.user.name', 'a.0.b']) expect(formatPath(parsePath(path, 'test'))).toBe(path);
    expect(formatPath(parsePath('domain.items.*', 'test'))).toBe('domain.items');
  });
});

describe('pathsOverlap / isPrefixOf', () => {
  const A = ['domain', 'user'];
  const cases: [string, (string | number)[], (string | number)[], boolean, boolean, boolean][] = [
    // label, a, b, overlap, a prefix of b, b prefix of a
    ['equal', A, ['domain', 'user'], true, true, true],
    ['ancestor', ['domain'], A, true, true, false],
    ['descendant', ['domain', 'user', 'name'], A, true, false, true],
    ['siblings', ['domain', 'users'], A, false, false, false],
    ['different roots', ['global', 'user'], A, false, false, false],
    ['divergent deeper', ['domain', 'user', 'a'], ['domain', 'user', 'b'], false, false, false],
    ['empty vs any', [], A, true, true, false],
    ['number vs numeric string', ['items', 0], ['items', '0', 'x'], true, true, false],
    ['different indexes', ['items', 1], ['items', 2], false, false, false],
    ['string prefix is not a path prefix', ['dom'], ['domain'], false, false, false],
  ];

  it.each(cases)('%s', (_label, a, b, overlap, aPrefixB, bPrefixA) => {
    expect(pathsOverlap(a, b)).toBe(overlap);
    expect(pathsOverlap(b, a)).toBe(overlap);
    expect(isPrefixOf(a, b)).toBe(aPrefixB);
    expect(isPrefixOf(b, a)).toBe(bPrefixA);
    expect(overlap).toBe(aPrefixB || bPrefixA);
  });
});

describe('describe (value descriptions for messages)', () => {
  it.each([
    [null, 'null'],
    [[1], 'an array'],
    [{}, 'a plain object'],
    [Object.create(null), 'a plain object'],
    [new Date(0), 'an instance of Date'],
    [() => 1, 'a function'],
    [undefined, 'undefined'],
    [Symbol('s'), 'a symbol'],
    [true, 'boolean true'],
    [10n, 'bigint 10'],
    ['x'.repeat(50), `the string "${'x'.repeat(40)}…"`],
  ])('%s → %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
