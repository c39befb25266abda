import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { FileBlobStore } from '../../src/store/blob-store.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-blobs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const sha = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('FileBlobStore', () => {
  it('stores a file under sha256/ab/cdef…, once', async () => {
    const root = join(scratch, 'a');
    const blobs = new FileBlobStore(root);
    assert.equal(existsSync(root), false, 'nothing on disk before the first put');
    const file = join(scratch, 'payload.bin');
    writeFileSync(file, 'payload');
    const digest = sha('payload');
    assert.equal(await blobs.has(digest), false);
    assert.equal(await blobs.put(digest, { kind: 'file', path: file }), 'stored');
    assert.equal(await blobs.put(digest, { kind: 'file', path: file }), 'present');
    const where = join(root, 'sha256', digest.slice(0, 2), digest.slice(2));
    assert.equal(await blobs.locate(digest), where);
    assert.equal(readFileSync(where, 'utf8'), 'payload');
    assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no temporary file left');
  });

  it('stores bytes handed over in memory (the hook for container members)', async () => {
    const blobs = new FileBlobStore(join(scratch, 'b'));
    const bytes = new Uint8Array([1, 2, 3]);
    assert.equal(await blobs.put(sha(bytes), { kind: 'bytes', bytes }), 'stored');
    assert.equal(await blobs.has(sha(bytes)), true);
  });

  it('bytes that do not hash to the name never appear under it', async () => {
    const root = join(scratch, 'c');
    const blobs = new FileBlobStore(root);
    const file = join(scratch, 'changed.bin');
    writeFileSync(file, 'changed after the audit');
    const claimed = sha('as audited');
    await assert.rejects(blobs.put(claimed, { kind: 'file', path: file }), (e) => isReleaseError(e, 'BLOB_MISMATCH') && /changed after the audit/.test(e.message));
    assert.equal(await blobs.has(claimed), false);
    assert.deepEqual(readdirSync(join(root, 'tmp')), []);
    await assert.rejects(blobs.put(sha('x'), { kind: 'file', path: join(scratch, 'missing') }), (e: Error & { code?: string }) => e.code === 'IO_ERROR');
    assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  });

  it('sweeps temporary files a killed run left behind (older than an hour) before writing', async () => {
    const root = join(scratch, 'd');
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const stale = join(root, 'tmp', `${'a'.repeat(64)}.1.x.part`);
    const fresh = join(root, 'tmp', `${'b'.repeat(64)}.2.y.part`);
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'in progress elsewhere');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, old, old);
    await new FileBlobStore(root).put(sha('z'), { kind: 'bytes', bytes: new TextEncoder().encode('z') });
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(fresh), true, 'another process may still be writing it');
  });

  it('concurrent puts of the same blob both succeed with the same bytes', async () => {
    const blobs = new FileBlobStore(join(scratch, 'e'));
    const bytes = new Uint8Array(256 * 1024).fill(7);
    const results = await Promise.all([1, 2, 3].map(() => blobs.put(sha(bytes), { kind: 'bytes', bytes })));
    assert.ok(results.includes('stored'));
    assert.deepEqual(readFileSync((await blobs.locate(sha(bytes))) ?? ''), Buffer.from(bytes));
  });
});
