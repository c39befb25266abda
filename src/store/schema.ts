/**
 * The tables as Kysely sees them (docs/schema.md describes each column). One definition for
 * SQLite and PostgreSQL: times are ISO 8601 UTC text (`2026-11-28T00:34:10.674Z`, sorts as
 * text), JSON is text (the exact bytes `release show` returns), sizes are 64-bit integers.
 */
import type { Generated } from 'kysely';

export interface ProductTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface ReleaseTable {
  id: Generated<number>;
  product_id: number;
  version: string;
  channel: string;
  notes: string | null;
  created_at: string;
  verified_at: string;
  tool_version: string;
  content_sha256: string;
  file_count: number;
  summary_json: string;
}

export interface CertificateTable {
  thumbprint_sha256: string;
  thumbprint_sha1: string;
  subject: string;
  issuer: string;
  serial_number: string;
  not_before: string;
  not_after: string;
  first_seen_at: string;
}

export interface ArtifactTable {
  sha256: string;
  /** bigint on PostgreSQL: the pg driver returns it as text, so the adapter converts it. */
  size: number | string;
  format: string;
  machine: string | null;
  pe_kind: string | null;
  file_version: string | null;
  product_version: string | null;
  first_seen_at: string;
}

export interface ArtifactSignerTable {
  sha256: string;
  position: number;
  role: 'primary' | 'nested';
  thumbprint_sha256: string;
}

export interface ReleaseArtifactTable {
  release_id: number;
  path: string;
  ordinal: number;
  parent_path: string | null;
  sha256: string;
  format: string;
  signature_status: string | null;
  reason_code: string | null;
  digest_algorithm: string | null;
  error_code: string | null;
  report_json: string;
}

export interface ArtifactFindingTable {
  release_id: number;
  path: string;
  idx: number;
  rule_id: string;
  severity: string;
  message: string;
}

export interface ReleaseFindingTable {
  release_id: number;
  seq: number;
  rule_id: string;
  severity: string;
  message: string;
  certificate_sha256: string | null;
  files_json: string;
}

export interface ScanTable {
  id: string;
  started_at: string;
  finished_at: string | null;
  trigger: string;
  engines_json: string;
  product: string | null;
  version: string | null;
  inputs_json: string;
}

export interface ScanTargetTable {
  scan_id: string;
  ordinal: number;
  path: string;
  parent_path: string | null;
  sha256: string;
  size: number | string;
}

export interface VerdictTable {
  scan_id: string;
  sha256: string;
  via: string;
  engine: string;
  category: string;
  result: string | null;
  engine_version: string | null;
  definitions_date: string | null;
  scanned_at: string;
  detail: string | null;
  /** 1 when copied from an earlier scan's answer (younger than the engine's maximum age), 0 when asked in this scan. */
  reused: number;
  /** When the row was written: what "younger than the maximum age" is measured on. */
  recorded_at: string;
}

/** The newest answer per (sha256, via, engine): a verdict row, kept by KyselyScanStore.addVerdicts (migration 0006). */
export type VerdictCurrentTable = VerdictTable;

/** Migration 0007: per file, its verdict_current rows as one JSON array (see refreshFileVerdicts). */
export interface VerdictCurrentFileTable {
  sha256: string;
  /** JSON: [[via, engine, category, result, engine_version, definitions_date, scanned_at, detail], …] */
  cells: string;
}

export interface DetectionEventTable {
  id: string;
  at: string;
  scan_id: string;
  previous_scan_id: string;
  sha256: string;
  via: string;
  kind: string;
  before_json: string;
  after_json: string;
  results_json: string;
}

export interface AlertDeliveryTable {
  id: string;
  event_id: string;
  target_key: string;
  target_label: string;
  format: string;
  payload_json: string;
  attempts: number;
  next_at: string;
  claimed_until: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  role: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CaseTable {
  id: Generated<number>;
  kind: string;
  vendor: string;
  /** The file's sha256 (false-positive), the release's content sha256 (allowlist), the new certificate's SHA-256 thumbprint (certificate-change). */
  subject: string;
  product: string;
  version: string;
  path: string | null;
  detections_json: string;
  summary: string;
  state: string;
  reference: string | null;
  opened_at: string;
  updated_at: string;
  submitted_at: string | null;
  due_at: string | null;
  closed_at: string | null;
}

export interface CaseEventTable {
  case_id: number;
  seq: number;
  at: string;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
}

export interface SubmissionTable {
  case_id: number;
  message_id: string;
  channel: string;
  /** `sending` is written before the SMTP transaction, `sent` after the server accepted the mail. */
  state: string;
  created_at: string;
  sent_at: string | null;
}

export interface StoreDatabase {
  api_token: ApiTokenTable;
  alert_delivery: AlertDeliveryTable;
  detection_event: DetectionEventTable;
  case: CaseTable;
  case_event: CaseEventTable;
  submission: SubmissionTable;
  scan: ScanTable;
  scan_target: ScanTargetTable;
  verdict: VerdictTable;
  verdict_current: VerdictCurrentTable;
  verdict_current_file: VerdictCurrentFileTable;
  product: ProductTable;
  release: ReleaseTable;
  certificate: CertificateTable;
  artifact: ArtifactTable;
  artifact_signer: ArtifactSignerTable;
  release_artifact: ReleaseArtifactTable;
  artifact_finding: ArtifactFindingTable;
  release_finding: ReleaseFindingTable;
}

/** Every table, children before parents (the order to empty them in). */
export const STORE_TABLES = ['submission', 'case_event', 'case', 'api_token', 'alert_delivery', 'detection_event', 'verdict_current_file', 'verdict_current', 'verdict', 'scan_target', 'scan', 'artifact_finding', 'release_finding', 'release_artifact', 'artifact_signer', 'artifact', 'certificate', 'release', 'product'] as const;
