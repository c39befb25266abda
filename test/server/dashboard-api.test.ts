/**
 * The API routes the dashboard reads and acts through (issue #11), over real HTTP on a real SQLite
 * store seeded through the store ports and use cases: release status with gate and detections, a
 * file's and a release's timeline with events, cases with their submission package, state changes
 * (write token; 403 for read; 409 for a transition the case may not make or a stale state), and the
 * routes in the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { newToken, type TokenRole } from '../../src/core/access/tokens.ts';
import { DEFAULT_GATE_POLICY } from '../../src/core/gate/release-gate.ts';
import type { OpenedStore } from '../../src/core/releases/ports.ts';
import { acceptsGzip, createApi, GZIP_MIN_BYTES } from '../../src/server/api.ts';
import { createStoreOpener } from '../../src/store/open-store.ts';
import { OLD_VERSION, PRODUCT, VERSION, seedDashboard, type Seeded } from './dashboard-seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'absolve-dash-api-'));
let opened: OpenedStore;
let server: ReturnType<typeof serve>;
let base = '';
let seeded: Seeded;
const tokens: Partial<Record<TokenRole, string>> = {};
const NOW = new Date('2026-12-05T12:00:00.000Z');

before(async () => {
  mkdirSync(join(dir, 'store'));
  const db = join(dir, 'store', 'absolve.db');
  seeded = await seedDashboard(db);
  opened = await createStoreOpener({ env: {}, cwd: dir })(`sqlite:${db}`, { create: false });
  for (const role of ['read', 'write'] as const) {
    const { token, record } = newToken(role, role, NOW);
    await opened.tokens.saveToken(record);
    tokens[role] = token;
  }
  const app = createApi({ store: opened, version: '9.9.9', now: () => NOW, gatePolicy: DEFAULT_GATE_POLICY });
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

async function call<T>(path: string, role: TokenRole, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${tokens[role] ?? ''}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: r.status, body: (await r.json()) as T };
}

/** A GET with Node's http client, which (unlike fetch) neither asks for nor undoes gzip: the bytes as sent. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: { authorization: `Bearer ${tokens.read ?? ''}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface MatrixBody {
  engines: string[];
  files: Array<{ path: string; flagged: number; verdicts: Array<{ engine: string; kind: string | null }> }>;
}

interface StatusBody {
  releases: Array<{ product: string; version: string; gate: { pass: boolean; reasons: Array<{ code: string }> }; detections: { flaggedFiles: number; engines: string[]; detections: number }; openCases: number }>;
}
interface TimelineBody {
  engines: string[];
  scans: Array<{ id: string; at: string; flagging: string[]; answered: number }>;
  events: Array<{ kind: string; sha256: string }>;
}
interface CaseBody {
  id: number;
  state: string;
  vendor: string;
  overdue: boolean;
  next: string[];
  dueAt: string | null;
}

describe('dashboard API routes', () => {
  it('release-status: newest first, the gate with reasons, the detections that stand now, open cases', async () => {
    const { status, body } = await call<StatusBody>('/api/v1/release-status', 'read');
    assert.equal(status, 200);
    assert.deepEqual(body.releases.map((r) => r.version), [VERSION, OLD_VERSION]);
    const current = body.releases[0];
    assert.equal(current?.gate.pass, false);
    assert.ok(current?.gate.reasons.some((r) => r.code === 'MUST_BE_CLEAN'));
    assert.deepEqual(current?.detections, { flaggedFiles: 1, engines: ['Microsoft'], detections: 1 });
    assert.equal(current?.openCases, 12);
    assert.deepEqual(body.releases[1]?.gate.reasons.map((r) => r.code), ['NOT_SCANNED']);
  });

  it('timeline of one file: engines flagging per scan, oldest first, and its events (18 → 1)', async () => {
    const { status, body } = await call<TimelineBody>(`/api/v1/products/${PRODUCT}/releases/${VERSION}/timeline?sha256=${seeded.appSha256}`, 'read');
    assert.equal(status, 200);
    assert.deepEqual(body.scans.map((s) => s.id), seeded.scanIds);
    assert.deepEqual(body.scans.map((s) => s.flagging.length), [0, 18, 11, 4, 1]);
    assert.deepEqual(body.scans.map((s) => s.answered), [22, 22, 22, 22, 22]);
    assert.deepEqual(body.events.map((e) => e.kind), ['new-detections', 'decreasing-detections', 'decreasing-detections', 'decreasing-detections']);
    assert.ok(body.events.every((e) => e.sha256 === seeded.appSha256));
    assert.equal(body.engines.length, 18);
  });

  it('timeline of the release: any file flagged; events of every file; bad input is a 400, an unknown release a 404', async () => {
    const { body } = await call<TimelineBody>(`/api/v1/products/${PRODUCT}/releases/${VERSION}/timeline`, 'read');
    assert.deepEqual(body.scans.map((s) => s.flagging.length), [0, 18, 12, 5, 1]);
    assert.ok(body.events.some((e) => e.kind === 'solved-detections'));
    assert.ok(body.events.some((e) => e.kind === 'swapped-detections'));
    assert.equal((await call(`/api/v1/products/${PRODUCT}/releases/${VERSION}/timeline?sha256=nothex`, 'read')).status, 400);
    const missing = await call<{ error: { code: string } }>(`/api/v1/products/${PRODUCT}/releases/9.9/timeline`, 'read');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'RELEASE_NOT_FOUND');
  });

  it('cases: the list with overdue follow-ups and next states; one case with its history and submission package', async () => {
    const { body } = await call<{ cases: CaseBody[] }>(`/api/v1/cases?product=${PRODUCT}&version=${VERSION}`, 'read');
    assert.equal(body.cases.length, 13);
    const overdue = body.cases.filter((k) => k.overdue).map((k) => k.vendor);
    assert.deepEqual(overdue, ['CrowdStrike Falcon']);
    const ms = body.cases.find((k) => k.id === seeded.microsoftCaseId);
    assert.deepEqual(ms?.next, ['submitted', 'resolved', 'rejected']);
    assert.equal((await call<{ cases: CaseBody[] }>('/api/v1/cases?state=acknowledged', 'read')).body.cases.length, 1);
    assert.equal((await call('/api/v1/cases?state=bogus', 'read')).status, 400);

    const detail = await call<{ case: CaseBody; events: Array<{ kind: string }>; package: { vendorName: string; archive: { fileName: string; password: string | null } | null; forms: Array<{ address: string }> } | null }>(`/api/v1/cases/${seeded.microsoftCaseId}`, 'read');
    assert.equal(detail.status, 200);
    assert.equal(detail.body.case.vendor, 'Microsoft');
    assert.deepEqual(detail.body.events.map((e) => e.kind), ['opened']);
    assert.equal(detail.body.package?.vendorName, 'Microsoft');
    assert.match(detail.body.package?.archive?.fileName ?? '', /^contoso-app-2\.1\.0-Microsoft\.zip$/);
    assert.ok((detail.body.package?.forms.length ?? 0) > 0);
    assert.equal((await call('/api/v1/cases/99999', 'read')).status, 404);
    assert.equal((await call('/api/v1/cases/abc', 'read')).status, 400);
  });

  it('case state: read token 403; write token moves it (due date set on submission); a stale or invalid change is a 409', async () => {
    const path = `/api/v1/cases/${seeded.microsoftCaseId}/state`;
    const denied = await call<{ error: { code: string } }>(path, 'read', { method: 'POST', body: { state: 'submitted' } });
    assert.equal(denied.status, 403);
    const moved = await call<CaseBody>(path, 'write', { method: 'POST', body: { state: 'submitted', expected: 'new' } });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.state, 'submitted');
    assert.equal(moved.body.dueAt, '2026-12-12T12:00:00.000Z');
    const stale = await call<{ error: { code: string } }>(path, 'write', { method: 'POST', body: { state: 'acknowledged', expected: 'new' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'CASE_STATE_CONFLICT');
    const invalid = await call<{ error: { code: string } }>(path, 'write', { method: 'POST', body: { state: 'new' } });
    assert.equal(invalid.status, 409);
    assert.equal(invalid.body.error.code, 'CASE_TRANSITION_INVALID');
    assert.equal((await call(path, 'write', { method: 'POST', body: { state: 'closed' } })).status, 400);
    const history = await call<{ events: Array<{ kind: string; toState: string | null }> }>(`/api/v1/cases/${seeded.microsoftCaseId}`, 'read');
    assert.deepEqual(history.body.events.map((e) => `${e.kind}:${e.toState ?? ''}`), ['opened:new', 'state:submitted', 'due:']);
  });

  it('session: the token’s name and role, never its text', async () => {
    const { status, body } = await call<Record<string, string>>('/api/v1/session', 'read');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['id', 'name', 'role']);
    assert.equal(body.role, 'read');
    assert.ok(!JSON.stringify(body).includes(tokens.read ?? '?'));
  });

  it('matrix: gzipped when the client accepts it, the same JSON; ?files=flagged keeps the flagged files and their containers', async () => {
    const path = `/api/v1/products/${PRODUCT}/releases/${VERSION}/matrix`;
    const plain = await rawGet(path, {});
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.length >= GZIP_MIN_BYTES, `the seeded matrix is ${plain.body.length} bytes: too small to be gzipped`);
    const zipped = await rawGet(path, { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.ok(zipped.body.length < plain.body.length / 2);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.body).toString('utf8')), JSON.parse(plain.body.toString('utf8')));
    assert.equal((await rawGet(path, { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding'], undefined);

    const all = JSON.parse(plain.body.toString('utf8')) as MatrixBody;
    assert.deepEqual(all.files.map((f) => f.path), ['setup.msi', 'setup.msi!/bin/app.exe', 'setup.msi!/bin/helper.dll', 'updater.exe']);
    const flagged = await call<MatrixBody>(`${path}?files=flagged`, 'read');
    assert.equal(flagged.status, 200);
    assert.deepEqual(flagged.body.engines, all.engines, 'every engine that answered, as without the filter');
    const flaggedPaths = all.files.filter((f) => f.flagged > 0).map((f) => f.path);
    assert.ok(flaggedPaths.includes('setup.msi!/bin/app.exe'));
    assert.deepEqual(
      flagged.body.files.map((f) => f.path),
      all.files.filter((f) => f.flagged > 0 || flaggedPaths.some((p) => p.startsWith(`${f.path}!/`))).map((f) => f.path),
    );
    assert.ok(flagged.body.files.some((f) => f.path === 'setup.msi' && f.flagged === 0), 'the container above a flagged member is kept');
    assert.deepEqual(flagged.body.files, all.files.filter((f) => flagged.body.files.some((g) => g.path === f.path)), 'the kept files unchanged');
    assert.equal((await call(`${path}?files=some`, 'read')).status, 400);
  });

  it('Accept-Encoding: gzip, x-gzip or * with a q-value above 0 (RFC 9110 §12.5.3)', () => {
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip('gzip, deflate, br'), true);
    assert.equal(acceptsGzip('GZIP;Q=0.5'), true);
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip('x-gzip'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip;q=0.000, br'), false);
    assert.equal(acceptsGzip('deflate, identity'), false);
    assert.equal(acceptsGzip('gzipx'), false);
  });

  it('timeline of the release: its events even behind more than 10,000 older events of other files', async () => {
    const path = `/api/v1/products/${PRODUCT}/releases/${VERSION}/timeline`;
    const before = (await call<TimelineBody>(path, 'read')).body.events;
    assert.ok(before.length > 0);
    const scanId = (await opened.scans.listScans({ limit: 1 }))[0]?.id;
    assert.ok(scanId !== undefined);
    const other = '0'.repeat(64);
    await opened.events.recordEvents(
      Array.from({ length: 10_001 }, (_, i) => ({ id: `older-${String(i).padStart(5, '0')}`, at: '2020-01-01T00:00:00.000Z', scanId, previousScanId: scanId, sha256: other, via: 'virustotal' as const, kind: 'new-detections' as const, before: [], after: ['X'], results: {} })),
    );
    const after = (await call<TimelineBody>(path, 'read')).body.events;
    assert.deepEqual(after, before, 'the same events, oldest first, none of the other file');
  });

  it('the new routes are in the OpenAPI document', async () => {
    const { body } = await call<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json', 'read');
    for (const [path, method] of [
      ['/api/v1/release-status', 'get'],
      ['/api/v1/session', 'get'],
      ['/api/v1/products/{product}/releases/{version}/timeline', 'get'],
      ['/api/v1/cases', 'get'],
      ['/api/v1/cases/{id}', 'get'],
      ['/api/v1/cases/{id}/state', 'post'],
    ] as const) {
      assert.ok(body.paths[path]?.[method] !== undefined, `${method} ${path}`);
    }
  });
});
