import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The original project's example files, read in place from the shared reference folder that may
 * sit beside the repository (`../shared/reference/examples/`), never copied into it. The team's
 * checkout and CI have it; a plain clone does not. The project's own tests run on the fixtures in
 * `test/fixtures/legacy/` (written for this project in the same shapes); the tests on the
 * original's files run in addition when the folder exists and are reported as skipped otherwise.
 */
export const REFERENCE_EXAMPLES = fileURLToPath(new URL('../../../../shared/reference/examples/', import.meta.url));

/** Whether the original's example files are present beside the repository. */
export const HAS_REFERENCE_EXAMPLES = existsSync(REFERENCE_EXAMPLES);

/** The name suffix of the tests on the original's files, telling why they are skipped when they are. */
export const REFERENCE_NOTE = HAS_REFERENCE_EXAMPLES
  ? '(original files in ../shared/reference/examples)'
  : '(skipped: ../shared/reference/examples is not beside this checkout)';

/** The project's own compatibility fixtures for the legacy workflow and audit formats. */
export const LEGACY_FIXTURES = fileURLToPath(new URL('./fixtures/legacy/', import.meta.url));
