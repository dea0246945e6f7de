import { defineConfig } from 'tsdown';

/** The CLI is a bin, not a library: one ESM entry for Node, no declarations, dependencies left as imports. */
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: 'esm',
  dts: false,
  clean: true,
  platform: 'node',
  fixedExtension: false,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
