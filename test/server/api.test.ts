/**
 * The HTTP API over a real SQLite store and real HTTP (node-server on loopback): health without a
 * token, 401 without or with a bad token, 403 for a role too weak, the OpenAPI document, 404s and the
 * body limit as JSON errors, and a token's clear text nowhere in the database file or the log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { hashToken, newToken, type TokenRole } from '../../src/core/access/tokens.ts';
import { DEFAULT_GATE_POLICY } from '../../src/core/gate/release-gate.ts';
import { makeVerdict } from '../../src/core/scans/index.ts';
import { createApi } from '../../src/server/api.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';
import type { OpenedStore } from '../../src/core/releases/ports.ts';
import { certA, draft } from '../store/sample-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'absolve-api-'));
let opened: OpenedStore;
let base = '';
let server: ReturnType<typeof serve>;
const log: string[] = [];
const tokens: Partial<Record<TokenRole, string>> = {};
const started: string[] = [];
/** The API's clock: fixed, moved by the test of a token's last use. */
let clock = new Date('2026-12-05T01:00:00Z');

before(async () => {
  opened = await createStoreOpener({ env: {}, cwd: dir })(`sqlite:${join(dir, 'store', 'absolve.db')}`, { create: true, createFolders: true });
  const d = draft('contoso', '1.0', [{ path: 'app.exe', content: 'app', signer: certA }]);
  await opened.store.saveRelease(d, { replace: false, deriveFindings: () => [] });
  await opened.scans.beginScan({ id: 's1', startedAt: '2026-12-05T00:00:00.000Z', finishedAt: null, trigger: 'cli', engines: ['virustotal'], release: { product: 'contoso', version: '1.0' }, inputs: [] });
  await opened.scans.addTargets('s1', [{ ordinal: 0, path: 'app.exe', parentPath: null, sha256: d.artifacts[0]?.sha256 ?? '', size: 3 }]);
  await opened.scans.addVerdicts('s1', d.artifacts[0]?.sha256 ?? '', [makeVerdict({ engine: 'Microsoft', via: 'virustotal', category: 'malicious', result: 'Trojan:Win32/Wacatac.B!ml', scannedAt: '2026-12-05T00:00:00.000Z' })], false);
  for (const role of ['read', 'write', 'admin'] as const) {
    const { token, record } = newToken(`${role}-token`, role, new Date('2026-12-05T00:00:00Z'));
    await opened.tokens.saveToken(record);
    tokens[role] = token;
  }
  const app = createApi({
    store: opened,
    version: '9.9.9',
    now: () => clock,
    gatePolicy: DEFAULT_GATE_POLICY,
    log: (line) => log.push(line),
    startReleaseScan: (product, version) => {
      started.push(`${product}@${version}`);
      return Promise.resolve({ jobId: 'job-1', scanId: 'scan-1' });
    },
  });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await opened.store.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, role?: TokenRole, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (role !== undefined) headers.set('authorization', `Bearer ${tokens[role] ?? ''}`);
  return fetch(`${base}${path}`, { ...init, headers });
}

describe('HTTP API', () => {
  it('/health answers without a token', async () => {
    const r = await get('/health');
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { status: 'ok', version: '9.9.9' });
  });

  it('no token or an unknown one: 401 with a JSON error; a read token reads', async () => {
    const none = await get('/api/v1/releases');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="absolve"');
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
    const bad = await fetch(`${base}/api/v1/releases`, { headers: { authorization: 'Bearer absolve_not-a-token' } });
    assert.equal(bad.status, 401);
    const ok = await get('/api/v1/releases', 'read');
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { releases: Array<{ product: string; version: string }> }).releases.map((r) => `${r.product}@${r.version}`), ['contoso@1.0']);
  });

  it("a token's last use is recorded to the minute, not written on every request", async () => {
    const lastUsed = async (): Promise<string | null | undefined> => (await opened.tokens.findTokenByHash(hashToken(tokens.admin ?? '')))?.lastUsedAt;
    const at = (iso: string): void => void (clock = new Date(iso));
    try {
      at('2026-12-05T02:00:00.000Z');
      assert.equal((await get('/api/v1/releases', 'admin')).status, 200);
      assert.equal(await lastUsed(), '2026-12-05T02:00:00.000Z');
      at('2026-12-05T02:00:59.000Z');
      assert.equal((await get('/api/v1/releases', 'admin')).status, 200);
      assert.equal(await lastUsed(), '2026-12-05T02:00:00.000Z', 'within the minute: no write');
      at('2026-12-05T02:01:00.000Z');
      assert.equal((await get('/api/v1/releases', 'admin')).status, 200);
      assert.equal(await lastUsed(), '2026-12-05T02:01:00.000Z');
    } finally {
      at('2026-12-05T01:00:00Z');
    }
  });

  it('a role too weak: 403; the right role acts', async () => {
    const readPost = await get('/api/v1/products/contoso/releases/1.0/scans', 'read', { method: 'POST' });
    assert.equal(readPost.status, 403);
    assert.equal(((await readPost.json()) as { error: { code: string } }).error.code, 'FORBIDDEN');
    const writePost = await get('/api/v1/products/contoso/releases/1.0/scans', 'write', { method: 'POST' });
    assert.equal(writePost.status, 202);
    assert.deepEqual(started, ['contoso@1.0']);
    assert.equal((await get('/api/v1/tokens', 'write')).status, 403);
    const list = await get('/api/v1/tokens', 'admin');
    assert.equal(list.status, 200);
    const body = JSON.stringify(await list.json());
    assert.ok(!body.includes('hash') && !Object.values(tokens).some((t) => body.includes(t)));
  });

  it('release, gate, matrix, scans and events routes read the store', async () => {
    const gate = (await (await get('/api/v1/products/contoso/releases/1.0/gate', 'read')).json()) as { pass: boolean; reasons: Array<{ code: string }> };
    assert.equal(gate.pass, false);
    assert.deepEqual(gate.reasons.map((r) => r.code), ['DETECTIONS', 'MUST_BE_CLEAN']);
    const matrix = (await (await get('/api/v1/products/contoso/releases/1.0/matrix', 'read')).json()) as { engines: string[]; files: Array<{ path: string; flagged: number; verdicts: Array<{ kind: string }> }> };
    assert.deepEqual(matrix.engines, ['Microsoft']);
    assert.deepEqual(matrix.files.map((f) => [f.path, f.flagged, f.verdicts[0]?.kind]), [['app.exe', 1, 'ml']]);
    const scan = (await (await get('/api/v1/scans/s1', 'read')).json()) as { schema: string; files: unknown[] };
    assert.equal(scan.schema, 'absolve.scan/v1');
    assert.equal((await get('/api/v1/events?since=2026-12-01T00:00:00Z', 'read')).status, 200);
    assert.equal((await get('/api/v1/events?since=yesterday', 'read')).status, 400);
    const missing = await get('/api/v1/products/contoso/releases/9.9/gate', 'read');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'RELEASE_NOT_FOUND');
    assert.equal((await get('/api/v1/nothing', 'read')).status, 404);
  });

  it('events: oldest first by default; order=newest gives the newest `limit`, newest first', async () => {
    const sha256 = 'f'.repeat(64);
    const event = (id: string, at: string) => ({ id, at, scanId: 's1', previousScanId: 's0', sha256, via: 'virustotal' as const, kind: 'new-detections' as const, before: [], after: ['Microsoft'], results: {} });
    await opened.events.recordEvents([event('ev-1', '2026-12-02T00:00:00.000Z'), event('ev-3', '2026-12-04T00:00:00.000Z'), event('ev-2', '2026-12-03T00:00:00.000Z')]);
    const ids = async (query: string): Promise<string[]> => {
      const r = await get(`/api/v1/events?since=2026-12-02T00:00:00Z${query}`, 'read');
      assert.equal(r.status, 200);
      return ((await r.json()) as { events: Array<{ id: string }> }).events.map((e) => e.id);
    };
    assert.deepEqual(await ids(''), ['ev-1', 'ev-2', 'ev-3']);
    assert.deepEqual(await ids('&order=oldest&limit=2'), ['ev-1', 'ev-2']);
    assert.deepEqual(await ids('&order=newest&limit=2'), ['ev-3', 'ev-2']);
    assert.deepEqual(await ids('&order=newest'), ['ev-3', 'ev-2', 'ev-1']);
    assert.equal((await get('/api/v1/events?order=sideways', 'read')).status, 400);
  });

  it('the OpenAPI document is generated from the routes, with bearer security', async () => {
    assert.equal((await get('/api/v1/openapi.json')).status, 401);
    const r = await get('/api/v1/openapi.json', 'read');
    assert.equal(r.status, 200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>>; components: { securitySchemes: Record<string, { scheme: string }> } };
    assert.equal(doc.openapi, '3.0.3');
    for (const path of ['/api/v1/releases', '/api/v1/products/{product}/releases/{version}/gate', '/api/v1/products/{product}/releases/{version}/matrix', '/api/v1/events', '/api/v1/scans/{id}']) {
      assert.ok(doc.paths[path]?.get !== undefined, path);
      assert.deepEqual(doc.paths[path]?.get?.security, [{ Bearer: [] }]);
    }
    assert.equal(doc.components.securitySchemes.Bearer?.scheme, 'bearer');
  });

  it('no token text in the database files or the request log', () => {
    const files = readdirSync(join(dir, 'store')).map((f) => readFileSync(join(dir, 'store', f)).toString('latin1')).join('');
    for (const t of Object.values(tokens)) {
      assert.ok(!files.includes(t), 'token text in the database');
      assert.ok(!log.join('\n').includes(t), 'token text in the log');
    }
    assert.ok(log.some((l) => /^GET \/api\/v1\/releases 200 /.test(l)));
  });
  // Last: the server closes a connection whose body it refused unread.
  it('a body over the limit is refused with 413 before it is read', async () => {
    const r = await get('/api/v1/products/contoso/releases/1.0/scans', 'write', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 413);
  });

});
