/** The recordRelease use case over the real SQLite store and blob store (both cheap in a temp folder). */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ArtifactReport } from '../../../src/core/audit.types.ts';
import { isReleaseError } from '../../../src/core/releases/errors.ts';
import { recordRelease, releaseContentSha256, type RecordReleaseInput } from '../../../src/core/releases/record-release.ts';
import { FileBlobStore } from '../../../src/store/blob-store.ts';
import { openSQLiteStore } from '../../../src/store/sqlite.ts';
import { certA, certB, report } from '../../store/sample-data.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-record-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;

async function setup(): Promise<{ dir: string; store: Awaited<ReturnType<typeof openSQLiteStore>>['store']; blobs: FileBlobStore }> {
  const dir = join(scratch, `case-${n++}`);
  const { store } = await openSQLiteStore(join(dir, 'absolve.db'), { create: true });
  return { dir, store, blobs: new FileBlobStore(join(dir, 'blobs')) };
}

/** Writes each file's content to disk so its blob can be copied; returns the input for recordRelease. */
function input(dir: string, version: string, files: Array<{ path: string; content: string; signer?: typeof certA | null }>, extra: Partial<RecordReleaseInput> = {}): RecordReleaseInput {
  const artifacts = files.map((f) => report(f));
  const blobSources = artifacts.map((a, i) => {
    const fsPath = join(dir, `src-${version}-${i}`);
    writeFileSync(fsPath, files[i]?.content ?? '');
    return { sha256: a.sha256, source: { kind: 'file' as const, path: fsPath } };
  });
  return {
    product: 'Contoso',
    version,
    channel: 'stable',
    notes: null,
    createdAt: new Date(`2026-01-0${version.length}T00:00:00.000Z`),
    verifiedAt: new Date('2026-01-01T00:00:00.000Z'),
    toolVersion: '0.1.0',
    artifacts,
    blobSources,
    replace: false,
    ...extra,
  };
}

function blobCount(dir: string): number {
  try {
    return readdirSync(join(dir, 'blobs', 'sha256'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

describe('recordRelease', () => {
  it('stores blobs, then the release; the same input again is unchanged and copies nothing', async () => {
    const { dir, store, blobs } = await setup();
    try {
      const files = [{ path: 'app.exe', content: 'app', signer: certA }, { path: 'lib.dll', content: 'lib', signer: certA }];
      const first = await recordRelease(store, blobs, input(dir, '1.0', files));
      assert.equal(first.outcome, 'created');
      assert.deepEqual(first.blobs, { stored: 2, present: 0 });
      assert.deepEqual(first.findings, []);
      assert.equal(blobCount(dir), 2);
      const again = await recordRelease(store, blobs, input(dir, '1.0', files, { createdAt: new Date('2027-01-01T00:00:00.000Z') }));
      assert.equal(again.outcome, 'unchanged');
      assert.deepEqual(again.blobs, { stored: 0, present: 2 });
      assert.equal(again.header.createdAt, first.header.createdAt);
    } finally {
      await store.close();
    }
  });

  it('other content: RELEASE_EXISTS_DIFFERENT saying what differs, before any blob is copied; --replace records it', async () => {
    const { dir, store, blobs } = await setup();
    try {
      await recordRelease(store, blobs, input(dir, '1.0', [{ path: 'app.exe', content: 'app' }, { path: 'old.dll', content: 'old' }]));
      const changed = input(dir, '1.0', [{ path: 'app.exe', content: 'app 2' }, { path: 'new.dll', content: 'new' }], { channel: 'beta' });
      await assert.rejects(recordRelease(store, blobs, changed), (e) => isReleaseError(e, 'RELEASE_EXISTS_DIFFERENT') && /1 added, 1 removed, 1 changed/.test(e.message) && /channel 'stable' \(now 'beta'\)/.test(e.message) && /--replace/.test(e.message));
      assert.equal(blobCount(dir), 2);
      const replaced = await recordRelease(store, blobs, { ...changed, replace: true });
      assert.equal(replaced.outcome, 'replaced');
      assert.equal(blobCount(dir), 4, 'blobs are kept: an older release may be restored from an export');
    } finally {
      await store.close();
    }
  });

  it('stores ABS-CERT-NEW-SIGNER when a later release is signed by a new certificate', async () => {
    const { dir, store, blobs } = await setup();
    try {
      await recordRelease(store, blobs, input(dir, '1.0', [{ path: 'app.exe', content: 'v1', signer: certA }]));
      const v2 = await recordRelease(store, blobs, input(dir, '2.0', [{ path: 'app.exe', content: 'v2', signer: certB }, { path: 'lib.dll', content: 'l', signer: certA }]));
      assert.deepEqual(v2.findings.map((f) => [f.id, f.certificate?.subject, f.files]), [['ABS-CERT-NEW-SIGNER', certB.subject, ['app.exe']]]);
      assert.deepEqual((await store.getRelease({ product: 'Contoso', version: '2.0' }))?.findings, v2.findings);
    } finally {
      await store.close();
    }
  });

  it('refuses unusable names, empty releases, unreadable files and two files on one path', async () => {
    const { dir, store, blobs } = await setup();
    try {
      const ok = input(dir, '1.0', [{ path: 'a.exe', content: 'a' }]);
      for (const bad of [{ product: '' }, { product: ' padded' }, { version: 'a\nb' }, { channel: 'no spaces' }, { artifacts: [] }]) {
        await assert.rejects(recordRelease(store, blobs, { ...ok, ...bad }), (e) => isReleaseError(e, 'RELEASE_INVALID'), JSON.stringify(bad));
      }
      const unreadable: ArtifactReport = { ...report({ path: 'x.exe', content: '' }), sha256: '', error: { code: 'IO_ERROR', message: 'permission denied' } };
      await assert.rejects(recordRelease(store, blobs, { ...ok, artifacts: [unreadable] }), (e: Error & { code?: string }) => e.code === 'IO_ERROR' && /x\.exe/.test(e.message));
      const twice = report({ path: 'a.exe', content: 'a' });
      await assert.rejects(recordRelease(store, blobs, { ...ok, artifacts: [twice, twice] }), (e) => isReleaseError(e, 'RELEASE_INVALID') && /two files/.test(e.message));
      assert.deepEqual(await store.listReleases(), []);
    } finally {
      await store.close();
    }
  });

  it('the content digest ignores order and depends on every path and hash', () => {
    const a = { path: 'a', sha256: '1'.repeat(64) };
    const b = { path: 'b', sha256: '2'.repeat(64) };
    assert.equal(releaseContentSha256([a, b]), releaseContentSha256([b, a]));
    assert.notEqual(releaseContentSha256([a, b]), releaseContentSha256([a, { ...b, path: 'c' }]));
    assert.notEqual(releaseContentSha256([a, b]), releaseContentSha256([a, { ...b, sha256: '3'.repeat(64) }]));
  });
});
