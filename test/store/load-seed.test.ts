/**
 * The load bench's store at a small size, as a regular test (bench/load.ts runs it at 63 M rows): the bulk
 * seed on SQLite and PostgreSQL, then the API's matrix and events routes checked against the seed's formula
 * (verdictAt), recomputed here independently of the store: the matrix shows, per file and engine, the newest
 * answer (an engine that failed on the last day keeps its previous answer), and `events?since=` returns exactly
 * the events at or after `since`. A scan written afterwards through the store's addVerdicts moves the matrix
 * (migration 0006's verdict_current is kept by the write path, not only by the backfill).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { dayAt, engineName, seedLoadStore, verdictAt, type SeedShape } from '../../bench/load-seed.ts';
import { newToken } from '../../src/core/access/tokens.ts';
import { DEFAULT_GATE_POLICY } from '../../src/core/gate/release-gate.ts';
import type { OpenedStore } from '../../src/core/releases/ports.ts';
import { makeVerdict } from '../../src/core/scans/verdicts.ts';
import { createApi } from '../../src/server/api.ts';
import { FileBlobStore } from '../../src/store/blob-store.ts';
import { KyselyCaseStore } from '../../src/store/kysely-case-store.ts';
import { KyselyEventStore } from '../../src/store/kysely-event-store.ts';
import { KyselyOutboxStore } from '../../src/store/kysely-outbox-store.ts';
import { KyselyScanStore } from '../../src/store/kysely-scan-store.ts';
import type { KyselyReleaseStore } from '../../src/store/kysely-store.ts';
import { KyselyTokenStore } from '../../src/store/kysely-token-store.ts';
import type { StoreDatabase } from '../../src/store/schema.ts';
import { openSQLiteStore } from '../../src/store/sqlite.ts';
import { postgresTarget, type PostgresTarget } from './postgres-target.ts';

const SHAPE: SeedShape = { artifacts: 100, engines: 6, days: 8 };
const scratch = mkdtempSync(join(tmpdir(), 'absolve-load-seed-'));
let pgTarget: PostgresTarget;

before(async () => {
  pgTarget = await postgresTarget();
});
after(async () => {
  await pgTarget.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function openedOf(handle: { store: KyselyReleaseStore; db: Kysely<StoreDatabase> }): OpenedStore {
  return {
    store: handle.store,
    scans: new KyselyScanStore(handle.db),
    events: new KyselyEventStore(handle.db),
    outbox: new KyselyOutboxStore(handle.db),
    tokens: new KyselyTokenStore(handle.db),
    cases: new KyselyCaseStore(handle.db),
    blobs: new FileBlobStore(join(scratch, 'blobs')),
    location: 'test',
    paths: { files: [], folders: [] },
  };
}

/** The newest answer the seed wrote for artifact i and engine e: the last day that is not a failure. */
function expectedCategory(i: number, e: number): string {
  for (let d = SHAPE.days - 1; d >= 0; d--) {
    const c = verdictAt(d, i, e);
    if (c !== 'failure') return c;
  }
  return 'none';
}

interface MatrixFile {
  sha256: string;
  flagged: number;
  verdicts: Array<{ engine: string; category: string; scannedAt: string }>;
}

async function check(handle: { store: KyselyReleaseStore; db: Kysely<StoreDatabase> }, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const seeded = await seedLoadStore({ ...handle, dialect }, SHAPE);
  assert.equal(seeded.verdictRows, SHAPE.artifacts * SHAPE.engines * SHAPE.days);
  const opened = openedOf(handle);
  const { token, record } = newToken('test', 'read', new Date());
  await opened.tokens.saveToken(record);
  const api = createApi({ store: opened, version: 'test', now: () => new Date(), gatePolicy: DEFAULT_GATE_POLICY });
  const get = async (path: string): Promise<unknown> => {
    const r = await api.request(path, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200, path);
    return r.json();
  };
  const release = seeded.releases[0];
  assert.ok(release !== undefined);
  const matrixPath = `/api/v1/products/${release.product}/releases/${release.version}/matrix`;
  const matrix = (await get(matrixPath)) as { engines: string[]; files: MatrixFile[] };
  assert.deepEqual(matrix.engines, Array.from({ length: SHAPE.engines }, (_, k) => engineName(k + 1)));
  const order = [...matrix.files.map((f) => f.sha256)].sort(); // the seed numbers artifacts in sha256 order
  let failuresBridged = 0;
  for (const file of matrix.files) {
    const i = order.indexOf(file.sha256) + 1;
    const got = Object.fromEntries(file.verdicts.map((v) => [v.engine, v.category]));
    const want = Object.fromEntries(Array.from({ length: SHAPE.engines }, (_, k) => [engineName(k + 1), expectedCategory(i, k + 1)]));
    assert.deepEqual(got, want, `file ${i}`);
    for (const v of file.verdicts) {
      const e = Number(v.engine.slice(6));
      const last = verdictAt(SHAPE.days - 1, i, e) === 'failure' ? SHAPE.days - 2 : SHAPE.days - 1;
      if (last !== SHAPE.days - 1) failuresBridged++;
      assert.equal(v.scannedAt, dayAt(last), 'the answer of the newest day that answered');
    }
    assert.equal(file.flagged, Object.values(want).filter((c) => c === 'malicious').length);
  }
  assert.ok(failuresBridged > 0, 'the seed has last-day failures (an engine that failed keeps its previous answer)');
  assert.ok(matrix.files.some((f) => f.flagged > 0), 'the seed has detections');

  const since = dayAt(5);
  const events = (await get(`/api/v1/events?since=${encodeURIComponent(since)}`)) as { events: Array<{ at: string; sha256: string }> };
  const expectedEvents = order.filter((_, k) => { const d = (k + 1) % 90; return d >= 5 && d < SHAPE.days; }).length;
  assert.equal(events.events.length, expectedEvents);
  assert.ok(expectedEvents > 0);
  assert.ok(events.events.every((e) => e.at >= since));
  assert.deepEqual(events.events.map((e) => e.at), [...events.events.map((e) => e.at)].sort());
  const all = (await get('/api/v1/events')) as { events: unknown[] };
  assert.ok(all.events.length > events.events.length, 'since filters');

  // A later scan through the store: Engine01 fails (keeps its answer), Engine02 flags file 1.
  const first = order[0] ?? '';
  const at = dayAt(SHAPE.days);
  const scans = opened.scans;
  await scans.beginScan({ id: 'later-scan', startedAt: at, finishedAt: null, trigger: 'monitor', engines: ['virustotal'], release: null, inputs: [] });
  await scans.addVerdicts('later-scan', first, [
    makeVerdict({ engine: engineName(1), via: 'virustotal', category: 'failure', result: null, engineVersion: null, definitionsDate: null, scannedAt: at }),
    makeVerdict({ engine: engineName(2), via: 'virustotal', category: 'malicious', result: 'Trojan:Win32/Later', engineVersion: '2.0', definitionsDate: null, scannedAt: at }),
  ], false);
  const after = (await get(matrixPath)) as { files: MatrixFile[] };
  const row = after.files.find((f) => f.sha256 === first);
  const verdicts = Object.fromEntries((row?.verdicts ?? []).map((v) => [v.engine, v]));
  assert.equal(verdicts[engineName(1)]?.category, expectedCategory(1, 1), 'a failure does not replace the standing answer');
  assert.equal(verdicts[engineName(2)]?.category, 'malicious');
  assert.equal(verdicts[engineName(2)]?.scannedAt, at);
}

describe('the load seed at a small size: matrix = newest answer per engine, events filtered by since', () => {
  it('on SQLite', async () => {
    const handle = await openSQLiteStore(join(scratch, 'sqlite', 'absolve.db'), { create: true });
    try {
      await check(handle, 'sqlite');
    } finally {
      await handle.store.close();
    }
  });

  it('on PostgreSQL', async () => {
    const handle = await pgTarget.openEmptyHandle();
    try {
      await check(handle, 'postgres');
    } finally {
      await handle.store.close();
    }
  });
});
