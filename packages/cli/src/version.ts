import { createRequire } from 'node:module';

/** The CLI's version, read from its package.json (one source of truth for `theus --version`). */
export const CLI_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
