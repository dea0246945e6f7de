import { defineConfig } from 'tsdown';

/**
 * One ESM build with declarations. ESLint and @typescript-eslint/* stay external: ESLint is a peer
 * dependency, and the utils must be the copy the user's ESLint setup resolves, not a bundled one.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'node',
  // The package is "type": "module": plain .js / .d.ts names, as package.json#exports lists them.
  fixedExtension: false,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  deps: { neverBundle: [/^@typescript-eslint\//, 'eslint'] },
});
