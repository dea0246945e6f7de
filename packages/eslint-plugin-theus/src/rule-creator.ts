import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';

/** Where each rule's documentation lives: `docs/rules/<rule id>.md` of this package. */
const DOCS_BASE = 'https://github.com/theus-ts/theus/blob/main/packages/eslint-plugin-theus/docs/rules';

const creator = ESLintUtils.RuleCreator((name) => `${DOCS_BASE}/${name}.md`);

/** A rule of this plugin: no options, and a documentation URL derived from its name. */
export type TheusRule<TMessageIds extends string> = TSESLint.RuleModule<TMessageIds> & { name: string };

/** Creates a rule of this plugin (none takes options), with its documentation URL. */
export function createRule<TMessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<[], TMessageIds>>,
): TheusRule<TMessageIds> {
  return creator<[], TMessageIds>(rule);
}
