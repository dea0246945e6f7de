import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import theus from 'eslint-plugin-theus';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // The CLI's project templates are type-checked and linted inside generated projects (packages/cli/test/templates.test.ts);
  // demo/ is the project README's quick start generates at the root.
  { ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', 'packages/cli/templates/**', 'demo/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'packages/*/tsdown.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/unified-signatures': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
      // Drafts mirror user code, which deletes keys and array slots: the kernel must too.
      '@typescript-eslint/no-dynamic-delete': 'off',
      '@typescript-eslint/no-array-delete': 'off',
      // Public functions are also called from plain JS: String() on a typed string is hardening, not noise.
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test-d.ts', '**/bench/**', 'examples/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  // The bin is a few lines of plain JavaScript for Node, outside every tsconfig.
  { ...tseslint.configs.disableTypeChecked, files: ['packages/cli/bin/*.js'] },
  { files: ['packages/cli/bin/*.js'], languageOptions: { globals: { process: 'readonly', URL: 'readonly' } } },
  // eslint-plugin-theus: the examples must pass the checks users get (the plugin's dist is built before linting),
  // and the plugin's own rules and rule tests follow eslint-plugin-eslint-plugin.
  { ...theus.configs.recommended, files: ['examples/**/*.ts'] },
  { ...eslintPlugin.configs['rules-recommended'], files: ['packages/eslint-plugin-theus/src/rules/**/*.ts'] },
  { ...eslintPlugin.configs['tests-recommended'], files: ['packages/eslint-plugin-theus/test/**/*.test.ts'] },
);
