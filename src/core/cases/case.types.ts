/**
 * False-positive cases: one per (vendor, file sha256, release), opened from stored detections,
 * tracked from submission to the vendor's answer. Release-driven drafts use the same record with
 * another kind (`allowlist`: a per-release clean-software submission; `certificate-change`: a
 * notice that the release is signed with a new certificate).
 */
import type { ReleaseKey } from '../releases/release.types.ts';

export const CASE_SCHEMA = 'absolve.case/v1';
export const CASE_LIST_SCHEMA = 'absolve.case-list/v1';

export type CaseKind = 'false-positive' | 'allowlist' | 'certificate-change';
export const CASE_KINDS: readonly CaseKind[] = ['false-positive', 'allowlist', 'certificate-change'];

/**
 * new → submitted → acknowledged → resolved | rejected | no-response. A case may resolve from any
 * open state (the detection went away), `no-response` and `rejected` may be submitted again (a
 * follow-up, an appeal), and `resolved` is final.
 */
export type CaseState = 'new' | 'submitted' | 'acknowledged' | 'resolved' | 'rejected' | 'no-response';
export const CASE_STATES: readonly CaseState[] = ['new', 'submitted', 'acknowledged', 'resolved', 'rejected', 'no-response'];

export const CASE_TRANSITIONS: Readonly<Record<CaseState, readonly CaseState[]>> = {
  new: ['submitted', 'resolved', 'rejected'],
  submitted: ['acknowledged', 'resolved', 'rejected', 'no-response'],
  acknowledged: ['resolved', 'rejected', 'no-response'],
  'no-response': ['submitted', 'acknowledged', 'resolved', 'rejected'],
  rejected: ['submitted', 'resolved'],
  resolved: [],
};

/** States in which a case still waits for something (the detection can still resolve it). */
export function isOpenState(state: CaseState): boolean {
  return state !== 'resolved' && state !== 'rejected';
}

/** Days after submission when a vendor's answer is due (a follow-up is then worth sending). */
export const DEFAULT_DUE_DAYS = 7;

/** One engine's detection a case covers (an OEM engine's too, under its upstream vendor). */
export interface CaseDetection {
  engine: string;
  category: 'malicious' | 'suspicious';
  /** The detection name. */
  result: string | null;
  /** What the detection-name classifier reads in it (kind and whether it is generic). */
  reading: { kind: string; generic: boolean; explanation: string } | null;
  /** When the engine judged (the verdict's scannedAt). */
  scannedAt: string;
  scanId: string;
}

/** A case before it is stored. The key is (kind, vendor, subject, release). */
export interface CaseDraft {
  kind: CaseKind;
  /** The directory engine name of the vendor the case is with (an upstream for OEM groups). */
  vendor: string;
  /**
   * What the case is about: the file's sha256 (false-positive), the release's content sha256
   * (allowlist), the new signing certificate's SHA-256 thumbprint (certificate-change).
   */
  subject: string;
  release: ReleaseKey;
  /** The file's path in the release (false-positive), else null. */
  path: string | null;
  detections: CaseDetection[];
  /** A line saying what the case is about, for lists. */
  summary: string;
}

export interface CaseRecord extends CaseDraft {
  id: number;
  state: CaseState;
  /** The vendor's ticket or reference number. */
  reference: string | null;
  openedAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** When an answer is due (default 7 days after submission); null before submission and once closed. */
  dueAt: string | null;
  closedAt: string | null;
}

export type CaseEventKind = 'opened' | 'state' | 'note' | 'reference' | 'due' | 'detections' | 'submission';

export interface CaseEvent {
  caseId: number;
  seq: number;
  at: string;
  kind: CaseEventKind;
  fromState: CaseState | null;
  toState: CaseState | null;
  note: string | null;
}

/**
 * One email sent (or about to be sent) for a set of cases. The row is written with state
 * `sending` before the SMTP transaction starts and turns `sent` after the server accepted it, so a
 * process killed in between leaves a `sending` row: the next run never sends that mail again by
 * itself (it cannot know whether the server got it) and says so.
 */
export interface SubmissionRecord {
  caseId: number;
  messageId: string;
  channel: string;
  state: 'sending' | 'sent';
  createdAt: string;
  sentAt: string | null;
}

/** A change `cases update` (or a use case) makes; everything optional but `at`. */
export interface CaseChange {
  at: string;
  state?: CaseState;
  reference?: string;
  note?: string;
  dueAt?: string;
}

export interface CaseFilter {
  release?: ReleaseKey;
  vendor?: string;
  state?: CaseState;
  kind?: CaseKind;
}
