/**
 * The dashboard's static files as `absolve serve` answers them (through createApi's fallback, over
 * real HTTP): content types, cache headers (hashed assets immutable, index.html revalidated), the
 * SPA fallback for client routes, no way out of the root (dot segments, encoded dots, backslashes,
 * a symlink pointing outside), the API untouched, and a clear page when there is no build.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { DEFAULT_GATE_POLICY } from '../../src/core/gate/release-gate.ts';
import type { OpenedStore } from '../../src/core/releases/ports.ts';
import { createApi } from '../../src/server/api.ts';
import { staticFiles } from '../../src/server/static-files.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'absolve-static-'));
const web = join(dir, 'web');
let opened: OpenedStore;
const servers: Array<ReturnType<typeof serve>> = [];
let base = '';
let bare = '';
const logged: string[] = [];

async function start(root: string, log: (line: string) => void): Promise<string> {
  const files = await staticFiles(root, log);
  const app = createApi({ store: opened, version: '1', now: () => new Date(), gatePolicy: DEFAULT_GATE_POLICY, staticFiles: (p, m) => files.serve(p, m) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A raw GET: fetch() would normalise `..` and `%2e%2e` before sending; an attacker's client does not. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(web, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  symlinkSync(join(dir, 'secret.txt'), join(web, 'assets', 'link.txt'));
  opened = await createStoreOpener({ env: {}, cwd: dir })(`sqlite:${join(dir, 'store', 'absolve.db')}`, { create: true, createFolders: true });
  base = await start(web, (l) => logged.push(l));
  bare = await start(join(dir, 'no-build'), (l) => logged.push(l));
});

after(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  await opened.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard static files', () => {
  it('/ is index.html (revalidated); hashed assets have their types and are immutable; HEAD has no body', async () => {
    const index = await fetch(`${base}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.doesNotMatch(index.headers.get('content-security-policy') ?? '', /unsafe/);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await index.text(), /<title>app<\/title>/);
    const js = await fetch(`${base}/assets/index-abc123.js`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await js.text(), 'console.log("app")');
    assert.equal((await fetch(`${base}/assets/index-abc123.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
    const head = await fetch(`${base}/assets/index-abc123.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('client routes fall back to index.html; a missing asset is a 404; other methods are not served', async () => {
    const route = await fetch(`${base}/releases/contoso/1.0`);
    assert.equal(route.status, 200);
    assert.match(await route.text(), /<title>app<\/title>/);
    assert.equal((await fetch(`${base}/assets/missing-xyz.js`)).status, 404);
    assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 404);
  });

  it('nothing outside the root: dot segments, encoded dots and slashes, backslashes, NUL, a symlink out', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/%00', '/%E0%A4%A']) {
      const r = await rawGet(base, path);
      assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
      assert.doesNotMatch(r.body, /outside the root/, path);
    }
  });

  it('the API is untouched: JSON 404s and 401s under /api', async () => {
    const missing = await fetch(`${base}/api/nothing.js`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /application\/json/);
    assert.equal((await fetch(`${base}/api/v1/releases`)).status, 401);
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  it('without a build: a page saying how to build it (503), a log line, and the API still serves', async () => {
    const r = await fetch(`${bare}/`);
    assert.equal(r.status, 503);
    assert.match(await r.text(), /npm run build/);
    assert.ok(logged.some((l) => /dashboard: no build at .*no-build/.test(l)), logged.join('\n'));
    assert.equal((await fetch(`${bare}/health`)).status, 200);
  });
});
