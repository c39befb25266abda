/**
 * The store contract on PostgreSQL: a real server when one is reachable (a fresh database for
 * this file, dropped afterwards), otherwise PGlite (one instance for this file). Never skipped;
 * with CI set, an unreachable server fails (see postgres-target.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { openPGliteStore, openPostgresStore } from '../../src/store/postgres.ts';
import { postgresTarget, type PostgresTarget } from './postgres-target.ts';
import { KyselyOutboxStore } from '../../src/store/kysely-outbox-store.ts';
import { runOutboxContract } from './outbox-contract.ts';
import { KyselyEventStore } from '../../src/store/kysely-event-store.ts';
import { KyselyScanStore } from '../../src/store/kysely-scan-store.ts';
import { KyselyCaseStore } from '../../src/store/kysely-case-store.ts';
import { runCaseStoreContract } from './case-store-contract.ts';
import { runScanStoreContract } from './scan-store-contract.ts';
import { runStoreContract } from './store-contract.ts';

let target: PostgresTarget | undefined;
before(async () => {
  target = await postgresTarget();
  console.log(`# PostgreSQL store tests run on ${target.description}`);
});
after(async () => {
  await target?.dispose();
});

function current(): PostgresTarget {
  if (target === undefined) throw new Error('the PostgreSQL target is not ready');
  return target;
}

runStoreContract({ name: 'PostgreSQL (server, or PGlite without one)', open: () => current().openEmpty() });

runScanStoreContract({
  name: 'PostgreSQL (server, or PGlite without one)',
  open: async (clock) => {
    const handle = await current().openEmptyHandle();
    return { scans: new KyselyScanStore(handle.db, clock), events: new KyselyEventStore(handle.db), store: handle.store, close: () => handle.store.close() };
  },
  openOther: async () => {
    const url = await current().freshURL();
    const store = url.startsWith('pglite:') ? (await openPGliteStore({ dataDir: url.slice('pglite:'.length), create: true })).store : (await openPostgresStore(url)).store;
    return { store, close: () => store.close() };
  },
});

runOutboxContract('PostgreSQL (server, or PGlite without one)', async () => {
  const handle = await current().openEmptyHandle();
  return { outbox: new KyselyOutboxStore(handle.db), close: () => handle.store.close() };
});

runCaseStoreContract({
  name: 'PostgreSQL (server, or PGlite without one)',
  open: async () => {
    const handle = await current().openEmptyHandle();
    return {
      cases: new KyselyCaseStore(handle.db),
      close: () => handle.store.close(),
      reopen: async () => {
        const again = await current().openHandle();
        return { cases: new KyselyCaseStore(again.db), close: () => again.store.close() };
      },
    };
  },
});

describe('PostgreSQL store', () => {
  it('an unreachable server is STORE_UNAVAILABLE with the password masked', async () => {
    await assert.rejects(openPostgresStore('postgres://someone:s3cret@127.0.0.1:1/nothing'), (e) => isReleaseError(e, 'STORE_UNAVAILABLE') && !e.message.includes('s3cret') && e.message.includes('***'));
  });

  it('opening twice migrates once', async () => {
    const a = await current().open();
    const b = await current().open();
    await a.close();
    await b.close();
  });
});
