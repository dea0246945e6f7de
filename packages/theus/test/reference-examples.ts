import { fileURLToPath } from 'node:url';

/**
 * The original project's example files, read in place from the shared reference folder that
 * sits beside the repository (`../shared`), never copied into it. CI checks out `../shared` too,
 * so a missing folder fails these tests instead of skipping them.
 */
export const REFERENCE_EXAMPLES = fileURLToPath(new URL('../../../../shared/reference/examples/', import.meta.url));
