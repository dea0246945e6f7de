import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Each entry of the theus package, as its source file (the `source` project tests the source). */
const entries: Record<string, string> = {
  theus: 'index.ts',
  'theus/audit': 'audit/index.ts',
  'theus/workflow': 'flux/index.ts',
  'theus/fsm': 'fsm/index.ts',
  'theus/node': 'engine/node-files.ts',
  'theus/store/sqlite': 'store/sqlite/index.ts',
  'theus/store/postgres': 'store/postgres/index.ts',
  'theus/parallel': 'parallel/index.ts',
};
const alias = [
  ...Object.entries(entries).map(([specifier, file]) => ({
    find: new RegExp(`^${specifier}$`),
    replacement: fileURLToPath(new URL(`./packages/theus/src/${file}`, import.meta.url)),
  })),
  { find: /^eslint-plugin-theus$/, replacement: fileURLToPath(new URL('./packages/eslint-plugin-theus/src/index.ts', import.meta.url)) },
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'source',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
          typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        test: {
          name: 'built',
          include: ['packages/theus/test/**/*.test.ts'],
        },
      },
    ],
  },
});
