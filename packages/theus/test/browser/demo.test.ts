/**
 * The browser demo (`demo/`): a process, an audit rule, a workflow and a state machine from the
 * core entries, bundled by esbuild for the browser, served from a local HTTP server and run in
 * headless Chromium (Debian's `chromium`, driven by playwright-core). Skipped, by name, only when
 * /usr/bin/chromium is absent; CI (.ci/run) installs it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, HAS_DIST, inBuiltProject } from './browser-bundle.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const DEMO = fileURLToPath(new URL('./demo/', import.meta.url));

/** The flags a root, offline CI machine needs (no sandbox, no background traffic). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const title = 'the browser demo in headless Chromium';
const skipReason = !inBuiltProject()
  ? '(run in the built project only: it bundles dist/)'
  : !HAS_CHROMIUM
    ? `(skipped: ${CHROMIUM} is absent; install it with apt-get install -y chromium, as CI does)`
    : '';

describe.skipIf(skipReason !== '')(`${title} ${skipReason}`.trim(), () => {
  let server: Server;
  let browser: Browser;
  let origin = '';

  beforeAll(async () => {
    expect(HAS_DIST, 'dist/ is built (npm test builds it first; by hand: npm run build)').toBe(true);
    const bundle = await bundleForBrowser(await readFile(`${DEMO}app.ts`, 'utf8'));
    expect(bundle.errors).toEqual([]);
    const files: Record<string, { type: string; body: string }> = {
      '/': { type: 'text/html', body: await readFile(`${DEMO}index.html`, 'utf8') },
      '/app.js': { type: 'text/javascript', body: bundle.code },
    };
    server = createServer((request, response) => {
      const file = files[request.url ?? '/'];
      response.writeHead(file === undefined ? 404 : 200, { 'content-type': file?.type ?? 'text/plain' });
      response.end(file?.body ?? 'not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server === undefined ? done(undefined) : server.close(done)));
  });

  it('runs a process, an audit rule, a workflow and a state machine', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForSelector('#result[data-state]', { timeout: 20_000 });
    const demo = await page.evaluate<{ ok: boolean; error?: string; result?: Record<string, unknown> }>('globalThis.theusDemo');
    expect(demo.error).toBeUndefined();
    expect(demo.ok).toBe(true);
    expect(demo.result).toMatchObject({
      accounts: { alice: 600, bob: 400 },
      status: 'SHIPPED',
      blocked: 'AUDIT_BLOCK',
      workflow: { status: 'complete', executed: ['transfer', 'transfer', 'transfer'] },
      machine: 'DONE',
      scan: 'CONTRACT_SCAN_FAILED',
    });
    expect(demo.result?.['userAgent']).toMatch(/Chrome\//);
    expect(await page.locator('#result').getAttribute('data-state')).toBe('done');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
