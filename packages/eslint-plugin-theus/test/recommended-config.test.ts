import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** ESLint with only the recommended config on TypeScript files, ignoring the repository's own config. */
function recommendedESLint(): ESLint {
  return new ESLint({
    cwd: repositoryRoot,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended],
  });
}

describe('the recommended config', () => {
  it('loads in ESLint and reports with the POP codes', async () => {
    const code = [
      "import { createTheus } from 'theus';",
      'const t = createTheus<any>();',
      "console.log('module level is fine');",
      "export const p = t.process({ inputs: ['domain.a'] }, (ctx) => {",
      '  console.log(ctx.domain.b);',
      '  ctx.domain.a = 1;',
      '});',
    ].join('\n');
    const [result] = await recommendedESLint().lintText(code, { filePath: 'in-memory.ts' });
    const found = result?.messages.map((message) => [message.ruleId, message.line, message.message.slice(0, 7)]);
    expect(found).toEqual([
      ['theus/no-console', 5, 'POP-E01'],
      ['theus/contract-integrity', 5, 'POP-C01'],
      ['theus/no-undeclared-write', 6, 'POP-E05'],
    ]);
  });

  it('finds nothing in the repository examples', async () => {
    const results = await recommendedESLint().lintFiles(['examples/**/*.ts']);
    expect(results.length).toBeGreaterThan(0);
    const messages = results.flatMap((result) =>
      result.messages.map((message) => `${result.filePath}:${String(message.line)} ${message.message}`),
    );
    expect(messages).toEqual([]);
  });
});
