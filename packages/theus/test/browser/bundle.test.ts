/**
 * Browser bundles of the core entries: each is bundled as an app would bundle it, with esbuild's
 * `--bundle --platform=browser`, and must not reach any Node built-in (Node-only code lives
 * behind `theus/node`, which engine.scan and file-path workflows load at run time only).
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_ENTRIES, bundleForBrowser, HAS_DIST, inBuiltProject } from './browser-bundle.js';

const title = 'browser bundles of the core entries (esbuild --platform=browser)';

describe.skipIf(!inBuiltProject())(inBuiltProject() ? title : `${title} (run in the built project only: they bundle dist/)`, () => {
  it('dist/ is built (npm test builds it first; by hand: npm run build)', () => {
    expect(HAS_DIST).toBe(true);
  });

  it.each(BROWSER_ENTRIES)('%s bundles with no Node built-in and no Node-only module', async (entry) => {
    const bundle = await bundleForBrowser(`export * from '${entry}';`);
    expect(bundle.errors).toEqual([]);
    expect(bundle.inputs.filter((input) => /^node:|node-files|scan-directory|read-text-file/.test(input))).toEqual([]);
    expect(bundle.inputs.some((input) => input.includes('dist/'))).toBe(true);
    // The Node-only entry is reached only through import() of a run-time specifier.
    expect(bundle.code).not.toMatch(/import\(\s*(?:\/\*[^*]*\*\/\s*)*["'][^"']*node-files/);
  });

  it('the check catches Node built-ins: theus/node (Node only) fails the same bundle', async () => {
    const bundle = await bundleForBrowser(`export * from 'theus/node';`);
    expect(bundle.errors.length).toBeGreaterThan(0);
    expect(bundle.errors.join('\n')).toMatch(/node:(?:fs|path|url)/);
  });
});
