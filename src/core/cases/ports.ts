/**
 * The case history port: cases, every change to them (events) and the emails sent for them.
 * The SQL adapter (src/store/kysely-case-store.ts) implements it; the contract suite is
 * test/store/case-store-contract.ts, run on SQLite and PostgreSQL.
 */
import type { CaseChange, CaseDraft, CaseEvent, CaseFilter, CaseRecord, SubmissionRecord } from './case.types.ts';

export interface CaseStore {
  /**
   * Opens the drafts that are not open yet, in one transaction (a case appears with its `opened`
   * event or not at all); a draft whose (kind, vendor, subject, release) is stored returns the
   * stored case. Detections of engines the stored case does not cover yet are added to it.
   */
  openCases(drafts: readonly CaseDraft[], at: string): Promise<{ opened: CaseRecord[]; existing: CaseRecord[] }>;
  getCase(id: number): Promise<CaseRecord | undefined>;
  /** Oldest first. */
  listCases(filter: CaseFilter): Promise<CaseRecord[]>;
  /**
   * Applies a change and records it as events, in one transaction. A state change is checked
   * against CASE_TRANSITIONS and against the state the caller saw (`expected`): CASE_STATE_CONFLICT
   * when another process changed it first, CASE_TRANSITION_INVALID when not allowed.
   */
  updateCase(id: number, change: CaseChange, expected?: CaseRecord['state']): Promise<CaseRecord>;
  events(caseId: number): Promise<CaseEvent[]>;
  /** Every event of every case (for vendor statistics), in order. */
  allEvents(): Promise<CaseEvent[]>;
  /**
   * Records that `messageId` is about to be sent for these cases. Returns the submissions already
   * stored under that Message-ID instead when there are any (the mail was sent, or may have been).
   */
  beginSubmission(caseIds: readonly number[], messageId: string, channel: string, at: string): Promise<{ begun: boolean; existing: SubmissionRecord[] }>;
  /** The server accepted `messageId`: its rows turn `sent` and each case becomes `submitted` with its due date, in one transaction. */
  completeSubmission(messageId: string, at: string, dueAt: string): Promise<void>;
  submissions(caseId: number): Promise<SubmissionRecord[]>;
}
