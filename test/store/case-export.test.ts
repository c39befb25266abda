/**
 * `absolve export` / `import` carry the false-positive cases: each case with its history (case events) and its
 * submissions, on SQLite and on PostgreSQL (a server when one is reachable, else PGlite: test/store/postgres-target.ts).
 * Export → import into an empty store → export gives the same lines (case ids kept), a case opened afterwards gets
 * a new id (PostgreSQL's identity sequence moved past the imported ids), a case already stored is left alone, and a
 * case whose id is taken in the target store is renumbered with its history following it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CaseDraft } from '../../src/core/cases/case.types.ts';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { exportStore, importStore } from '../../src/core/releases/export-records.ts';
import type { ReleaseStore } from '../../src/core/releases/ports.ts';
import { KyselyCaseStore } from '../../src/store/kysely-case-store.ts';
import { openSQLiteStore } from '../../src/store/sqlite.ts';
import { postgresTarget, type PostgresTarget } from './postgres-target.ts';

interface Handle {
  store: ReleaseStore;
  cases: KyselyCaseStore;
  close(): Promise<void>;
}

const FILE_A = 'a'.repeat(64);
const FILE_B = 'b'.repeat(64);

function draft(vendor: string, subject: string, version = '2.0'): CaseDraft {
  return {
    kind: 'false-positive',
    vendor,
    subject,
    release: { product: 'Contoso App', version },
    path: 'setup.exe',
    detections: [{ engine: vendor, category: 'malicious', result: `Gen:Variant.${vendor}`, reading: { kind: 'generic-signature', generic: true, explanation: 'x' }, scannedAt: '2026-12-01T10:00:00.000Z', scanId: 's1' }],
    summary: `setup.exe flagged by ${vendor}`,
  };
}

async function exportLines(store: ReleaseStore): Promise<string[]> {
  const lines: string[] = [];
  await exportStore(store, (line) => void lines.push(line));
  return lines;
}

function linesOf(lines: readonly string[]): AsyncIterable<string> {
  const list = lines.map((l) => l.replace(/\n$/, ''));
  return (async function* () {
    for (const l of list) yield await Promise.resolve(l);
  })();
}

/** Two cases with a history: one submitted by mail (a sent submission) and acknowledged, one with a note. */
async function seed(h: Handle): Promise<void> {
  const { opened } = await h.cases.openCases([draft('BitDefender', FILE_A), draft('Microsoft', FILE_B)], '2026-12-01T11:00:00.000Z');
  const [bd, ms] = opened.map((c) => c.id);
  assert.ok(bd !== undefined && ms !== undefined);
  await h.cases.beginSubmission([bd], '<m1@example.test>', 'virus_research@bitdefender.example', '2026-12-02T09:00:00.000Z');
  await h.cases.completeSubmission('<m1@example.test>', '2026-12-02T09:01:00.000Z', '2026-12-09T09:01:00.000Z');
  await h.cases.updateCase(bd, { at: '2026-12-03T08:00:00.000Z', state: 'acknowledged', reference: 'BD-1234' });
  await h.cases.updateCase(ms, { at: '2026-12-03T09:00:00.000Z', note: 'portal form sent by hand' });
}

function runCaseExport(name: string, open: () => Promise<Handle>): void {
  describe(`export/import of cases: ${name}`, () => {
    it('export → import into an empty store → export gives the same lines; the next case gets a new id; a second import skips', async () => {
      const source = await open();
      let lines: string[];
      try {
        await seed(source);
        lines = await exportLines(source.store);
      } finally {
        await source.close();
      }
      const types = lines.map((l) => (JSON.parse(l) as { type: string }).type);
      assert.deepEqual(types.filter((t) => t.startsWith('case') || t === 'submission'), ['case', 'case_event', 'case_event', 'case_event', 'case_event', 'case_event', 'submission', 'case', 'case_event', 'case_event']);

      const target = await open();
      try {
        const counts = await importStore(target.store, linesOf(lines));
        assert.deepEqual([counts.cases, counts.casesSkipped, counts.caseEvents, counts.submissions], [2, 0, 7, 1]);
        assert.deepEqual(await exportLines(target.store), lines);
        const bd = (await target.cases.listCases({ vendor: 'BitDefender' }))[0];
        assert.equal(bd?.state, 'acknowledged');
        assert.equal(bd?.reference, 'BD-1234');
        assert.deepEqual((await target.cases.submissions(bd?.id ?? -1)).map((s) => [s.messageId, s.state]), [['<m1@example.test>', 'sent']]);

        const next = await target.cases.openCases([draft('Kaspersky', FILE_A)], '2026-12-04T00:00:00.000Z');
        assert.equal(next.opened[0]?.id, 3, 'numbered after the imported cases');

        const again = await importStore(target.store, linesOf(lines));
        assert.deepEqual([again.cases, again.casesSkipped, again.caseEvents, again.submissions], [0, 2, 0, 0]);
      } finally {
        await target.close();
      }
    });

    it('a case whose id is taken in the target is renumbered, and its history follows it', async () => {
      const source = await open();
      let lines: string[];
      try {
        await seed(source);
        lines = await exportLines(source.store);
      } finally {
        await source.close();
      }
      const target = await open();
      try {
        const { opened } = await target.cases.openCases([draft('Avast', FILE_A, '1.0')], '2026-11-01T00:00:00.000Z');
        assert.equal(opened[0]?.id, 1);
        const counts = await importStore(target.store, linesOf(lines));
        assert.equal(counts.cases, 2);
        const bd = (await target.cases.listCases({ vendor: 'BitDefender' }))[0];
        const ms = (await target.cases.listCases({ vendor: 'Microsoft' }))[0];
        // #1 is taken: the first imported case is numbered by the store (2), so the second's #2 is taken by then too.
        assert.deepEqual([bd?.id, ms?.id], [2, 3]);
        assert.deepEqual((await target.cases.events(bd?.id ?? -1)).map((e) => e.kind), ['opened', 'submission', 'state', 'state', 'reference']);
        assert.deepEqual((await target.cases.events(1)).map((e) => e.kind), ['opened'], 'the stored case keeps only its own history');
        assert.equal((await target.cases.submissions(bd?.id ?? -1)).length, 1);
        const later = await target.cases.openCases([draft('ESET', FILE_B)], '2026-12-05T00:00:00.000Z');
        assert.ok((later.opened[0]?.id ?? 0) > Math.max(bd?.id ?? 0, ms?.id ?? 0));
      } finally {
        await target.close();
      }
    });

    it('refuses an event before its case, and a case with an unknown state, importing nothing', async () => {
      const h = await open();
      try {
        const header = JSON.stringify({ type: 'header', schema: 'absolve.store-export/v1' });
        const event = JSON.stringify({ type: 'case_event', caseId: 7, seq: 0, at: '2026-12-01T00:00:00.000Z', kind: 'opened', fromState: null, toState: 'new', note: null });
        await assert.rejects(importStore(h.store, linesOf([header, event, JSON.stringify({ type: 'end', records: 1 })])), (e) => isReleaseError(e, 'IMPORT_INVALID') && /case #7 comes before its case record/.test((e as Error).message));
        const bad = JSON.stringify({ type: 'case', id: 1, kind: 'false-positive', vendor: 'X', subject: FILE_A, release: { product: 'p', version: 'v' }, path: null, detections: [], summary: 's', state: 'lost', reference: null, openedAt: 't', updatedAt: 't', submittedAt: null, dueAt: null, closedAt: null });
        await assert.rejects(importStore(h.store, linesOf([header, bad, JSON.stringify({ type: 'end', records: 1 })])), (e) => isReleaseError(e, 'IMPORT_INVALID') && /unknown 'state'/.test((e as Error).message));
        assert.deepEqual(await h.cases.listCases({}), []);
      } finally {
        await h.close();
      }
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'absolve-case-export-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
runCaseExport('SQLite', async () => {
  const handle = await openSQLiteStore(join(scratch, `store-${n++}`, 'absolve.db'), { create: true });
  return { store: handle.store, cases: new KyselyCaseStore(handle.db), close: () => handle.store.close() };
});

let pg: PostgresTarget | undefined;
before(async () => {
  pg = await postgresTarget();
});
after(async () => {
  await pg?.dispose();
});
runCaseExport('PostgreSQL', async () => {
  if (pg === undefined) throw new Error('no PostgreSQL target');
  // One database for this file: each store starts from emptied tables (identities restarted), as a fresh database would.
  const { store, db } = await pg.openEmptyHandle();
  return { store, cases: new KyselyCaseStore(db), close: () => store.close() };
});
