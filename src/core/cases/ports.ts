/**
 * The case history port: cases, every change to them (events) and the emails sent for them.
 * The SQL adapter (src/store/kysely-case-store.ts) implements it; the contract suite is
 * test/store/case-store-contract.ts, run on SQLite and PostgreSQL.
 */
import type { SmtpSettings } from './settings.ts';
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
  /** The server surely did not get `messageId` (refused before the message was handed over): its `sending` rows go, with a note on each case. */
  abandonSubmission(messageId: string, at: string, reason: string): Promise<void>;
  submissions(caseId: number): Promise<SubmissionRecord[]>;
}

/** One file in a submission archive: a safe, unique name and its bytes. */
export interface ZipMember {
  name: string;
  bytes: Uint8Array;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  attachments: Array<{ filename: string; content: Uint8Array }>;
}

/** Sends composed RFC 5322 bytes as they are (src/vendors/mail.ts: SMTP through nodemailer). */
export interface MailSender {
  send(raw: Uint8Array, envelope: { from: string; to: string }): Promise<void>;
  close(): void;
}

/** What building and sending submission packages needs from the outside (src/vendors). */
export interface SubmissionTools {
  /** ZIP bytes; `password` null = not encrypted, else ZipCrypto. */
  writeZip(members: readonly ZipMember[], password: string | null): Promise<Uint8Array>;
  composeMail(message: MailMessage): Promise<Uint8Array>;
  createSender(smtp: SmtpSettings): MailSender;
}
