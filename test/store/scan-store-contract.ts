/**
 * The ScanStore contract: SQLite and PostgreSQL (server or PGlite) run these tests unchanged
 * (test/store/sqlite.test.ts, test/store/postgres.test.ts). `open` gives a scan store on an empty
 * database whose clock the test sets.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DetectionEvent } from '../../src/core/monitor/detection-events.ts';
import type { EventQuery, EventStore } from '../../src/core/monitor/ports.ts';
import { exportStore, importStore } from '../../src/core/releases/export-records.ts';
import type { ReleaseStore } from '../../src/core/releases/ports.ts';
import { recordDetectionEvents } from '../../src/core/monitor/record-events.ts';
import { makeVerdict, type ScanHeader, type ScanStore, type Verdict } from '../../src/core/scans/index.ts';

export interface ScanStoreContractOptions {
  name: string;
  open(clock: () => Date): Promise<{ scans: ScanStore; events: EventStore; store: ReleaseStore; close(): Promise<void> }>;
  /** Another empty store of the same kind, for import round trips. */
  openOther(): Promise<{ store: ReleaseStore; close(): Promise<void> }>;
}

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function header(id: string, startedAt: string, release: ScanHeader['release'] = null): ScanHeader {
  return { id, startedAt, finishedAt: null, trigger: 'cli', engines: ['virustotal', 'clamav'], release, inputs: ['dist'] };
}

const createHashHex = (text: string): string => createHash('sha256').update(text).digest('hex');

function vt(engine: string, category: Verdict['category'], result: string | null = null): Verdict {
  return makeVerdict({ engine, via: 'virustotal', category, result, engineVersion: '1.0', definitionsDate: '2026-12-01', scannedAt: '2026-12-01T10:00:00.000Z' });
}

export function runScanStoreContract(options: ScanStoreContractOptions): void {
  describe(`ScanStore contract: ${options.name}`, () => {
    let now = new Date('2026-12-05T10:00:00.000Z');
    const withStore = async (fn: (scans: ScanStore, events: EventStore, store: ReleaseStore) => Promise<void>): Promise<void> => {
      const handle = await options.open(() => now);
      try {
        await fn(handle.scans, handle.events, handle.store);
      } finally {
        await handle.close();
      }
    };

    it('records a scan as it runs: targets in order, verdicts per sample, counts and classifier labels', () =>
      withStore(async (scans) => {
        await scans.beginScan(header('s1', '2026-12-05T10:00:00.000Z', { product: 'app', version: '1.0' }));
        await scans.addTargets('s1', [
          { ordinal: 0, path: 'setup.msi', parentPath: null, sha256: A, size: 10 },
          { ordinal: 1, path: 'setup.msi!/bin/app.exe', parentPath: 'setup.msi', sha256: B, size: 5 },
        ]);
        await scans.addVerdicts('s1', B, [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml'), vt('BitDefender', 'undetected')], false);
        // The same answer written twice (a retried write) adds nothing.
        await scans.addVerdicts('s1', B, [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml')], false);
        await scans.addVerdicts('s1', A, [vt('Microsoft', 'failure')], false);
        const running = await scans.getScan('s1');
        assert.equal(running?.finishedAt, null, 'a scan cut short keeps its verdicts and stays unfinished');
        await scans.finishScan('s1', '2026-12-05T10:05:00.000Z');
        const detail = await scans.getScan('s1');
        assert.ok(detail !== undefined);
        assert.equal(detail.finishedAt, '2026-12-05T10:05:00.000Z');
        assert.deepEqual(detail.release, { product: 'app', version: '1.0' });
        assert.deepEqual(detail.files.map((f) => [f.path, f.parentPath, f.flagged, f.answered]), [
          ['setup.msi', null, 0, 0],
          ['setup.msi!/bin/app.exe', 'setup.msi', 1, 2],
        ]);
        const member = detail.files[1];
        assert.deepEqual(member?.verdicts.map((v) => v.engine), ['BitDefender', 'Microsoft']);
        const hit = member?.verdicts.find((v) => v.engine === 'Microsoft');
        assert.equal(hit?.classification?.kind, 'ml');
        assert.equal(hit?.classification?.generic, true);
        assert.equal(await scans.getScan('nope'), undefined);
      }));

    it('fresh verdicts: the newest real answer of one adapter, younger than the limit, never a reused copy or a failure', () =>
      withStore(async (scans) => {
        now = new Date('2026-12-05T08:00:00.000Z');
        await scans.beginScan(header('old', '2026-12-05T08:00:00.000Z'));
        await scans.addVerdicts('old', A, [vt('Microsoft', 'undetected')], false);
        now = new Date('2026-12-05T09:00:00.000Z');
        await scans.beginScan(header('newer', '2026-12-05T09:00:00.000Z'));
        await scans.addVerdicts('newer', A, [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml'), vt('ESET-NOD32', 'undetected')], false);
        await scans.addVerdicts('newer', B, [vt('Microsoft', 'timeout')], false);
        now = new Date('2026-12-05T09:30:00.000Z');
        await scans.beginScan(header('copy', '2026-12-05T09:30:00.000Z'));
        await scans.addVerdicts('copy', A, [vt('Microsoft', 'undetected')], true);
        const clam = makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'undetected', scannedAt: '2026-12-05T09:30:00.000Z' });
        await scans.addVerdicts('copy', B, [clam], false);

        const fresh = await scans.freshVerdicts([A, B, A], 'virustotal', '2026-12-05T08:30:00.000Z');
        assert.deepEqual([...fresh.keys()], [A], 'B has only a timeout: nothing to reuse');
        assert.deepEqual(fresh.get(A)?.map((v) => [v.engine, v.category]), [
          ['ESET-NOD32', 'undetected'],
          ['Microsoft', 'malicious'],
        ]);
        const all = await scans.freshVerdicts([A], 'virustotal', '2026-12-05T07:00:00.000Z');
        assert.equal(all.get(A)?.find((v) => v.engine === 'Microsoft')?.category, 'malicious', 'the newest asking wins');
        assert.equal((await scans.freshVerdicts([A], 'virustotal', '2026-12-05T09:10:00.000Z')).size, 0, 'older than the limit');
        assert.deepEqual([...(await scans.freshVerdicts([A, B], 'clamav', '2026-12-05T00:00:00.000Z')).keys()], [B]);
      }));

    it('lists scans newest first, one release or all', () =>
      withStore(async (scans) => {
        await scans.beginScan(header('x1', '2026-12-01T00:00:00.000Z', { product: 'app', version: '1.0' }));
        await scans.beginScan(header('x2', '2026-12-03T00:00:00.000Z', { product: 'app', version: '2.0' }));
        await scans.beginScan(header('x3', '2026-12-02T00:00:00.000Z', { product: 'app', version: '1.0' }));
        assert.deepEqual((await scans.listScans({})).map((s) => s.id), ['x2', 'x3', 'x1']);
        assert.deepEqual((await scans.listScans({ release: { product: 'app', version: '1.0' } })).map((s) => s.id), ['x3', 'x1']);
        assert.deepEqual((await scans.listScans({ limit: 1 })).map((s) => s.id), ['x2']);
      }));

    it('detection changes: compared with the answers that stood before the scan, recorded once, listed oldest first', () =>
      withStore(async (scans, events) => {
        const round = async (id: string, at: string, verdicts: Verdict[]): Promise<string[]> => {
          now = new Date(at);
          await scans.beginScan(header(id, at));
          await scans.addTargets(id, [{ ordinal: 0, path: 'app.exe', parentPath: null, sha256: A, size: 1 }]);
          await scans.addVerdicts(id, A, verdicts, false);
          now = new Date(Date.parse(at) + 60_000);
          await scans.finishScan(id, now.toISOString());
          const detail = await scans.getScan(id);
          assert.ok(detail !== undefined);
          return (await recordDetectionEvents(detail, scans, events)).map((e) => e.kind);
        };
        assert.deepEqual(await round('r1', '2026-12-01T00:00:00.000Z', [vt('Microsoft', 'undetected'), vt('BitDefender', 'undetected')]), [], 'the first answer has nothing to compare with');
        assert.deepEqual(await round('r2', '2026-12-02T00:00:00.000Z', [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml'), vt('BitDefender', 'undetected')]), ['new-detections']);
        assert.deepEqual(await round('r3', '2026-12-03T00:00:00.000Z', [vt('Microsoft', 'failure'), vt('BitDefender', 'undetected')]), [], 'a failure solves nothing');
        assert.deepEqual(await round('r4', '2026-12-04T00:00:00.000Z', [vt('Microsoft', 'undetected'), vt('BitDefender', 'undetected')]), ['solved-detections']);
        const r2 = await scans.getScan('r2');
        assert.ok(r2 !== undefined);
        assert.deepEqual(await recordDetectionEvents(r2, scans, events), [], 'recording a round again adds nothing');
        const listed = await events.listEvents({});
        assert.deepEqual(listed.map((e) => [e.scanId, e.previousScanId, e.kind, e.before, e.after]), [
          ['r2', 'r1', 'new-detections', [], ['Microsoft']],
          ['r4', 'r3', 'solved-detections', ['Microsoft'], []],
        ]);
        assert.deepEqual(listed[0]?.results, { Microsoft: 'Trojan:Win32/Wacatac.B!ml' });
        assert.deepEqual((await events.listEvents({ since: '2026-12-03T00:00:00.000Z' })).map((e) => e.scanId), ['r4']);
        assert.deepEqual((await events.listEvents({ kinds: ['new-detections'] })).map((e) => e.scanId), ['r2']);
      }));

    it('the answers before a scan: per engine the newest recorded before it started, in a short or a long history', () =>
      withStore(async (scans) => {
        // 30 daily rounds over two files: E0–E3 answer every day, E4 fails about half the time, E5 answered on day 2
        // only. The expectation is computed here from what was written, not by the store.
        const engines = ['E0', 'E1', 'E2', 'E3', 'E4', 'E5'];
        const files = [A, B];
        const written: Array<{ scanId: string; sha256: string; engine: string; category: string; result: string | null; recordedAt: string }> = [];
        const startedAt = new Map<string, string>();
        let seed = 7;
        const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        for (let day = 0; day < 30; day++) {
          const id = `h${String(day).padStart(2, '0')}`;
          const at = new Date(Date.UTC(2026, 10, 1 + day)).toISOString();
          startedAt.set(id, at);
          now = new Date(at);
          await scans.beginScan(header(id, at));
          for (const file of files) {
            const verdicts = engines.flatMap((engine, e) => {
              if (e === 5 && day !== 2) return [];
              const r = random();
              const category = e === 4 && r < 0.5 ? 'failure' : r < 0.7 ? 'undetected' : 'malicious';
              return [vt(engine, category, category === 'malicious' ? `Trojan.Gen.${day}` : null)];
            });
            now = new Date(Date.parse(at) + 1000);
            await scans.addVerdicts(id, file, verdicts, false);
            for (const v of verdicts) written.push({ scanId: id, sha256: file, engine: v.engine, category: v.category, result: v.result, recordedAt: now.toISOString() });
          }
        }
        for (const probe of ['h00', 'h01', 'h03', 'h10', 'h29']) {
          const got = await scans.previousVerdicts(files, 'virustotal', probe);
          for (const file of files) {
            const before = written.filter((w) => w.sha256 === file && w.scanId !== probe && w.recordedAt <= (startedAt.get(probe) ?? '') && !['failure', 'timeout', 'type-unsupported'].includes(w.category));
            const newest = new Map<string, (typeof before)[number]>();
            for (const w of before) {
              const seen = newest.get(w.engine);
              if (seen === undefined || seen.recordedAt < w.recordedAt) newest.set(w.engine, w);
            }
            const expected = [...newest.values()].sort((a, b) => (a.engine < b.engine ? -1 : 1));
            const found = got.get(file);
            if (expected.length === 0) {
              assert.equal(found, undefined, `${probe} ${file}: nothing before`);
              continue;
            }
            assert.deepEqual(found?.verdicts.map((v) => [v.engine, v.category, v.result]), expected.map((w) => [w.engine, w.category, w.result]), `${probe} ${file}`);
            assert.equal(found?.scanId, expected.reduce((a, b) => (a.recordedAt >= b.recordedAt ? a : b)).scanId, `${probe} ${file}: the newest scan`);
          }
        }
      }));

    it('events: newest first (at, then id, descending), with a limit the newest ones', () =>
      withStore(async (scans, events) => {
        await scans.beginScan(header('e1', '2026-12-01T00:00:00.000Z'));
        const C = 'c'.repeat(64);
        const event = (id: string, at: string, sha256: string): DetectionEvent => ({ id, at, scanId: 'e1', previousScanId: 'e0', sha256, via: 'virustotal', kind: 'new-detections', before: [], after: ['Microsoft'], results: { Microsoft: 'Trojan:Win32/Wacatac.B!ml' } });
        // e-2 and e-3 share their time: the id orders them, both ways.
        await events.recordEvents([
          event('e-3', '2026-12-02T00:00:00.000Z', A),
          event('e-1', '2026-12-01T00:00:00.000Z', A),
          event('e-4', '2026-12-03T00:00:00.000Z', C),
          event('e-2', '2026-12-02T00:00:00.000Z', B),
        ]);
        const ids = async (query: EventQuery): Promise<string[]> => (await events.listEvents(query)).map((e) => e.id);
        assert.deepEqual(await ids({}), ['e-1', 'e-2', 'e-3', 'e-4']);
        assert.deepEqual(await ids({ newestFirst: true }), ['e-4', 'e-3', 'e-2', 'e-1']);
        assert.deepEqual(await ids({ newestFirst: true, limit: 2 }), ['e-4', 'e-3'], 'the newest two, not the oldest two reversed');
        assert.deepEqual(await ids({ newestFirst: true, since: '2026-12-02T00:00:00.000Z' }), ['e-4', 'e-3', 'e-2']);
        assert.deepEqual(await ids({ newestFirst: false, limit: 1 }), ['e-1']);
        assert.deepEqual(await ids({ newestFirst: true, sha256: A }), ['e-3', 'e-1']);
      }));

    it('events of a list of files (longer than one query takes), oldest or newest first', () =>
      withStore(async (scans, events) => {
        await scans.beginScan(header('e1', '2026-12-01T00:00:00.000Z'));
        const C = 'c'.repeat(64);
        const event = (id: string, at: string, sha256: string): DetectionEvent => ({ id, at, scanId: 'e1', previousScanId: 'e0', sha256, via: 'virustotal', kind: 'new-detections', before: [], after: ['Microsoft'], results: {} });
        await events.recordEvents([event('e-3', '2026-12-02T00:00:00.000Z', A), event('e-1', '2026-12-01T00:00:00.000Z', A), event('e-4', '2026-12-03T00:00:00.000Z', C), event('e-2', '2026-12-02T00:00:00.000Z', B)]);
        const ids = async (query: EventQuery): Promise<string[]> => (await events.listEvents(query)).map((e) => e.id);
        // 1,202 files: A first, B after the first chunk of any adapter that reads the list in chunks.
        const fillers = Array.from({ length: 1200 }, (_, i) => i.toString(16).padStart(64, '0'));
        const files = [A, ...fillers.slice(0, 700), B.toUpperCase(), ...fillers.slice(700)];
        assert.deepEqual(await ids({ sha256In: files }), ['e-1', 'e-2', 'e-3'], 'every file of the list, however long, any case');
        assert.deepEqual(await ids({ sha256In: files, newestFirst: true, limit: 2 }), ['e-3', 'e-2']);
        assert.deepEqual(await ids({ sha256In: files, limit: 2 }), ['e-1', 'e-2']);
        assert.deepEqual(await ids({ sha256In: files, since: '2026-12-02T00:00:00.000Z', newestFirst: true }), ['e-3', 'e-2']);
        assert.deepEqual(await ids({ sha256In: [C, C] }), ['e-4']);
        assert.deepEqual(await ids({ sha256In: [] }), [], 'an empty list matches nothing');
      }));

    it('the verdicts that stand: per file and engine the newest answer; a failure keeps the previous one', () =>
      withStore(async (scans) => {
        now = new Date('2026-12-01T00:00:00.000Z');
        await scans.beginScan(header('c1', '2026-12-01T00:00:00.000Z'));
        await scans.addVerdicts('c1', A, [vt('Microsoft', 'undetected'), vt('Kaspersky', 'malicious', 'HEUR:Trojan.Win32.Generic'), vt('ESET', 'timeout')], false);
        now = new Date('2026-12-02T00:00:00.000Z');
        await scans.beginScan(header('c2', '2026-12-02T00:00:00.000Z'));
        await scans.addVerdicts('c2', A, [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml'), vt('Kaspersky', 'failure')], false);
        await scans.addVerdicts('c2', B, [vt('Microsoft', 'type-unsupported')], false);
        const current = await scans.currentVerdicts([A, B, A]);
        assert.deepEqual(
          current.get(A)?.map((v) => [v.engine, v.category, v.result]),
          [
            ['Kaspersky', 'malicious', 'HEUR:Trojan.Win32.Generic'],
            ['Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml'],
          ],
        );
        assert.equal(current.has(B), false, 'no answer, no standing verdict');
        // The same answers written again (a retried write) change nothing.
        await scans.addVerdicts('c2', A, [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml')], false);
        assert.deepEqual((await scans.currentVerdicts([A])).get(A)?.map((v) => v.engine), ['Kaspersky', 'Microsoft']);
      }));

    it('the verdicts that stand come back field for field: any character in a detection name, nulls kept, per adapter', () =>
      withStore(async (scans) => {
        now = new Date('2026-12-01T00:00:00.000Z');
        await scans.beginScan(header('f1', '2026-12-01T00:00:00.000Z'));
        const hostile = 'Trojan.Gen"\\\u001e\u001f\n\t😈,]}';
        const written = [
          makeVerdict({ engine: 'Zeta', via: 'virustotal', category: 'malicious', result: hostile, engineVersion: '2.0', definitionsDate: '2026-11-30', scannedAt: '2026-11-30T23:59:59.999Z', detail: 'line 1\nline "2"' }),
          makeVerdict({ engine: 'Alpha', via: 'virustotal', category: 'undetected', result: null, scannedAt: '2026-12-01T00:00:00.000Z' }),
          makeVerdict({ engine: 'ClamAV', via: 'clamav', category: 'malicious', result: 'Win.Trojan.Agent-1', engineVersion: '1.4.3', definitionsDate: null, scannedAt: '2026-12-01T00:00:01.000Z' }),
        ];
        await scans.addVerdicts('f1', A, written, false);
        const back = (await scans.currentVerdicts([A])).get(A);
        // Ordered by adapter, then engine; each exactly as written (the classifier's label derived again).
        assert.deepEqual(back, [written[2], written[1], written[0]]);
      }));

    it('concurrent writers of one file (different engines, different scans) all land in its standing verdicts', () =>
      withStore(async (scans) => {
        const files = Array.from({ length: 12 }, (_, i) => createHashHex(`concurrent file ${i}`));
        const engines = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
        for (const engine of engines) await scans.beginScan(header(`w-${engine}`, '2026-12-01T00:00:00.000Z'));
        // Every (file, engine) pair written by its own call, all at once: on PostgreSQL they run in parallel transactions.
        await Promise.all(files.flatMap((file) => engines.map((engine) => scans.addVerdicts(`w-${engine}`, file, [vt(engine, 'malicious', `Trojan.${engine}`)], false))));
        const current = await scans.currentVerdicts(files);
        for (const file of files) assert.deepEqual(current.get(file)?.map((v) => v.engine), engines, file);
      }));

    it('export → import → export: scans, verdicts and events survive byte for byte; a second import skips them', () =>
      withStore(async (scans, events, store) => {
        now = new Date('2026-12-01T00:00:00.000Z');
        await scans.beginScan(header('e1', '2026-12-01T00:00:00.000Z', { product: 'app', version: '1.0' }));
        await scans.addTargets('e1', [{ ordinal: 0, path: 'app.exe', parentPath: null, sha256: A, size: 3 }]);
        await scans.addVerdicts('e1', A, [vt('Microsoft', 'undetected')], false);
        await scans.finishScan('e1', '2026-12-01T00:01:00.000Z');
        now = new Date('2026-12-02T00:00:00.000Z');
        await scans.beginScan(header('e2', '2026-12-02T00:00:00.000Z'));
        await scans.addTargets('e2', [{ ordinal: 0, path: 'app.exe', parentPath: null, sha256: A, size: 3 }]);
        await scans.addVerdicts('e2', A, [vt('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml')], false);
        const e2 = await scans.getScan('e2');
        assert.ok(e2 !== undefined);
        assert.equal((await recordDetectionEvents(e2, scans, events)).length, 1);
        const lines: string[] = [];
        const counts = await exportStore(store, (l) => void lines.push(l));
        assert.deepEqual([counts.scans, counts.verdicts, counts.events], [2, 2, 1]);
        const other = await options.openOther();
        try {
          async function* feed(): AsyncGenerator<string> {
            for (const l of lines) yield await Promise.resolve(l.replace(/\n$/, ''));
          }
          const imported = await importStore(other.store, feed());
          assert.deepEqual([imported.scans, imported.verdicts, imported.events, imported.scansSkipped], [2, 2, 1, 0]);
          const again: string[] = [];
          await exportStore(other.store, (l) => void again.push(l));
          assert.deepEqual(again, lines);
          const twice = await importStore(other.store, feed());
          assert.deepEqual([twice.scans, twice.scansSkipped, twice.verdicts, twice.events], [0, 2, 0, 0]);
        } finally {
          await other.close();
        }
      }));
  });
}
