import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../src/init/placeholders.js';

describe('template placeholders', () => {
  it('fills each {{key}}, escaping values as JSON string content in .json files only', () => {
    const path = String.raw`file:/home/o"brien\theus`;
    const json = fillPlaceholders('{ "name": "{{name}}", "theus": "{{ theus }}" }', { name: 'shop', theus: path }, 'package.json');
    expect(JSON.parse(json)).toEqual({ name: 'shop', theus: path });
    expect(fillPlaceholders('# {{name}}\n', { name: 'a"b' }, 'README.md')).toBe('# a"b\n');
  });

  it('refuses a placeholder without a value, inherited names included, naming the file', () => {
    expect(() => fillPlaceholders('{{nope}}', { name: 'x' }, 'README.md')).toThrow(
      /README\.md has the placeholder \{\{nope\}\}, which has no value \(known: name\)/,
    );
    expect(() => fillPlaceholders('{{constructor}}', {}, 'package.json')).toThrow(/\{\{constructor\}\}/);
  });
});
