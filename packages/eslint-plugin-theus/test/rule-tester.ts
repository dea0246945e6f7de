import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

// @typescript-eslint/rule-tester runs on whichever test framework it is handed: here, vitest.
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A rule tester with the TypeScript parser (the rule tester's default), shared by the rule tests. */
export const ruleTester = new RuleTester();

/** The imports most cases start with: the untyped `process` and the typed front door. */
export const HEADER = `import { createTheus, process } from 'theus';\nconst t = createTheus<any>();\n`;
