/**
 * `absolve export` / `absolve import`: the whole store as JSON lines, one record per line with a
 * `type` field, in a fixed order so that export → import → export gives identical lines on any
 * database:
 *
 *   header · product* (by name) · certificate* (by SHA-256 thumbprint) · artifact* (by sha256)
 *   · per release in release order: release, release_artifact* (audit order), finding* (by seq)
 *   · per scan by start time: scan, scan_target* (by ordinal), verdict* (by sha256, via, engine)
 *   · event* (by time, id)
 *   · per case by id: case, case_event* (by seq), submission* (by creation time, Message-ID)
 *   · end (record count, so a cut-off file is refused)
 *
 * Blobs are referenced by sha256, never embedded. Denormalised columns (a release artifact's
 * status, parent path, file-level findings) are not exported: import derives them from the
 * stored reports exactly as `release add` does.
 */
import { escapeForDisplay } from '../../binary/index.ts';
import type { ArtifactReport, AuditSummary } from '../audit.types.ts';
import { DETECTION_EVENT_KINDS, type DetectionEvent } from '../monitor/detection-events.ts';
import type { ScanHeader, ScanTargetRecord } from '../scans/scan-report.ts';
import { VERDICT_CATEGORIES, type Verdict } from '../scans/scan.types.ts';
import { CASE_KINDS, CASE_STATES, type CaseEvent, type CaseRecord, type SubmissionRecord } from '../cases/case.types.ts';
import { ReleaseError } from './errors.ts';
import type { ReleaseStore } from './ports.ts';
import type { CertificateRecord, ReleaseFinding, ReleaseHeader } from './release.types.ts';

export const STORE_EXPORT_SCHEMA = 'absolve.store-export/v1';

export interface ProductRecord {
  type: 'product';
  name: string;
  createdAt: string;
}

export interface CertificateDataRecord extends CertificateRecord {
  type: 'certificate';
  firstSeenAt: string;
}

export interface ArtifactRecord {
  type: 'artifact';
  sha256: string;
  size: number;
  format: string;
  /** From the first audit of these bytes: x64, x86, …; null when not a readable PE. */
  machine: string | null;
  /** `exe`, `dll` or null. */
  peKind: string | null;
  fileVersion: string | null;
  productVersion: string | null;
  firstSeenAt: string;
  signers: Array<{ position: number; role: 'primary' | 'nested'; thumbprintSha256: string }>;
}

export interface ReleaseRecord extends ReleaseHeader {
  type: 'release';
}

export interface ReleaseArtifactRecord {
  type: 'release_artifact';
  product: string;
  version: string;
  /** Position in the release's audit order. */
  ordinal: number;
  path: string;
  sha256: string;
  report: ArtifactReport;
}

export interface FindingRecord extends ReleaseFinding {
  type: 'finding';
  product: string;
  version: string;
  seq: number;
}

export interface ScanRecord extends ScanHeader {
  type: 'scan';
}

export interface ScanTargetDataRecord extends ScanTargetRecord {
  type: 'scan_target';
  scanId: string;
}

export interface VerdictRecord extends Omit<Verdict, 'classification' | 'detail'> {
  type: 'verdict';
  scanId: string;
  sha256: string;
  detail: string | null;
  /** Copied from an earlier scan's answer (not asked in this one). */
  reused: boolean;
  recordedAt: string;
}

export interface EventRecord extends DetectionEvent {
  type: 'event';
}

/** A false-positive case as stored; its `id` ties its events and submissions to it within the file (an import keeps it when it is free). */
export interface CaseDataRecord extends CaseRecord {
  type: 'case';
}

export interface CaseEventDataRecord extends CaseEvent {
  type: 'case_event';
}

export interface SubmissionDataRecord extends SubmissionRecord {
  type: 'submission';
}

/** The records that carry data (what the store reads and writes). */
export type StoreDataRecord =
  | ProductRecord
  | CertificateDataRecord
  | ArtifactRecord
  | ReleaseRecord
  | ReleaseArtifactRecord
  | FindingRecord
  | ScanRecord
  | ScanTargetDataRecord
  | VerdictRecord
  | EventRecord
  | CaseDataRecord
  | CaseEventDataRecord
  | SubmissionDataRecord;

export interface HeaderRecord {
  type: 'header';
  schema: typeof STORE_EXPORT_SCHEMA;
}

export interface EndRecord {
  type: 'end';
  /** Data records between header and end. */
  records: number;
}

export type ExportLineRecord = HeaderRecord | StoreDataRecord | EndRecord;

export interface ImportCounts {
  products: number;
  certificates: number;
  artifacts: number;
  releases: number;
  /** Releases already stored with the same content, left alone. */
  releasesSkipped: number;
  findings: number;
  scans: number;
  /** Scans already stored (same id), left alone with their targets and verdicts. */
  scansSkipped: number;
  verdicts: number;
  events: number;
  cases: number;
  /** Cases already stored (same kind, vendor, subject and release), left alone with their history. */
  casesSkipped: number;
  caseEvents: number;
  submissions: number;
}

export interface ExportCounts {
  records: number;
  products: number;
  certificates: number;
  artifacts: number;
  releases: number;
  releaseArtifacts: number;
  findings: number;
  scans: number;
  verdicts: number;
  events: number;
  cases: number;
  caseEvents: number;
  submissions: number;
}

/** Writes the store as JSON lines through `writeLine` (each string ends with a newline). */
export async function exportStore(store: ReleaseStore, writeLine: (line: string) => Promise<void> | void): Promise<ExportCounts> {
  const counts: ExportCounts = { records: 0, products: 0, certificates: 0, artifacts: 0, releases: 0, releaseArtifacts: 0, findings: 0, scans: 0, verdicts: 0, events: 0, cases: 0, caseEvents: 0, submissions: 0 };
  await writeLine(`${JSON.stringify({ type: 'header', schema: STORE_EXPORT_SCHEMA } satisfies HeaderRecord)}\n`);
  for await (const record of store.exportRecords()) {
    counts.records++;
    switch (record.type) {
      case 'product': counts.products++; break;
      case 'certificate': counts.certificates++; break;
      case 'artifact': counts.artifacts++; break;
      case 'release': counts.releases++; break;
      case 'release_artifact': counts.releaseArtifacts++; break;
      case 'finding': counts.findings++; break;
      case 'scan': counts.scans++; break;
      case 'scan_target': break;
      case 'verdict': counts.verdicts++; break;
      case 'event': counts.events++; break;
      case 'case': counts.cases++; break;
      case 'case_event': counts.caseEvents++; break;
      case 'submission': counts.submissions++; break;
    }
    await writeLine(`${JSON.stringify(record)}\n`);
  }
  await writeLine(`${JSON.stringify({ type: 'end', records: counts.records } satisfies EndRecord)}\n`);
  return counts;
}

/** Reads JSON lines (validated one by one, inside the store's import transaction) into the store. */
export async function importStore(store: ReleaseStore, lines: AsyncIterable<string>): Promise<ImportCounts> {
  return store.importRecords(parseExportLines(lines));
}

async function* parseExportLines(lines: AsyncIterable<string>): AsyncGenerator<StoreDataRecord> {
  let lineNumber = 0;
  let sawHeader = false;
  let end: EndRecord | undefined;
  let records = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const record = parseRecord(line, lineNumber);
    if (end !== undefined) throw invalid(lineNumber, 'a record after the end record');
    if (!sawHeader) {
      if (record.type !== 'header') throw invalid(lineNumber, `the first record must be a header with schema ${STORE_EXPORT_SCHEMA}`);
      sawHeader = true;
      continue;
    }
    if (record.type === 'header') throw invalid(lineNumber, 'a second header');
    if (record.type === 'end') {
      if (record.records !== records) throw invalid(lineNumber, `the end record counts ${record.records} records, the file has ${records}`);
      end = record;
      continue;
    }
    records++;
    yield record;
  }
  if (!sawHeader) throw invalid(lineNumber, 'the file is empty');
  if (end === undefined) throw invalid(lineNumber, 'the file ends without its end record (cut off?)');
}

function invalid(line: number, what: string): ReleaseError {
  return new ReleaseError('IMPORT_INVALID', `line ${line}: ${what}`);
}

type Json = Record<string, unknown>;

/** A value from the file, for an error message: escaped (no terminal control bytes) and short. */
function shown(value: unknown): string {
  return escapeForDisplay(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), 64);
}

function parseRecord(line: string, n: number): ExportLineRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    // V8's message quotes the line ("\u001b[2J… is not valid JSON"): say where it broke, never echo the bytes.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw invalid(n, position === undefined ? 'not JSON' : `not JSON (it breaks at character ${position})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(n, 'not a JSON object');
  const r = value as Json;
  const str = (key: string): void => {
    if (typeof r[key] !== 'string' || r[key] === '') throw invalid(n, `${shown(r.type)} record: '${key}' must be a non-empty string`);
  };
  const strOrNull = (key: string): void => {
    if (r[key] !== null && typeof r[key] !== 'string') throw invalid(n, `${shown(r.type)} record: '${key}' must be a string or null`);
  };
  const int = (key: string): void => {
    if (typeof r[key] !== 'number' || !Number.isSafeInteger(r[key]) || r[key] < 0) throw invalid(n, `${shown(r.type)} record: '${key}' must be a whole number`);
  };
  const obj = (key: string): Json => {
    const v = r[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(n, `${shown(r.type)} record: '${key}' must be an object`);
    return v as Json;
  };
  const hex = (key: string, length: number): void => {
    str(key);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(r[key] as string)) throw invalid(n, `${shown(r.type)} record: '${key}' must be ${length} hex digits`);
  };
  switch (r.type) {
    case 'header':
      if (r.schema !== STORE_EXPORT_SCHEMA) throw invalid(n, `unknown export schema '${shown(r.schema)}' (this Absolve reads ${STORE_EXPORT_SCHEMA})`);
      return r as unknown as HeaderRecord;
    case 'end':
      int('records');
      return r as unknown as EndRecord;
    case 'product':
      str('name'); str('createdAt');
      return r as unknown as ProductRecord;
    case 'certificate':
      hex('thumbprintSha256', 64); hex('thumbprintSha1', 40);
      for (const k of ['subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'firstSeenAt']) str(k);
      return r as unknown as CertificateDataRecord;
    case 'artifact': {
      hex('sha256', 64); int('size'); str('format'); str('firstSeenAt');
      for (const k of ['machine', 'peKind', 'fileVersion', 'productVersion']) strOrNull(k);
      if (!Array.isArray(r.signers)) throw invalid(n, "artifact record: 'signers' must be an array");
      for (const s of r.signers as unknown[]) {
        const signer = s as Json | null;
        if (typeof signer !== 'object' || signer === null || typeof signer.position !== 'number' || (signer.role !== 'primary' && signer.role !== 'nested') || typeof signer.thumbprintSha256 !== 'string') {
          throw invalid(n, "artifact record: each signer needs position, role (primary|nested) and thumbprintSha256");
        }
      }
      return r as unknown as ArtifactRecord;
    }
    case 'release': {
      for (const k of ['product', 'version', 'channel', 'createdAt', 'verifiedAt', 'toolVersion']) str(k);
      hex('contentSha256', 64); strOrNull('notes'); int('files');
      const summary = obj('summary') as Partial<AuditSummary>;
      if (typeof summary.files !== 'number' || typeof summary.policyMet !== 'boolean') throw invalid(n, "release record: 'summary' is not an audit summary");
      return r as unknown as ReleaseRecord;
    }
    case 'release_artifact': {
      str('product'); str('version'); int('ordinal'); str('path'); hex('sha256', 64);
      const report = obj('report');
      if (report.path !== r.path || report.sha256 !== r.sha256) throw invalid(n, "release_artifact record: 'report' must have the record's path and sha256");
      if (typeof report.size !== 'number' || typeof report.format !== 'string' || !Array.isArray(report.findings)) throw invalid(n, "release_artifact record: 'report' is not an artifact report");
      return r as unknown as ReleaseArtifactRecord;
    }
    case 'finding': {
      str('product'); str('version'); int('seq'); str('id'); str('message');
      if (r.severity !== 'error' && r.severity !== 'warning' && r.severity !== 'note') throw invalid(n, "finding record: 'severity' must be error, warning or note");
      if (!Array.isArray(r.files) || !(r.files as unknown[]).every((f) => typeof f === 'string')) throw invalid(n, "finding record: 'files' must be an array of paths");
      if (r.certificate !== null) {
        const c = obj('certificate');
        if (typeof c.subject !== 'string' || typeof c.thumbprintSha1 !== 'string' || typeof c.thumbprintSha256 !== 'string') throw invalid(n, "finding record: 'certificate' needs subject, thumbprintSha1 and thumbprintSha256");
      }
      return r as unknown as FindingRecord;
    }
    case 'scan': {
      str('id'); str('startedAt'); strOrNull('finishedAt');
      if (r.trigger !== 'cli' && r.trigger !== 'monitor' && r.trigger !== 'api') throw invalid(n, "scan record: 'trigger' must be cli, monitor or api");
      if (!Array.isArray(r.engines) || !(r.engines as unknown[]).every((e) => typeof e === 'string')) throw invalid(n, "scan record: 'engines' must be an array of engine ids");
      if (!Array.isArray(r.inputs) || !(r.inputs as unknown[]).every((e) => typeof e === 'string')) throw invalid(n, "scan record: 'inputs' must be an array of strings");
      if (r.release !== null) {
        const rel = obj('release');
        if (typeof rel.product !== 'string' || typeof rel.version !== 'string') throw invalid(n, "scan record: 'release' needs product and version");
      }
      return r as unknown as ScanRecord;
    }
    case 'scan_target':
      str('scanId'); int('ordinal'); str('path'); strOrNull('parentPath'); hex('sha256', 64); int('size');
      return r as unknown as ScanTargetDataRecord;
    case 'verdict': {
      str('scanId'); hex('sha256', 64); str('engine'); str('scannedAt'); str('recordedAt');
      for (const k of ['result', 'engineVersion', 'definitionsDate', 'detail']) strOrNull(k);
      if (!['virustotal', 'metadefender', 'clamav', 'yara', 'command'].includes(r.via as string)) throw invalid(n, "verdict record: unknown 'via'");
      if (!(VERDICT_CATEGORIES as readonly unknown[]).includes(r.category)) throw invalid(n, "verdict record: unknown 'category'");
      if (typeof r.reused !== 'boolean') throw invalid(n, "verdict record: 'reused' must be true or false");
      return r as unknown as VerdictRecord;
    }
    case 'event': {
      str('id'); str('at'); str('scanId'); str('previousScanId'); hex('sha256', 64); str('via');
      if (!(DETECTION_EVENT_KINDS as readonly unknown[]).includes(r.kind)) throw invalid(n, "event record: unknown 'kind'");
      for (const k of ['before', 'after']) if (!Array.isArray(r[k]) || !(r[k] as unknown[]).every((e) => typeof e === 'string')) throw invalid(n, `event record: '${k}' must be an array of engine names`);
      const results = obj('results');
      if (!Object.values(results).every((v) => typeof v === 'string')) throw invalid(n, "event record: 'results' maps engines to detection names");
      return r as unknown as EventRecord;
    }
    case 'case': {
      int('id'); str('vendor'); str('subject'); str('summary'); str('openedAt'); str('updatedAt');
      for (const k of ['path', 'reference', 'submittedAt', 'dueAt', 'closedAt']) strOrNull(k);
      if (!(CASE_KINDS as readonly unknown[]).includes(r.kind)) throw invalid(n, "case record: unknown 'kind'");
      if (!(CASE_STATES as readonly unknown[]).includes(r.state)) throw invalid(n, "case record: unknown 'state'");
      const rel = obj('release');
      if (typeof rel.product !== 'string' || typeof rel.version !== 'string') throw invalid(n, "case record: 'release' needs product and version");
      if (!Array.isArray(r.detections) || !(r.detections as unknown[]).every((d) => typeof d === 'object' && d !== null && typeof (d as Json).engine === 'string')) {
        throw invalid(n, "case record: 'detections' must be an array of detections");
      }
      return r as unknown as CaseDataRecord;
    }
    case 'case_event':
      int('caseId'); int('seq'); str('at'); str('kind');
      for (const k of ['fromState', 'toState', 'note']) strOrNull(k);
      return r as unknown as CaseEventDataRecord;
    case 'submission':
      int('caseId'); str('messageId'); str('channel'); str('createdAt'); strOrNull('sentAt');
      if (r.state !== 'sending' && r.state !== 'sent') throw invalid(n, "submission record: 'state' must be sending or sent");
      return r as unknown as SubmissionDataRecord;
    default:
      throw invalid(n, `unknown record type '${shown(r.type)}'`);
  }
}
