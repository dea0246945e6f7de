import type { ESLint, Linter } from 'eslint';
import { ruleCodes } from './rule-codes.js';
import { rules } from './rules/index.js';

export { ruleCodes, rules };
export type { PopCode, RuleId } from './rule-codes.js';

/** The plugin's name and version, as ESLint shows them (kept equal to package.json by a test). */
const meta = { name: 'eslint-plugin-theus', version: '0.1.0' } as const;

/** The shape of the plugin object: its rules and its `recommended` flat config. */
export interface TheusPlugin {
  readonly meta: typeof meta;
  readonly rules: typeof rules;
  readonly configs: {
    /** Every rule as an error, with the plugin registered as `theus`. */
    readonly recommended: Linter.Config;
  };
}

const recommended: Linter.Config = {
  name: 'theus/recommended',
  rules: Object.fromEntries(Object.keys(rules).map((id) => [`theus/${id}`, 'error'])),
};

/**
 * The Theus ESLint plugin: POP-E01..E08 and POP-C01 checks on process definitions.
 *
 * @example
 * ```js
 * // eslint.config.js
 * import theus from 'eslint-plugin-theus';
 * import tseslint from 'typescript-eslint';
 *
 * export default [{ files: ['**\/*.ts'], languageOptions: { parser: tseslint.parser } }, theus.configs.recommended];
 * ```
 */
const plugin: TheusPlugin = { meta, rules, configs: { recommended } };
// The config names the very plugin object it belongs to, so ESLint sees one `theus` plugin however it is
// reached. typescript-eslint's rule types and ESLint's own do not line up (their `create` contexts
// differ in type only), hence the cast: the config is typed as ESLint's, for `new ESLint()` and defineConfig.
recommended.plugins = { theus: plugin as unknown as ESLint.Plugin };

export default plugin;
