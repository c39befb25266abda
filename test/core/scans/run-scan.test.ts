/**
 * The scan use case on real installers and archives (members checked against msiextract's and
 * 7-Zip's extraction in the container oracle), with an engine that records what it is asked:
 * one question per unique sha256 per engine, the flagged inner file named, fresh cloud answers
 * reused, a failing engine never clean. The adapters themselves pass the engine contract in
 * test/engines/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createContainerReader } from '../../../src/containers/container-reader.ts';
import { DEFAULT_CONTAINER_LIMITS } from '../../../src/containers/index.ts';
import { MemoryByteSource } from '../../../src/core/audit-tree.ts';
import { makeVerdict, memorySample, noAnswerVerdict, runScan, type EngineVia, type ScanEngine, type ScanRootProvider, type ScanSample, type Verdict } from '../../../src/core/scans/index.ts';
import { migrateToLatest } from '../../../src/store/migrations.ts';
import { KyselyScanStore } from '../../../src/store/kysely-scan-store.ts';
import type { StoreDatabase } from '../../../src/store/schema.ts';
import { repoRoot } from '../../support/fixtures.ts';

const containersDir = join(repoRoot, 'test', 'fixtures', 'containers');
const oracle = (JSON.parse(readFileSync(join(containersDir, 'oracle.json'), 'utf8')) as { files: Record<string, { sha256: string; msiextract?: { extracted: Array<{ path: string; sha256: string }> }; sevenZip?: { extracted: Array<{ path: string; sha256: string }> } }> }).files;

function memberSha(fixture: string, suffix: string): string {
  const entry = oracle[fixture];
  const found = (entry?.msiextract?.extracted ?? entry?.sevenZip?.extracted ?? []).find((m) => m.path.endsWith(suffix));
  if (found === undefined) throw new Error(`${fixture} has no ${suffix} in the oracle`);
  return found.sha256;
}

const APP_EXE = memberSha('msi/app-signed.msi', 'app.exe');
const LIB_DLL = memberSha('msi/app-signed.msi', 'contoso-lib.dll');

function root(fixture: string): ScanRootProvider {
  const bytes = readFileSync(join(containersDir, fixture));
  return { path: fixture, open: () => Promise.resolve({ path: fixture, source: new MemoryByteSource(bytes), sample: memorySample(bytes, fixture) }) };
}

/** An engine of the given via that flags the listed hashes and records each question. */
function recordingEngine(via: EngineVia, flag: ReadonlySet<string>, options: { fail?: boolean } = {}): ScanEngine & { asked: string[] } {
  const asked: string[] = [];
  return {
    id: `recording-${via}`,
    via,
    asked,
    scan: (sample: ScanSample): Promise<Verdict[]> => {
      asked.push(sample.sha256);
      const scannedAt = '2026-12-05T10:00:00.000Z';
      if (options.fail === true) return Promise.resolve([noAnswerVerdict('Recorder', via, 'failure', 'connection refused', scannedAt)]);
      const hit = flag.has(sample.sha256);
      return Promise.resolve([
        makeVerdict({ engine: 'Microsoft', via, category: hit ? 'malicious' : 'undetected', result: hit ? 'Trojan:Win32/Wacatac.B!ml' : null, scannedAt }),
        makeVerdict({ engine: 'ESET-NOD32', via, category: 'undetected', scannedAt }),
      ]);
    },
  };
}

async function scanStore(clock: () => Date): Promise<{ scans: KyselyScanStore; close: () => Promise<void> }> {
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return { scans: new KyselyScanStore(db, clock), close: () => db.destroy() };
}

describe('runScan', () => {
  const containers = createContainerReader({ ...DEFAULT_CONTAINER_LIMITS });
  let clockNow = new Date('2026-12-05T10:00:00.000Z');
  const now = (): Date => clockNow;

  it('scans each container whole and each inner executable once, naming the flagged member', async () => {
    const { scans, close } = await scanStore(now);
    try {
      const engine = recordingEngine('clamav', new Set([APP_EXE]));
      const report = await runScan([root('msi/app-signed.msi'), root('zip/plain.zip')], { id: 'scan-1', trigger: 'cli', inputs: ['x'], release: null, engines: [engine], store: scans, containers, now }, '0.0.0');
      // Targets: each root, then its PE members (the text files are not code) — by the oracle's hashes.
      assert.deepEqual(
        report.files.map((f) => [f.path, f.parentPath, f.sha256]),
        [
          ['msi/app-signed.msi', null, oracle['msi/app-signed.msi']?.sha256],
          ['msi/app-signed.msi!/Contoso/Contoso App/app.exe', 'msi/app-signed.msi', APP_EXE],
          ['msi/app-signed.msi!/Contoso/Contoso App/lib/contoso-lib.dll', 'msi/app-signed.msi', LIB_DLL],
          ['zip/plain.zip', null, oracle['zip/plain.zip']?.sha256],
          ['zip/plain.zip!/Contoso/app.exe', 'zip/plain.zip', APP_EXE],
          ['zip/plain.zip!/Contoso/lib/contoso-lib.dll', 'zip/plain.zip', LIB_DLL],
        ],
      );
      assert.equal(engine.asked.length, new Set(engine.asked).size, 'one question per unique sha256');
      assert.equal(engine.asked.length, 4);
      const flagged = report.files.filter((f) => f.flagged > 0).map((f) => f.path);
      assert.deepEqual(flagged, ['msi/app-signed.msi!/Contoso/Contoso App/app.exe', 'zip/plain.zip!/Contoso/app.exe']);
      assert.equal(report.summary.flaggedFiles, 2);
      assert.match(report.summary.verdict, /generic\/ML\/heuristic: likely false positives/);
      const stored = await scans.getScan('scan-1');
      assert.deepEqual(stored?.files.map((f) => [f.path, f.flagged]), report.files.map((f) => [f.path, f.flagged]), 'the stored scan reads back the same');
      assert.notEqual(stored?.finishedAt, null);
    } finally {
      await close();
    }
  });

  it('reuses a fresh cloud answer instead of asking again; local engines are always asked', async () => {
    const { scans, close } = await scanStore(now);
    try {
      const cloud = recordingEngine('virustotal', new Set());
      const local = recordingEngine('yara', new Set());
      const options = { trigger: 'cli' as const, inputs: ['x'], release: null, engines: [cloud, local], store: scans, containers, now, maxAgeMs: { virustotal: 24 * 3_600_000 } };
      await runScan([root('zip/plain.zip')], { ...options, id: 'first' }, '0');
      assert.equal(cloud.asked.length, 3);
      clockNow = new Date('2026-12-05T20:00:00.000Z');
      const second = await runScan([root('zip/plain.zip')], { ...options, id: 'second' }, '0');
      assert.equal(cloud.asked.length, 3, 'within 24 h: nothing asked again');
      assert.equal(local.asked.length, 6, 'the local engine scanned again');
      assert.ok(second.files.every((f) => f.reused));
      clockNow = new Date('2026-12-06T11:00:00.000Z');
      await runScan([root('zip/plain.zip')], { ...options, id: 'third' }, '0');
      assert.equal(cloud.asked.length, 6, 'after 24 h: asked again');
    } finally {
      clockNow = new Date('2026-12-05T10:00:00.000Z');
      await close();
    }
  });

  it('an engine that cannot answer leaves files unanswered, never clean, and is asked again next time', async () => {
    const { scans, close } = await scanStore(now);
    try {
      const broken = recordingEngine('virustotal', new Set(), { fail: true });
      const options = { trigger: 'cli' as const, inputs: ['x'], release: null, engines: [broken], store: scans, containers, now, maxAgeMs: { virustotal: 24 * 3_600_000 } };
      const report = await runScan([root('zip/plain.zip')], { ...options, id: 'a' }, '0');
      assert.ok(report.files.every((f) => f.answered === 0 && f.flagged === 0));
      assert.equal(report.summary.unanswered, 3);
      assert.match(report.summary.verdict, /not proven clean/);
      await runScan([root('zip/plain.zip')], { ...options, id: 'b' }, '0');
      assert.equal(broken.asked.length, 6, 'failures are not reused');
    } finally {
      await close();
    }
  });

  it('an abort stops the scan and keeps what was answered', async () => {
    const { scans, close } = await scanStore(now);
    try {
      const controller = new AbortController();
      const inner = recordingEngine('clamav', new Set());
      const engine: ScanEngine = {
        id: inner.id,
        via: inner.via,
        scan: async (sample, opts) => {
          const verdicts = await inner.scan(sample, opts);
          controller.abort();
          return verdicts;
        },
      };
      await assert.rejects(
        runScan([root('zip/plain.zip'), root('msi/app-signed.msi')], { id: 'cut', trigger: 'cli', inputs: ['x'], release: null, engines: [engine], store: scans, containers, now, signal: controller.signal, concurrency: { clamav: 1 } }, '0'),
        (e: Error) => e.name === 'AbortError',
      );
      const stored = await scans.getScan('cut');
      assert.equal(stored?.finishedAt, null);
      assert.equal(stored?.files.filter((f) => f.verdicts.length > 0).length, 1, 'the one answer is kept');
    } finally {
      await close();
    }
  });
});
