import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { blobDirFor, createStoreOpener, parseStoreURL } from '../../src/store/open-store.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-open-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('store URLs', () => {
  it('parses sqlite, postgres and pglite locations; a bare path is SQLite', () => {
    assert.deepEqual(parseStoreURL('sqlite:./x/absolve.db'), { kind: 'sqlite', path: './x/absolve.db' });
    assert.deepEqual(parseStoreURL('sqlite:///abs/absolve.db'), { kind: 'sqlite', path: '/abs/absolve.db' });
    assert.deepEqual(parseStoreURL('data/absolve.db'), { kind: 'sqlite', path: 'data/absolve.db' });
    assert.deepEqual(parseStoreURL('C:\\data\\absolve.db'), { kind: 'sqlite', path: 'C:\\data\\absolve.db' });
    assert.deepEqual(parseStoreURL('postgres://u:p@db:5432/absolve'), { kind: 'postgres', url: 'postgres://u:p@db:5432/absolve' });
    assert.deepEqual(parseStoreURL('postgresql://db/absolve'), { kind: 'postgres', url: 'postgresql://db/absolve' });
    assert.deepEqual(parseStoreURL('pglite:./pgdata'), { kind: 'pglite', dataDir: './pgdata' });
    assert.deepEqual(parseStoreURL('pglite:'), { kind: 'pglite', dataDir: undefined });
  });

  it('refuses unknown schemes and empty paths with STORE_URL_INVALID, never showing a password', () => {
    for (const bad of ['mysql://u:secret@h/db', 'sqlite:', '', 'postgres://u:secret@[bad']) {
      assert.throws(() => parseStoreURL(bad), (e) => isReleaseError(e, 'STORE_URL_INVALID') && !e.message.includes('secret'), bad);
    }
  });

  it('puts blobs next to the database, for PostgreSQL in the per-user data folder; ABSOLVE_BLOBS overrides', () => {
    const opts = { env: { XDG_DATA_HOME: '/home/u/.data' }, cwd: '/work' };
    assert.equal(blobDirFor({ kind: 'sqlite', path: 'store/absolve.db' }, opts), '/work/store/blobs');
    assert.equal(blobDirFor({ kind: 'pglite', dataDir: '/data/pg' }, opts), '/data/blobs');
    // Not the folder the command runs in: one place whatever the working directory.
    assert.equal(blobDirFor({ kind: 'postgres', url: 'postgres://h/db' }, opts), join('/home/u/.data', 'absolve', 'blobs'));
    assert.equal(blobDirFor({ kind: 'postgres', url: 'postgres://h/db' }, { env: { HOME: '/home/v' }, cwd: '/elsewhere' }), join('/home/v', '.local', 'share', 'absolve', 'blobs'));
    assert.equal(blobDirFor({ kind: 'pglite', dataDir: undefined }, opts), join('/home/u/.data', 'absolve', 'blobs'));
    assert.equal(blobDirFor({ kind: 'postgres', url: 'postgres://h/db' }, { env: { ABSOLVE_BLOBS: 'b' }, cwd: '/work' }), '/work/b');
  });

  it('the opener takes --db, then ABSOLVE_DB, then ./.absolve/absolve.db', async () => {
    const open = createStoreOpener({ env: {}, cwd: scratch });
    await assert.rejects(open(undefined, { create: false }), (e) => isReleaseError(e, 'STORE_NOT_FOUND'));
    const opened = await open(undefined, { create: true });
    assert.equal(opened.location, 'sqlite:.absolve/absolve.db');
    await opened.store.close();
    assert.ok(existsSync(join(scratch, '.absolve', 'absolve.db')));

    const fromEnv = await createStoreOpener({ env: { ABSOLVE_DB: 'sqlite:env/e.db' }, cwd: scratch })(undefined, { create: true, createFolders: true });
    assert.equal(fromEnv.location, 'sqlite:env/e.db');
    await fromEnv.store.close();
    // A store whose folder does not exist: an error (no folder tree from a typo) unless createFolders (--create).
    await assert.rejects(createStoreOpener({ env: {}, cwd: scratch })('sqlite:flag/f.db', { create: true }), (e) => isReleaseError(e, 'STORE_FOLDER_MISSING'));
    assert.equal(existsSync(join(scratch, 'flag')), false);
    const fromFlag = await createStoreOpener({ env: { ABSOLVE_DB: 'sqlite:env/e.db' }, cwd: scratch })('sqlite:flag/f.db', { create: true, createFolders: true });
    assert.equal(fromFlag.location, 'sqlite:flag/f.db');
    await fromFlag.store.close();
    assert.ok(existsSync(join(scratch, 'flag', 'f.db')));
  });

  it('a PGlite store is created in a folder whose parents do not exist yet with createFolders, and reopened', async () => {
    const open = createStoreOpener({ env: {}, cwd: scratch });
    await assert.rejects(open('pglite:deep/er/pgdata', { create: false }), (e) => isReleaseError(e, 'STORE_NOT_FOUND'));
    await assert.rejects(open('pglite:deep/er/pgdata', { create: true }), (e) => isReleaseError(e, 'STORE_FOLDER_MISSING'));
    const created = await open('pglite:deep/er/pgdata', { create: true, createFolders: true });
    assert.equal(created.location, 'pglite:deep/er/pgdata');
    assert.deepEqual(await created.store.listReleases(), []);
    await created.store.close();
    const reopened = await open('pglite:deep/er/pgdata', { create: false });
    await reopened.store.close();
  });
});
