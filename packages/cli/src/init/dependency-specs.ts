import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { CLI_VERSION } from '../version.js';

/**
 * The versions of the third-party packages a generated project uses: the ones this workspace
 * builds and tests with. Every template takes its versions from here (its `package.json` names
 * them with `{{package}}` placeholders), so they change in one place.
 */
export const PINNED_VERSIONS = {
  typescript: '6.0.3',
  vitest: '4.1.12',
  tsx: '4.23.15',
  '@types/node': '20.19.43',
  yaml: '2.9.1',
  zod: '4.6.7',
} as const;

/** The Theus packages a generated project depends on, by name. */
const OWN_PACKAGES = { theus: 'theus', 'theus-cli': 'cli', 'eslint-plugin-theus': 'eslint-plugin-theus' } as const;

/** How a generated project gets the Theus packages. */
export interface DependencySpecs {
  /** The version spec of every package a template may name, by package name. */
  readonly specs: Readonly<Record<string, string>>;
  /** The workspace checkout the Theus packages are linked from (`file:`), if the CLI runs from one. */
  readonly checkout: string | undefined;
}

/**
 * The dependency specs for a generated project. When this CLI runs from a workspace checkout
 * (the real path of the `theus` package it resolves has no `node_modules` segment), the Theus
 * packages are `file:` links to the checkout's `packages/*`; otherwise they are `^<version>` of
 * the installed packages.
 */
export function dependencySpecs(): DependencySpecs {
  const require = createRequire(import.meta.url);
  const theusManifest = realpathSync(require.resolve('theus/package.json'));
  const inCheckout = !theusManifest.split(sep).includes('node_modules');
  const packagesDir = dirname(dirname(theusManifest));
  const own: Record<string, string> = {};
  for (const [name, folder] of Object.entries(OWN_PACKAGES)) {
    own[name] = inCheckout
      ? `file:${join(packagesDir, folder)}`
      : `^${name === 'theus-cli' ? CLI_VERSION : installedVersion(require, name)}`;
  }
  return { specs: { ...PINNED_VERSIONS, ...own }, checkout: inCheckout ? dirname(packagesDir) : undefined };
}

function installedVersion(require: NodeJS.Require, name: string): string {
  const manifest = require(`${name}/package.json`) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`theus-cli: ${name}/package.json has no version`);
  return manifest.version;
}
