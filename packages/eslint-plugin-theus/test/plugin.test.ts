import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, { ruleCodes, rules, type RuleId } from '../src/index.js';

const packageRoot = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { name: string; version: string };
const ids = Object.keys(rules) as RuleId[];

describe('the plugin object', () => {
  it('names itself as package.json does', () => {
    expect(plugin.meta).toEqual({ name: manifest.name, version: manifest.version });
  });

  it('gives every rule a POP code, and only rules have one', () => {
    expect(Object.keys(ruleCodes).sort()).toEqual([...ids].sort());
    expect(new Set(Object.values(ruleCodes)).size).toBe(ids.length);
    expect(ruleCodes['not-a-rule']).toBeUndefined();
  });

  it.each(ids)('%s: every message starts with its code and the docs exist', (id) => {
    const rule = rules[id];
    for (const message of Object.values<string>(rule.meta.messages)) expect(message.startsWith(`${ruleCodes[id]}: `)).toBe(true);
    expect(rule.meta.docs?.url).toBe(`https://github.com/theus-ts/theus/blob/main/packages/eslint-plugin-theus/docs/rules/${id}.md`);
    expect(existsSync(new URL(`docs/rules/${id}.md`, packageRoot))).toBe(true);
  });

  it('recommends every rule as an error, under the theus prefix, with the plugin itself', () => {
    const recommended = plugin.configs.recommended;
    expect(recommended.name).toBe('theus/recommended');
    expect(recommended.plugins?.theus).toBe(plugin);
    expect(recommended.rules).toEqual(Object.fromEntries(ids.map((id) => [`theus/${id}`, 'error'])));
  });
});
