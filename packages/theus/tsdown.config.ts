import { defineConfig } from 'tsdown';

/**
 * One ESM build with declarations. Entries: the four browser-facing ones (`theus`, `theus/audit`,
 * `theus/workflow`, `theus/fsm`), the Node-only `theus/node` (`node-files`) and
 * `theus/store/sqlite` (`store-sqlite`, which imports the optional peer better-sqlite3) and `theus/store/postgres`
 * (`store-postgres`, which imports the optional peer pg). The core loads
 * `node-files.js` at run time only, by a relative specifier (engine.scan, workflow file paths):
 * it must stay a build entry of its own, flat in `dist/` beside the core chunks, so that the
 * specifier resolves the same from `src/engine/` and from `dist/`. `test/browser/bundle.test.ts`
 * checks that no browser bundle of the core reaches it.
 * `theus/parallel` (`parallel`, Node only: the worker pool, which imports piscina) is loaded the
 * same way by the engine on its first parallel run; its worker entry (`parallel-worker`) is a
 * build entry of its own, never inlined, found beside the pool in `dist/` by the pool itself.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    audit: 'src/audit/index.ts',
    workflow: 'src/flux/index.ts',
    fsm: 'src/fsm/index.ts',
    'node-files': 'src/engine/node-files.ts',
    'store-sqlite': 'src/store/sqlite/index.ts',
    'store-postgres': 'src/store/postgres/index.ts',
    parallel: 'src/parallel/index.ts',
    'parallel-worker': 'src/parallel/parallel-worker.ts',
  },
  format: 'esm',
  dts: { compilerOptions: { stripInternal: true } },
  clean: true,
  platform: 'neutral',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  deps: { neverBundle: [/^node:/, 'better-sqlite3', 'pg', 'piscina'] },
});
