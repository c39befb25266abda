/** `absolve release remove` and `absolve gc` as a user runs them, on a SQLite store with its blob folder. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AT, TRUST_BOTH, absolve, buildRelease } from '../store/cli-harness.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-gc-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('release remove and gc', () => {
  it('removes one release; gc deletes only blobs no release uses, and keeps recent ones unless --min-age 0', () => {
    const store = join(scratch, 'store');
    mkdirSync(store, { recursive: true });
    const db = ['--db', `sqlite:${join(store, 'absolve.db')}`];
    const blobs = { ABSOLVE_BLOBS: join(store, 'blobs') };
    const blobPath = (sha: string): string => join(store, 'blobs', 'sha256', sha.slice(0, 2), sha.slice(2));
    const v1 = buildRelease(join(scratch, 'v1'), { 'app.exe': 'signed-sha256.exe', 'only-in-1.exe': 'signed-ecdsa.exe' });
    const v2 = buildRelease(join(scratch, 'v2'), { 'app.exe': 'signed-sha256.exe' });
    for (const [version, dir] of [['1', v1], ['2', v2]] as const) {
      const r = absolve(['release', 'add', 'G', version, dir, ...db, ...TRUST_BOTH, ...AT, '--fail-on', 'none'], { env: blobs });
      assert.equal(r.code, 0, r.stderr);
    }
    const show = JSON.parse(absolve(['release', 'show', 'G', '1', ...db, '--format', 'json'], { env: blobs }).stdout) as { artifacts: Array<{ path: string; sha256: string }> };
    const sha = Object.fromEntries(show.artifacts.map((a) => [a.path, a.sha256]));
    const shared = sha['app.exe'] ?? '';
    const onlyIn1 = sha['only-in-1.exe'] ?? '';
    assert.ok(existsSync(blobPath(shared)) && existsSync(blobPath(onlyIn1)));

    const removed = absolve(['release', 'remove', 'G', '1', ...db, '--format', 'json'], { env: blobs });
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(JSON.parse(removed.stdout), { schema: 'absolve.release-remove/v1', product: 'G', version: '1', removed: true });
    assert.match(absolve(['release', 'list', 'G', ...db, '--format', 'json'], { env: blobs }).stdout, /"version": "2"/);
    assert.doesNotMatch(absolve(['release', 'list', 'G', ...db, '--format', 'json'], { env: blobs }).stdout, /"version": "1"/);
    const again = absolve(['release', 'remove', 'G', '1', ...db], { env: blobs });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^absolve: RELEASE_NOT_FOUND: /);

    const dry = JSON.parse(absolve(['gc', ...db, '--dry-run', '--format', 'json'], { env: blobs }).stdout) as Record<string, unknown>;
    assert.deepEqual({ blobs: dry.blobs, unreferenced: dry.unreferenced, removed: dry.removed }, { blobs: 2, unreferenced: 1, removed: 0 });
    const recent = JSON.parse(absolve(['gc', ...db, '--format', 'json'], { env: blobs }).stdout) as Record<string, unknown>;
    assert.deepEqual({ removed: recent.removed, keptRecent: recent.keptRecent }, { removed: 0, keptRecent: 1 }, 'a blob written a moment ago may belong to a release add in progress');
    const gc = absolve(['gc', ...db, '--min-age', '0'], { env: blobs });
    assert.equal(gc.code, 0, gc.stderr);
    assert.match(gc.stdout, /^Deleted 1 unreferenced blobs \(\d+ bytes\) of 2 in /);
    assert.ok(existsSync(blobPath(shared)), 'still used by release 2');
    assert.ok(!existsSync(blobPath(onlyIn1)));
    // The remaining release is intact.
    assert.equal(absolve(['release', 'show', 'G', '2', ...db], { env: blobs }).code, 0);
  });
});
