// The Microsoft root-program store on disk: `trust update` from a local HTTP server laid out as Microsoft's
// endpoint, `--from` imports, verification against pinned roots, and what audits load from it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAuthenticodeSignature, verifyAuthenticode } from '../../src/authenticode/index.ts';
import { OID } from '../../src/authenticode/oids.ts';
import { AbsolveError } from '../../src/core/errors.ts';
import { defaultTrustStoreDir, importMicrosoftTrustStore, loadMicrosoftTrustStore, updateMicrosoftTrustStore } from '../../src/files/microsoft-trust-store.ts';
import { loadTrustAnchors, trustStoreStatus } from '../../src/files/trust-store.ts';
import { allDigests, loadSignedFixture } from '../authenticode/helpers.ts';
import { buildCTL, testCA } from '../support/ctl-builder.ts';
import { sharedTrustDir, skipWithoutSharedTrust } from '../support/shared-trust.ts';

const MS_ROOT_2011 = '8F43288AD272F3103B6FB1428485EA3014C0BCFE';
const scratch = mkdtempSync(join(tmpdir(), 'absolve-trust-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const freshDir = (): string => join(scratch, `store-${++folders}`, 'trust');

interface Served {
  baseUrl: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` (name → bytes, or a status code) at /trustedr/en/<name>, as Microsoft's endpoint does. */
async function serve(files: (name: string) => Uint8Array | number | undefined): Promise<Served> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '').replace(/^\/trustedr\/en\//, '');
    requests.push(name);
    const body = files(name);
    if (body === undefined) {
      res.writeHead(404).end();
    } else if (typeof body === 'number') {
      res.writeHead(body).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}/trustedr/en/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sharedFile = (name: string): Uint8Array | undefined => {
  const path = name === 'authroot.stl' ? join(sharedTrustDir, name) : join(sharedTrustDir, 'certs', name);
  return /^[\w.]+$/.test(name) && existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
};

describe('the Microsoft store from the real list', { skip: skipWithoutSharedTrust }, () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(scratch, 'real-'));
  });

  it('trust update downloads the list and exactly the code-signing/time-stamping roots it names', async () => {
    const server = await serve(sharedFile);
    try {
      const dir = join(work, 'online', 'absolve', 'trust');
      let progressCalls = 0;
      const result = await updateMicrosoftTrustStore(dir, server.baseUrl, { onProgress: () => progressCalls++ });
      assert.deepEqual([result.entries, result.certificates, result.missing], [515, 371, 0]);
      assert.equal(result.thisUpdate.toISOString(), '2026-04-22T00:33:28.000Z');
      assert.equal(server.requests.length, 1 + 371, 'one request for the list, one per Authenticode root, no retries');
      assert.equal(new Set(server.requests).size, server.requests.length, 'nothing fetched twice');
      assert.equal(progressCalls, 371);
      const store = await loadMicrosoftTrustStore(dir);
      assert.equal(store?.anchors.length, 371);
      assert.equal(store?.missing.length, 0);
      assert.match(store?.signerChain.at(-1) ?? '', /Microsoft Root Certificate Authority 2010/);
    } finally {
      await server.close();
    }
  });

  it('trust update --from imports the same layout offline', async () => {
    const dir = join(work, 'offline', 'trust');
    const result = await importMicrosoftTrustStore(dir, sharedTrustDir);
    assert.deepEqual([result.entries, result.certificates], [515, 371]);
    const status = await trustStoreStatus(dir);
    assert.equal(status.defaultStore, 'microsoft');
    assert.deepEqual([status.microsoft?.entries, status.microsoft?.anchors, status.microsoft?.authenticodeRoots], [515, 371, 371]);
    const trust = await loadTrustAnchors({ trustPaths: [], includeDefaultRoots: true, storeDir: dir });
    assert.equal(trust.store, 'microsoft');
    assert.equal(trust.anchors.length, 371);
    assert.equal(trust.policy.anchorConstraints?.length, 371);
    const node = await loadTrustAnchors({ trustPaths: [], includeDefaultRoots: true, storeDir: dir, store: 'node' });
    assert.equal(node.store, 'node');
    assert.equal(node.policy.anchorConstraints, undefined);
    assert.ok((node.policy.knownRoots?.length ?? 0) > 300, 'the shipped index names the Microsoft roots');
  });

  it('a root whose certificate the server gets wrong is left out and reported as missing, by name', async () => {
    const server = await serve((name) => (name === `${MS_ROOT_2011}.crt` ? new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]) : sharedFile(name)));
    try {
      const dir = join(work, 'partial', 'trust');
      const result = await updateMicrosoftTrustStore(dir, server.baseUrl);
      assert.equal(result.missing, 1);
      const store = await loadMicrosoftTrustStore(dir);
      assert.deepEqual(
        store?.missing.map((r) => [r.thumbprintSha1, r.name]),
        [[MS_ROOT_2011, 'Microsoft Root Certificate Authority 2011']],
      );
    } finally {
      await server.close();
    }
  });

  it('a list changed in transit is refused and the previous store stays', async () => {
    const dir = join(work, 'keep', 'trust');
    await importMicrosoftTrustStore(dir, sharedTrustDir);
    const before = readFileSync(join(dir, 'authroot.stl'));
    const tampered = Uint8Array.from(sharedFile('authroot.stl') ?? []);
    tampered[200] = (tampered[200] as number) ^ 0xff;
    const server = await serve((name) => (name === 'authroot.stl' ? tampered : sharedFile(name)));
    try {
      await assert.rejects(updateMicrosoftTrustStore(dir, server.baseUrl), (e: unknown) => e instanceof AbsolveError && e.code === 'TRUST_STORE_INVALID');
      assert.ok(server.requests.length <= 3, `only the list and the pinned roots are fetched before the list is authenticated (${server.requests.length})`);
    } finally {
      await server.close();
    }
    assert.deepEqual(readFileSync(join(dir, 'authroot.stl')), before);
    assert.equal((await loadMicrosoftTrustStore(dir))?.anchors.length, 371);
  });
});

describe('trust update against a failing server', () => {
  it('a missing list is TRUST_UPDATE_FAILED after one request', async () => {
    const server = await serve(() => undefined);
    const dir = freshDir();
    try {
      await assert.rejects(updateMicrosoftTrustStore(dir, server.baseUrl), (e: unknown) => e instanceof AbsolveError && e.code === 'TRUST_UPDATE_FAILED' && /404/.test(e.message));
      assert.equal(server.requests.length, 1);
      assert.equal(existsSync(dir), false, 'nothing was written');
    } finally {
      await server.close();
    }
  });

  it('server errors are retried a bounded number of times', async () => {
    const server = await serve(() => 503);
    try {
      await assert.rejects(updateMicrosoftTrustStore(freshDir(), server.baseUrl), /HTTP 503/);
      assert.equal(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  it('a dead server is a one-line TRUST_UPDATE_FAILED', async () => {
    const server = await serve(() => undefined);
    const url = server.baseUrl;
    await server.close();
    await assert.rejects(updateMicrosoftTrustStore(freshDir(), url), (e: unknown) => e instanceof AbsolveError && e.code === 'TRUST_UPDATE_FAILED' && !e.message.includes('\n'));
  });
});

describe('a synthetic list signed by the test CA, served for trust update', () => {
  const ca = testCA();
  const caSha256 = createHash('sha256').update(ca).digest('hex').toUpperCase();
  const caSha1 = createHash('sha1').update(ca).digest('hex').toUpperCase();

  it('is refused under the Microsoft pins and honoured under its own, with its EKU limit', async () => {
    const ctl = buildCTL({ entries: [{ certificate: ca, name: 'Absolve Test Root', trustedUsages: [OID.ekuTimeStamping] }] });
    const server = await serve((name) => (name === 'authroot.stl' ? ctl : name === `${caSha1}.crt` ? ca : undefined));
    const dir = freshDir();
    try {
      await assert.rejects(updateMicrosoftTrustStore(dir, server.baseUrl), (e: unknown) => e instanceof AbsolveError && e.code === 'TRUST_STORE_INVALID');
      const result = await updateMicrosoftTrustStore(dir, server.baseUrl, { pins: [{ thumbprintSha1: caSha1, sha256: caSha256 }] });
      assert.deepEqual([result.entries, result.certificates], [1, 1]);
    } finally {
      await server.close();
    }
    const store = await loadMicrosoftTrustStore(dir, { pins: [{ thumbprintSha1: caSha1, sha256: caSha256 }] });
    assert.ok(store !== undefined);
    const fixture = loadSignedFixture('signed-notimestamp.exe');
    const verdict = await verifyAuthenticode({
      signature: parseAuthenticodeSignature(fixture.signatureBytes),
      computedDigests: allDigests(fixture),
      trustAnchors: store.anchors,
      at: new Date('2026-06-01T00:00:00Z'),
      policy: { anchorConstraints: store.constraints },
    });
    assert.deepEqual([verdict.status, verdict.reasonCode], ['untrusted', 'ROOT_USAGE_NOT_TRUSTED']);
    await assert.rejects(loadMicrosoftTrustStore(dir), (e: unknown) => e instanceof AbsolveError && e.code === 'TRUST_STORE_INVALID', 'not under the Microsoft pins');
  });

  it('a store folder without a list is no store; --trust-store microsoft then asks for an update', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'certs'), { recursive: true });
    writeFileSync(join(dir, 'certs', `${caSha1}.crt`), ca);
    assert.equal(await loadMicrosoftTrustStore(dir), undefined);
    await assert.rejects(loadTrustAnchors({ trustPaths: [], includeDefaultRoots: true, storeDir: dir, store: 'microsoft' }), /TRUST_STORE_MISSING|absolve trust update/);
    const auto = await loadTrustAnchors({ trustPaths: [], includeDefaultRoots: true, storeDir: dir });
    assert.equal(auto.store, 'node');
    const none = await loadTrustAnchors({ trustPaths: [], includeDefaultRoots: false, storeDir: dir });
    assert.deepEqual([none.store, none.anchors.length], ['none', 0]);
  });
});

describe('where the store lives', () => {
  it('follows XDG_CACHE_HOME, and LOCALAPPDATA on Windows', () => {
    assert.equal(defaultTrustStoreDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), join('/x/cache', 'absolve', 'trust'));
    assert.match(defaultTrustStoreDir({}, 'linux'), /\.cache[/\\]absolve[/\\]trust$/);
    assert.match(defaultTrustStoreDir({ XDG_CACHE_HOME: 'relative' }, 'linux'), /\.cache[/\\]absolve[/\\]trust$/, 'a relative XDG_CACHE_HOME is ignored (XDG spec)');
    assert.equal(defaultTrustStoreDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32'), join('C:\\Users\\me\\AppData\\Local', 'absolve', 'trust'));
  });
});
