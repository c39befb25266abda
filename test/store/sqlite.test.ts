/** The store contract on SQLite (a fresh database file per test), plus SQLite-specific behaviour. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { openSQLiteStore } from '../../src/store/sqlite.ts';
import { KyselyOutboxStore } from '../../src/store/kysely-outbox-store.ts';
import { runOutboxContract } from './outbox-contract.ts';
import { KyselyEventStore } from '../../src/store/kysely-event-store.ts';
import { KyselyScanStore } from '../../src/store/kysely-scan-store.ts';
import { KyselyCaseStore } from '../../src/store/kysely-case-store.ts';
import { runCaseStoreContract } from './case-store-contract.ts';
import { runScanStoreContract } from './scan-store-contract.ts';
import { runStoreContract } from './store-contract.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-sqlite-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;

runStoreContract({
  name: 'SQLite (better-sqlite3, WAL)',
  open: async () => (await openSQLiteStore(join(scratch, `contract-${n++}`, 'absolve.db'), { create: true })).store,
});

runScanStoreContract({
  name: 'SQLite',
  open: async (clock) => {
    const handle = await openSQLiteStore(join(scratch, `scans-${n++}`, 'absolve.db'), { create: true });
    return { scans: new KyselyScanStore(handle.db, clock), events: new KyselyEventStore(handle.db), store: handle.store, close: () => handle.store.close() };
  },
  openOther: async () => {
    const handle = await openSQLiteStore(join(scratch, `scans-other-${n++}`, 'absolve.db'), { create: true });
    return { store: handle.store, close: () => handle.store.close() };
  },
});

runOutboxContract('SQLite', async () => {
  const handle = await openSQLiteStore(join(scratch, `outbox-${n++}`, 'absolve.db'), { create: true });
  return { outbox: new KyselyOutboxStore(handle.db), close: () => handle.store.close() };
});

runCaseStoreContract({
  name: 'SQLite',
  open: async () => {
    const path = join(scratch, `cases-${n++}`, 'absolve.db');
    const open = async (): Promise<{ cases: KyselyCaseStore; close(): Promise<void> }> => {
      const handle = await openSQLiteStore(path, { create: true });
      return { cases: new KyselyCaseStore(handle.db), close: () => handle.store.close() };
    };
    return { ...(await open()), reopen: open };
  },
});

describe('SQLite store', () => {
  it('creates the folder and the file, uses WAL and foreign keys, and migrates once', async () => {
    const path = join(scratch, 'nested', 'deeper', 'absolve.db');
    const { store } = await openSQLiteStore(path, { create: true });
    await store.close();
    const again = await openSQLiteStore(path, { create: true });
    await again.store.close();
    const raw = new Database(path, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.deepEqual(raw.prepare('select name from absolve_migration').all(), [{ name: '0001_release_history' }, { name: '0002_scans' }, { name: '0003_cases' }, { name: '0003_events' }, { name: '0004_outbox' }, { name: '0005_tokens' }, { name: '0006_verdict_current' }, { name: '0007_verdict_current_file' }]);
      assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      raw.close();
    }
  });

  it('read-only commands do not create a store', async () => {
    await assert.rejects(openSQLiteStore(join(scratch, 'missing', 'absolve.db'), { create: false }), (e) => isReleaseError(e, 'STORE_NOT_FOUND'));
  });

  it('refuses a store written by a newer Absolve', async () => {
    const path = join(scratch, 'newer.db');
    const { store } = await openSQLiteStore(path, { create: true });
    await store.close();
    const raw = new Database(path);
    raw.prepare("insert into absolve_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00.000Z')").run();
    raw.close();
    await assert.rejects(openSQLiteStore(path, { create: false }), (e) => isReleaseError(e, 'STORE_SCHEMA_NEWER') && /9999_from_the_future/.test(e.message));
  });

  it('a migration that fails halfway leaves no half schema behind (each migration is one transaction)', async () => {
    const path = join(scratch, 'half-migrated', 'absolve.db');
    // A table the migration creates last already exists: the migration fails after creating the others.
    mkdirSync(join(scratch, 'half-migrated'), { recursive: true });
    const raw = new Database(path);
    raw.exec('create table release_finding (x integer)');
    raw.close();
    await assert.rejects(openSQLiteStore(path, { create: false }), (e) => isReleaseError(e, 'STORE_UNAVAILABLE'));
    const check = new Database(path);
    const tables = (check.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>).map((t) => t.name);
    check.close();
    assert.ok(!tables.includes('product') && !tables.includes('release'), `rolled back, found: ${tables.join(', ')}`);
  });

  it('a file that is not a database is STORE_UNAVAILABLE, not a crash', async () => {
    const path = join(scratch, 'garbage.db');
    writeFileSync(path, 'this is not a database, just text that is long enough to be read as a header page.'.repeat(20));
    await assert.rejects(openSQLiteStore(path, { create: false }), (e) => isReleaseError(e, 'STORE_UNAVAILABLE'));
  });
});
