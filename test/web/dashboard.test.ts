/**
 * The dashboard in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core)
 * against the real `absolve serve` (a child process, as a user runs it) on seeded data: sign in →
 * releases → release → matrix → file → timeline chart (its canvas read back: not blank) → cases
 * (mark submitted, the card moves) → case → certificates → events, at 1280×800 and on a phone.
 *
 * Console errors, page errors, failed requests, HTTP errors and any request to a host other than
 * loopback fail the test. Screenshots go to test-output/screenshots/ (gitignored).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { newToken } from '../../src/core/access/tokens.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';
import { repoRoot } from '../support/fixtures.ts';
import { inCI } from '../support/tools.ts';
import { spawnAbsolve } from '../store/cli-harness.ts';
import { PRODUCT, VERSION, seedDashboard, type Seeded } from '../server/dashboard-seed.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : inCI ? false : `needs ${CHROMIUM} (Debian package chromium; .ci/run installs it)`;
const shots = join(repoRoot, 'test-output', 'screenshots');

const dir = mkdtempSync(join(tmpdir(), 'absolve-web-'));
let server: ChildProcess | undefined;
let serverLog = '';
let base = '';
let writeToken = '';
let readToken = '';
let seeded: Seeded;
let context: BrowserContext;
let page: Page;
/** Everything that went wrong in the browser: console errors, page errors, failed or refused requests. */
const problems: string[] = [];

function isLoopback(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
}

before(async () => {
  if (skip !== false) return;
  // The dashboard as `npm run build` builds it (the server serves the checkout's dist/web): built here so the test sees the current source.
  await build({ configFile: join(repoRoot, 'vite.config.mts'), logLevel: 'error' });

  mkdirSync(join(dir, 'store'));
  const dbPath = join(dir, 'store', 'absolve.db');
  seeded = await seedDashboard(dbPath);
  const opened = await createStoreOpener({ env: {}, cwd: dir })(`sqlite:${dbPath}`, { create: false });
  const { token, record } = newToken('browser', 'write', new Date());
  await opened.tokens.saveToken(record);
  const reader = newToken('viewer', 'read', new Date());
  await opened.tokens.saveToken(reader.record);
  await opened.store.close();
  writeToken = token;
  readToken = reader.token;

  server = spawnAbsolve(['serve', '--port', '0', '--db', `sqlite:${dbPath}`], { cwd: dir });
  base = await new Promise<string>((resolve, reject) => {
    server?.stderr?.on('data', (chunk: Buffer) => {
      serverLog += chunk.toString();
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(serverLog);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    server?.once('exit', (code) => reject(new Error(`serve exited ${code}: ${serverLog}`)));
  });

  mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(mkdtempSync(join(dir, 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!isLoopback(url)) {
      problems.push(`request to a non-loopback host: ${url}`);
      return route.abort();
    }
    return route.continue();
  });
  context.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});

after(async () => {
  await context?.close();
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Pixels of the chart canvas that carry the "engines flagging" series colour (#c62828), read back from the canvas. */
async function seriesPixels(): Promise<{ width: number; height: number; red: number; painted: number }> {
  return page.evaluate(() => {
    // The test's tsconfig has no DOM library: the few browser shapes used here, typed in place.
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const doc = (globalThis as unknown as { document: { querySelector(selector: string): Canvas | null } }).document;
    const canvas = doc.querySelector('[data-testid="timeline-chart"] canvas');
    if (canvas === null) return { width: 0, height: 0, red: 0, painted: 0 };
    const ctx = canvas.getContext('2d');
    if (ctx === null) return { width: canvas.width, height: canvas.height, red: 0, painted: 0 };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let red = 0;
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
      if (a > 0) painted++;
      if (a > 200 && r > 170 && g < 80 && b < 80) red++;
    }
    return { width: canvas.width, height: canvas.height, red, painted };
  });
}

describe('dashboard in Chromium', { skip }, () => {
  it('serves the app at / with bundled assets only, and the SPA fallback for client routes', async () => {
    const index = await fetch(`${base}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    const html = await index.text();
    assert.doesNotMatch(html, /https?:\/\//, 'index.html names no external URL');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset !== undefined, html);
    const js = await fetch(`${base}${asset}`);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${base}/releases/x`)).status, 200);
    assert.equal((await fetch(`${base}/api/v1/releases`)).status, 401);
  });

  it('walks sign in → releases → release → matrix → file → timeline → cases (mark submitted) → case → certificates → events', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('API token').waitFor();
    await shot('desktop-01-sign-in');
    // A wrong token is refused with a message (the 401 is expected here, not a problem).
    await page.getByLabel('API token').fill('absolve_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token is unknown or revoked.').waitFor();
    assert.deepEqual(problems.splice(0).filter((p) => !/HTTP 401 .*\/api\/v1\/session/.test(p) && !/status of 401/.test(p)), []);
    await page.getByLabel('API token').fill(writeToken);
    await page.keyboard.press('Enter');

    // Releases: gate verdicts with reasons, detection counts.
    const row = page.locator('.release-row', { hasText: `${PRODUCT} ${VERSION}` });
    await row.waitFor();
    assert.match(await row.innerText(), /Gate: fail/);
    assert.match(await row.innerText(), /MUST_BE_CLEAN/);
    assert.equal(await page.locator('.release-row').count(), 2);
    await shot('desktop-02-releases');
    // Keyboard: the first Tab stops are real links.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName), 'A');

    // Release → detection matrix: the member nested under its container, labels from the classifier, signer and status.
    await row.getByRole('link', { name: `${PRODUCT} ${VERSION}` }).click();
    const matrix = page.getByRole('region', { name: 'Detection matrix' });
    await matrix.waitFor();
    const rows = matrix.locator('tbody tr');
    const texts = await rows.allInnerTexts();
    const msi = texts.findIndex((t) => t.startsWith('setup.msi'));
    const app = texts.findIndex((t) => t.includes('app.exe'));
    assert.ok(msi >= 0 && app > msi, JSON.stringify(texts));
    assert.match(texts[app] ?? '', /└/);
    assert.match(texts[app] ?? '', /Contoso Code Signing 2026/);
    assert.match(texts[app] ?? '', /valid/);
    assert.match(texts[app] ?? '', /ML/, 'Microsoft’s !ml name is labelled ML');
    const updater = texts.find((t) => t.includes('updater.exe')) ?? '';
    assert.match(updater, /unsigned/);
    // The audit findings: rule, file, fix.
    const findings = page.getByRole('region', { name: 'Audit findings' });
    assert.match(await findings.innerText(), /ABS-FP-003[\s\S]*helper\.dll[\s\S]*Sign every PE/);
    // Untrusted text stays text.
    assert.equal(await page.locator('script:not([type="module"])').count(), 0);
    await page.locator('.chart-host canvas').first().waitFor();
    await shot('desktop-03-release');
    // Every engine that answered, not only the flagging ones, on request.
    await page.getByRole('button', { name: 'All 22 engines' }).click();
    assert.equal(await matrix.locator('thead th.engine-col').count(), 22);
    await matrix.screenshot({ path: join(shots, 'desktop-03b-matrix-all-engines.png') });
    await page.getByRole('button', { name: 'Only flagging engines' }).click();
    assert.equal(await matrix.locator('thead th.engine-col').count(), 1);
    // Only the flagged file and the container it is in.
    await page.getByRole('button', { name: 'Only flagged files (1)' }).click();
    assert.deepEqual((await rows.allInnerTexts()).map((t) => t.split(/\s/).filter((w) => w !== '' && w !== '└')[0]), ['setup.msi', 'app.exe']);
    await page.getByRole('button', { name: 'All 4 files' }).click();
    assert.equal(await rows.count(), 4);

    // File page: the timeline chart draws (the canvas holds the series colour), events are listed.
    await matrix.getByRole('link', { name: 'app.exe' }).click();
    await page.waitForURL(new RegExp(`files/${seeded.appSha256}$`));
    await page.getByRole('heading', { name: 'app.exe' }).waitFor();
    await page.locator('[data-testid="timeline-chart"] canvas').waitFor();
    const pixels = await seriesPixels();
    assert.ok(pixels.width > 200 && pixels.height > 100, JSON.stringify(pixels));
    assert.ok(pixels.red > 200, `the chart's series is drawn: ${JSON.stringify(pixels)}`);
    const caption = await page.locator('.chart-card figcaption').innerText();
    assert.match(caption, /18 engines flagging at the peak .*1 at the latest scan/s, caption);
    assert.match(await page.locator('.event-list').first().innerText(), /new[\s\S]*0 → 18/);
    await shot('desktop-04-file-timeline');

    // Cases board: the Microsoft case is new; mark it submitted; it moves to the Submitted column.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    const id = seeded.microsoftCaseId;
    const newCard = page.locator(`[data-state="new"] [data-case-id="${id}"]`);
    await newCard.waitFor();
    assert.match(await page.locator('.due-box').innerText(), /CrowdStrike/);
    await shot('desktop-05-cases');
    // By keyboard: the action is a real button that takes the focus and answers Enter.
    await newCard.getByRole('button', { name: `Mark submitted: case ${id}` }).focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-state="submitted"] [data-case-id="${id}"]`).waitFor();
    assert.equal(await page.locator(`[data-state="new"] [data-case-id="${id}"]`).count(), 0);
    await page.getByText(`Case #${id} is now submitted.`).waitFor();
    await shot('desktop-06-cases-after');

    // Case page: its detection and submission package; the history shows the change.
    await page.locator(`[data-case-id="${id}"]`).getByRole('link', { name: 'Package' }).click();
    await page.getByRole('heading', { name: 'Submission package' }).waitFor();
    const pkg = await page.locator('.package').innerText();
    assert.match(pkg, /Microsoft/);
    assert.match(await page.locator('.event-list').innerText(), /submitted/);
    await shot('desktop-07-case');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Certificates' }).click();
    const certs = page.locator('.product-certs');
    await certs.locator('.cert').first().waitFor();
    const certText = await certs.innerText();
    assert.match(certText, /Contoso Code Signing 2024[\s\S]*expires in \d+ days/);
    assert.match(certText, /Contoso Code Signing 2026[\s\S]*2\.1\.0/);
    await shot('desktop-08-certificates');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await page.getByRole('region', { name: 'Events' }).waitFor();
    const feed = await page.getByRole('region', { name: 'Events' }).innerText();
    assert.match(feed, /solved/);
    assert.match(feed, /app\.exe\s+contoso-app 2\.1\.0/, 'events name their file and release');
    await shot('desktop-09-events');
    assert.deepEqual(problems, []);
  });

  it('a read token sees the cases but is offered no action; signing out forgets the token', async () => {
    await page.goto(`${base}/#/cases`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length), 0);
    await page.getByLabel('API token').fill(readToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.board').waitFor();
    await page.getByText('viewer · read').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Mark / }).count(), 0);
    assert.ok((await page.getByText('Read-only token').count()) > 0);
    assert.deepEqual(problems, []);
  });

  it('fits a phone: no sideways scrolling of the page; the matrix and board scroll inside their boxes', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const pages: Array<[string, string, string]> = [
      ['#/releases', '.release-row', 'phone-01-releases'],
      [`#/releases/${PRODUCT}/${VERSION}`, '.matrix', 'phone-02-release'],
      [`#/releases/${PRODUCT}/${VERSION}/files/${seeded.appSha256}`, '[data-testid="timeline-chart"] canvas', 'phone-03-file'],
      ['#/cases', '.board', 'phone-04-cases'],
      ['#/certificates', '.cert', 'phone-05-certificates'],
      [`#/cases/${seeded.microsoftCaseId}`, '.package', 'phone-06-case'],
      ['#/events', '.event-kind', 'phone-07-events'],
    ];
    for (const [hash, ready, name] of pages) {
      await page.goto(`${base}/${hash}`);
      await page.locator(ready).first().waitFor();
      const overflow = await page.evaluate(() => {
        const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });
      assert.ok(overflow <= 1, `${hash} scrolls sideways by ${overflow}px`);
      await shot(name);
    }
    assert.deepEqual(problems, []);
  });
});
