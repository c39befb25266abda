/**
 * The CaseStore contract: SQLite and PostgreSQL (server or PGlite) run these tests unchanged
 * (test/store/sqlite.test.ts, test/store/postgres.test.ts). `open` gives a case store on an empty
 * database; `reopen` opens the same database again (history survives a restart).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseDraft } from '../../src/core/cases/case.types.ts';
import type { CaseStore } from '../../src/core/cases/ports.ts';

export interface CaseStoreContractOptions {
  name: string;
  /** A fresh database; `reopen` gives a second handle on the same database after `close`. */
  open(): Promise<{ cases: CaseStore; close(): Promise<void>; reopen(): Promise<{ cases: CaseStore; close(): Promise<void> }> }>;
}

const FILE = 'c'.repeat(64);
const release = { product: 'Contoso App', version: '2.0' };

function draft(vendor: string, engines: string[], subject = FILE): CaseDraft {
  return {
    kind: 'false-positive',
    vendor,
    subject,
    release,
    path: 'setup.exe',
    detections: engines.map((engine) => ({ engine, category: 'malicious', result: `Gen:Variant.${engine}`, reading: null, scannedAt: '2026-12-01T10:00:00.000Z', scanId: 's1' })),
    summary: `setup.exe flagged by ${engines.join(', ')}`,
  };
}

export function runCaseStoreContract(options: CaseStoreContractOptions): void {
  describe(`CaseStore contract: ${options.name}`, () => {
    it('opens each (kind, vendor, subject, release) once; a repeat returns the stored case and adds new engines to it', async () => {
      const h = await options.open();
      try {
        const first = await h.cases.openCases([draft('BitDefender', ['BitDefender', 'GData']), draft('Microsoft', ['Microsoft'])], '2026-12-01T11:00:00.000Z');
        assert.equal(first.opened.length, 2);
        assert.deepEqual(first.opened.map((c) => [c.vendor, c.state, c.subject]), [['BitDefender', 'new', FILE], ['Microsoft', 'new', FILE]]);
        const again = await h.cases.openCases([draft('BitDefender', ['BitDefender', 'GData', 'Emsisoft']), draft('Microsoft', ['Microsoft'])], '2026-12-01T12:00:00.000Z');
        assert.equal(again.opened.length, 0);
        assert.equal(again.existing.length, 2);
        const bd = await h.cases.getCase(first.opened[0]?.id ?? -1);
        assert.deepEqual(bd?.detections.map((d) => d.engine), ['BitDefender', 'GData', 'Emsisoft']);
        assert.deepEqual((await h.cases.events(bd?.id ?? -1)).map((e) => e.kind), ['opened', 'detections']);
        assert.equal((await h.cases.listCases({ release })).length, 2);
        assert.equal((await h.cases.listCases({ vendor: 'Microsoft' })).length, 1);
        assert.equal((await h.cases.listCases({ release: { product: 'Contoso App', version: '9' } })).length, 0);
      } finally {
        await h.close();
      }
    });

    it('walks the state machine with timestamps, reference, notes and due date; refuses invalid and stale changes; survives a restart', async () => {
      const h = await options.open();
      let id = -1;
      try {
        const { opened } = await h.cases.openCases([draft('Symantec', ['Symantec'])], '2026-12-01T11:00:00.000Z');
        id = opened[0]?.id ?? -1;
        await assert.rejects(h.cases.updateCase(id, { at: '2026-12-01T11:30:00.000Z', state: 'acknowledged' }), (e: Error & { code?: string }) => e.code === 'CASE_TRANSITION_INVALID');
        const submitted = await h.cases.updateCase(id, { at: '2026-12-02T09:00:00.000Z', state: 'submitted', dueAt: '2026-12-09T09:00:00.000Z' }, 'new');
        assert.equal(submitted.submittedAt, '2026-12-02T09:00:00.000Z');
        assert.equal(submitted.dueAt, '2026-12-09T09:00:00.000Z');
        await assert.rejects(h.cases.updateCase(id, { at: '2026-12-02T10:00:00.000Z', state: 'resolved' }, 'new'), (e: Error & { code?: string }) => e.code === 'CASE_STATE_CONFLICT');
        await h.cases.updateCase(id, { at: '2026-12-03T09:00:00.000Z', state: 'acknowledged', reference: 'SYM-12345', note: 'auto-reply with ticket' });
        const resolved = await h.cases.updateCase(id, { at: '2026-12-04T09:00:00.000Z', state: 'resolved' });
        assert.equal(resolved.closedAt, '2026-12-04T09:00:00.000Z');
        assert.equal(resolved.dueAt, null);
        await assert.rejects(h.cases.updateCase(id, { at: '2026-12-05T09:00:00.000Z', state: 'submitted' }), (e: Error & { code?: string }) => e.code === 'CASE_TRANSITION_INVALID');
        await assert.rejects(h.cases.updateCase(999_999, { at: '2026-12-05T09:00:00.000Z', note: 'x' }), (e: Error & { code?: string }) => e.code === 'CASE_NOT_FOUND');
      } finally {
        await h.close();
      }
      const again = await h.reopen();
      try {
        const c = await again.cases.getCase(id);
        assert.equal(c?.state, 'resolved');
        assert.equal(c?.reference, 'SYM-12345');
        const events = await again.cases.events(id);
        assert.deepEqual(
          events.map((e) => [e.kind, e.fromState, e.toState, e.at]),
          [
            ['opened', null, 'new', '2026-12-01T11:00:00.000Z'],
            ['state', 'new', 'submitted', '2026-12-02T09:00:00.000Z'],
            ['due', null, null, '2026-12-02T09:00:00.000Z'],
            ['state', 'submitted', 'acknowledged', '2026-12-03T09:00:00.000Z'],
            ['reference', null, null, '2026-12-03T09:00:00.000Z'],
            ['state', 'acknowledged', 'resolved', '2026-12-04T09:00:00.000Z'],
          ],
        );
        assert.ok(events.some((e) => e.note === 'auto-reply with ticket'));
        assert.equal((await again.cases.allEvents()).filter((e) => e.caseId === id).length, events.length);
      } finally {
        await again.close();
      }
    });

    it('records a submission before it is sent and refuses to begin the same Message-ID twice', async () => {
      const h = await options.open();
      try {
        const { opened } = await h.cases.openCases([draft('McAfee', ['McAfee']), draft('McAfee', ['McAfee'], 'd'.repeat(64))], '2026-12-01T11:00:00.000Z');
        const ids = opened.map((c) => c.id);
        const first = await h.cases.beginSubmission(ids, '<m1@example.test>', 'virus_research@mcafee.com', '2026-12-02T09:00:00.000Z');
        assert.deepEqual(first, { begun: true, existing: [] });
        const again = await h.cases.beginSubmission(ids, '<m1@example.test>', 'virus_research@mcafee.com', '2026-12-02T09:01:00.000Z');
        assert.equal(again.begun, false);
        assert.deepEqual(again.existing.map((s) => [s.caseId, s.state]), ids.map((i) => [i, 'sending']));
        await h.cases.completeSubmission('<m1@example.test>', '2026-12-02T09:02:00.000Z', '2026-12-09T09:02:00.000Z');
        for (const id of ids) {
          const c = await h.cases.getCase(id);
          assert.equal(c?.state, 'submitted');
          assert.equal(c?.dueAt, '2026-12-09T09:02:00.000Z');
          assert.deepEqual((await h.cases.submissions(id)).map((s) => [s.messageId, s.state, s.sentAt]), [['<m1@example.test>', 'sent', '2026-12-02T09:02:00.000Z']]);
        }
      } finally {
        await h.close();
      }
    });
  });
}
