import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', 'scan-directory': 'src/engine/scan-directory.ts' },
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'neutral',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  deps: { neverBundle: [/^node:/] },
});
