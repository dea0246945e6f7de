import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    audit: 'src/audit/index.ts',
    workflow: 'src/flux/index.ts',
    fsm: 'src/fsm/index.ts',
    'node-files': 'src/engine/node-files.ts',
    'scan-directory': 'src/engine/scan-directory.ts',
  },
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'neutral',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  deps: { neverBundle: [/^node:/] },
});
