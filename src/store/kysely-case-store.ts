/**
 * The case history over Kysely (SQLite, PostgreSQL, PGlite): one implementation of the CaseStore
 * port. Every write is one transaction that also appends its case_event rows, so a process killed
 * at any point leaves either the whole change or none of it.
 */
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { CASE_TRANSITIONS, type CaseChange, type CaseDetection, type CaseDraft, type CaseEvent, type CaseEventKind, type CaseFilter, type CaseRecord, type CaseState, type SubmissionRecord } from '../core/cases/case.types.ts';
import { CaseError } from '../core/cases/errors.ts';
import type { CaseStore } from '../core/cases/ports.ts';
import type { CaseTable, StoreDatabase } from './schema.ts';

type Db = Kysely<StoreDatabase> | Transaction<StoreDatabase>;

/** A case row as the port's record (also used by the store export). */
export function caseRecordOf(row: Selectable<CaseTable>): CaseRecord {
  return {
    id: Number(row.id),
    kind: row.kind as CaseRecord['kind'],
    vendor: row.vendor,
    subject: row.subject,
    release: { product: row.product, version: row.version },
    path: row.path,
    detections: JSON.parse(row.detections_json) as CaseDetection[],
    summary: row.summary,
    state: row.state as CaseState,
    reference: row.reference,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
    closedAt: row.closed_at,
  };
}

function isClosing(state: CaseState): boolean {
  return state === 'resolved' || state === 'rejected';
}

export class KyselyCaseStore implements CaseStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  private async appendEvent(trx: Db, caseId: number, at: string, kind: CaseEventKind, fields: { from?: CaseState | null; to?: CaseState | null; note?: string | null }): Promise<void> {
    const last = await trx.selectFrom('case_event').select((eb) => eb.fn.max('seq').as('seq')).where('case_id', '=', caseId).executeTakeFirst();
    const seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1;
    await trx
      .insertInto('case_event')
      .values({ case_id: caseId, seq, at, kind, from_state: fields.from ?? null, to_state: fields.to ?? null, note: fields.note ?? null })
      .execute();
  }

  private async findByKey(trx: Db, d: CaseDraft): Promise<Selectable<CaseTable> | undefined> {
    return trx
      .selectFrom('case')
      .selectAll()
      .where('kind', '=', d.kind)
      .where('vendor', '=', d.vendor)
      .where('subject', '=', d.subject)
      .where('product', '=', d.release.product)
      .where('version', '=', d.release.version)
      .executeTakeFirst();
  }

  async openCases(drafts: readonly CaseDraft[], at: string): Promise<{ opened: CaseRecord[]; existing: CaseRecord[] }> {
    if (drafts.length === 0) return { opened: [], existing: [] };
    return this.db.transaction().execute(async (trx) => {
      const opened: CaseRecord[] = [];
      const existing: CaseRecord[] = [];
      for (const d of drafts) {
        const stored = await this.findByKey(trx, d);
        if (stored !== undefined) {
          const record = caseRecordOf(stored);
          const added = d.detections.filter((n) => !record.detections.some((e) => e.engine === n.engine));
          if (added.length > 0) {
            const detections = [...record.detections, ...added];
            await trx.updateTable('case').set({ detections_json: JSON.stringify(detections), updated_at: at }).where('id', '=', record.id).execute();
            await this.appendEvent(trx, record.id, at, 'detections', { note: `also flagged by ${added.map((a) => `${a.engine} (${a.result ?? a.category})`).join(', ')}` });
            record.detections = detections;
            record.updatedAt = at;
          }
          existing.push(record);
          continue;
        }
        const row = await trx
          .insertInto('case')
          .values({
            kind: d.kind,
            vendor: d.vendor,
            subject: d.subject,
            product: d.release.product,
            version: d.release.version,
            path: d.path,
            detections_json: JSON.stringify(d.detections),
            summary: d.summary,
            state: 'new',
            reference: null,
            opened_at: at,
            updated_at: at,
            submitted_at: null,
            due_at: null,
            closed_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.appendEvent(trx, Number(row.id), at, 'opened', { to: 'new', note: d.summary });
        opened.push(caseRecordOf(row));
      }
      return { opened, existing };
    });
  }

  async getCase(id: number): Promise<CaseRecord | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const row = await this.db.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : caseRecordOf(row);
  }

  async listCases(filter: CaseFilter): Promise<CaseRecord[]> {
    let query = this.db.selectFrom('case').selectAll();
    if (filter.release !== undefined) query = query.where('product', '=', filter.release.product).where('version', '=', filter.release.version);
    if (filter.vendor !== undefined) query = query.where('vendor', '=', filter.vendor);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    const rows = await query.orderBy('id').execute();
    return rows.map(caseRecordOf);
  }

  async updateCase(id: number, change: CaseChange, expected?: CaseState): Promise<CaseRecord> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new CaseError('CASE_NOT_FOUND', `no case ${id} (see 'absolve cases list')`);
      const current = row.state as CaseState;
      if (expected !== undefined && current !== expected) throw new CaseError('CASE_STATE_CONFLICT', `case ${id} is now ${current}, not ${expected}: another process changed it; look at it again ('absolve cases show ${id}')`);
      const set: Updateable<CaseTable> = { updated_at: change.at };
      if (change.state !== undefined && change.state !== current) {
        if (!CASE_TRANSITIONS[current].includes(change.state)) {
          throw new CaseError('CASE_TRANSITION_INVALID', `case ${id} cannot go from ${current} to ${change.state} (allowed: ${CASE_TRANSITIONS[current].join(', ') || 'none, it is final'})`);
        }
        set.state = change.state;
        if (change.state === 'submitted' && row.submitted_at === null) set.submitted_at = change.at;
        if (isClosing(change.state)) {
          set.closed_at = change.at;
          set.due_at = null;
        } else if (isClosing(current)) set.closed_at = null;
        await this.appendEvent(trx, id, change.at, 'state', { from: current, to: change.state, note: change.note ?? null });
      } else if (change.note !== undefined) {
        await this.appendEvent(trx, id, change.at, 'note', { note: change.note });
      }
      if (change.reference !== undefined) {
        set.reference = change.reference;
        await this.appendEvent(trx, id, change.at, 'reference', { note: change.reference });
      }
      if (change.dueAt !== undefined) {
        set.due_at = change.dueAt;
        await this.appendEvent(trx, id, change.at, 'due', { note: change.dueAt });
      }
      await trx.updateTable('case').set(set).where('id', '=', id).execute();
      const updated = await trx.selectFrom('case').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return caseRecordOf(updated);
    });
  }

  private eventOf(row: { case_id: number; seq: number; at: string; kind: string; from_state: string | null; to_state: string | null; note: string | null }): CaseEvent {
    return { caseId: Number(row.case_id), seq: Number(row.seq), at: row.at, kind: row.kind as CaseEventKind, fromState: row.from_state as CaseState | null, toState: row.to_state as CaseState | null, note: row.note };
  }

  async events(caseId: number): Promise<CaseEvent[]> {
    const rows = await this.db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
    return rows.map((r) => this.eventOf(r));
  }

  async allEvents(): Promise<CaseEvent[]> {
    const rows = await this.db.selectFrom('case_event').selectAll().orderBy('case_id').orderBy('seq').execute();
    return rows.map((r) => this.eventOf(r));
  }

  private submissionOf(row: { case_id: number; message_id: string; channel: string; state: string; created_at: string; sent_at: string | null }): SubmissionRecord {
    return { caseId: Number(row.case_id), messageId: row.message_id, channel: row.channel, state: row.state as SubmissionRecord['state'], createdAt: row.created_at, sentAt: row.sent_at };
  }

  async beginSubmission(caseIds: readonly number[], messageId: string, channel: string, at: string): Promise<{ begun: boolean; existing: SubmissionRecord[] }> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('submission').selectAll().where('message_id', '=', messageId).orderBy('case_id').execute();
      if (rows.length > 0) return { begun: false, existing: rows.map((r) => this.submissionOf(r)) };
      for (const caseId of caseIds) {
        await trx.insertInto('submission').values({ case_id: caseId, message_id: messageId, channel, state: 'sending', created_at: at, sent_at: null }).execute();
        await this.appendEvent(trx, caseId, at, 'submission', { note: `sending ${messageId} to ${channel}` });
      }
      return { begun: true, existing: [] };
    });
  }

  async completeSubmission(messageId: string, at: string, dueAt: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('submission').selectAll().where('message_id', '=', messageId).execute();
      await trx.updateTable('submission').set({ state: 'sent', sent_at: at }).where('message_id', '=', messageId).execute();
      for (const r of rows) {
        const c = await trx.selectFrom('case').selectAll().where('id', '=', r.case_id).executeTakeFirstOrThrow();
        const current = c.state as CaseState;
        const set: Updateable<CaseTable> = { updated_at: at, due_at: dueAt };
        if (current !== 'submitted' && CASE_TRANSITIONS[current].includes('submitted')) {
          set.state = 'submitted';
          if (c.submitted_at === null) set.submitted_at = at;
          await this.appendEvent(trx, c.id, at, 'state', { from: current, to: 'submitted', note: `sent ${messageId} to ${r.channel}` });
        } else {
          await this.appendEvent(trx, c.id, at, 'submission', { note: `sent ${messageId} to ${r.channel}` });
        }
        await trx.updateTable('case').set(set).where('id', '=', c.id).execute();
      }
    });
  }

  async abandonSubmission(messageId: string, at: string, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('submission').select('case_id').where('message_id', '=', messageId).where('state', '=', 'sending').execute();
      await trx.deleteFrom('submission').where('message_id', '=', messageId).where('state', '=', 'sending').execute();
      for (const r of rows) await this.appendEvent(trx, Number(r.case_id), at, 'note', { note: `not sent ${messageId}: ${reason}` });
    });
  }

  async submissions(caseId: number): Promise<SubmissionRecord[]> {
    const rows = await this.db.selectFrom('submission').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
    return rows.map((r) => this.submissionOf(r));
  }
}
