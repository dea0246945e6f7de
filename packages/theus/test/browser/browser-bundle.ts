import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Message, type Metafile } from 'esbuild';
import { TestRunner } from 'vitest';

/** The package folder: bundles resolve `theus` from here as an app would, through its `exports`, to `dist/`. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Whether `dist/` holds a build (`npm test` builds first; `npm run build` does it by hand). */
export const HAS_DIST = existsSync(new URL('../../dist/index.js', import.meta.url));

/** The entries that promise to run in browsers and edge runtimes (`theus/node` is Node only). */
export const BROWSER_ENTRIES = ['theus', 'theus/audit', 'theus/workflow', 'theus/fsm'] as const;

/**
 * Whether this file runs in the vitest project `built`. The browser checks exercise `dist/`
 * whichever project loads them, so they run there only, once.
 */
export const inBuiltProject = (): boolean => TestRunner.getCurrentSuite().file.projectName === 'built';

/** esbuild's settings for a browser app: what `esbuild --bundle --platform=browser` does. */
export const BROWSER_BUILD: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
};

/** What a bundle attempt gave: its errors (a Node built-in is one on `--platform=browser`), inputs and code. */
export interface BundleResult {
  readonly errors: readonly string[];
  readonly inputs: readonly string[];
  readonly code: string;
}

const formatMessage = (m: Message): string =>
  `${m.location === null ? '' : `${m.location.file}:${String(m.location.line)}: `}${m.text}${m.notes.map((n) => ` (${n.text})`).join('')}`;

/** Bundles `source` (ESM text) as if it were an app's file inside the package folder. */
export async function bundleForBrowser(source: string, options: BuildOptions = {}): Promise<BundleResult> {
  try {
    const result = await build({
      ...BROWSER_BUILD,
      ...options,
      stdin: { contents: source, resolveDir: PACKAGE_DIR, loader: 'ts', sourcefile: 'app.ts' },
    });
    const meta: Metafile = result.metafile ?? { inputs: {}, outputs: {} };
    return { errors: [], inputs: Object.keys(meta.inputs), code: result.outputFiles?.[0]?.text ?? '' };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors === undefined) throw error;
    return { errors: errors.map(formatMessage), inputs: [], code: '' };
  }
}

/** A Node built-in named by an import (`node:fs`, `fs/promises`, `path`...), for failure messages. */
export const NODE_BUILTIN =
  /\b(?:node:[a-z_/]+|["'](?:fs|path|url|os|crypto|child_process|worker_threads|module|util|stream|events|async_hooks)(?:\/[a-z]+)?["'])/;
