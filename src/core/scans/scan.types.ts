/**
 * Verdicts of antivirus engines on one sample, as every engine adapter (src/engines: VirusTotal,
 * MetaDefender, ClamAV, YARA, command-line scanners) reports them. Plain data, stored as is
 * (append-only: the history of verdicts is what later tracks detections over time).
 */
import type { DetectionClassification } from '../detections/detection.types.ts';

export const SCAN_SCHEMA = 'absolve.scan/v1';

/** Which adapter produced a verdict. */
export type EngineVia = 'virustotal' | 'metadefender' | 'clamav' | 'yara' | 'command';

/**
 * The category of one engine's verdict. `malicious`, `suspicious`, `undetected`, `harmless` and
 * `type-unsupported` follow VirusTotal's `last_analysis_results[].category` (type-unsupported is
 * VT's `type-unsupported`); `timeout` and `failure` say that the engine gave no answer. A scanner
 * that failed or timed out is never reported as clean.
 */
export type VerdictCategory =
  | 'malicious'
  | 'suspicious'
  | 'undetected'
  | 'harmless'
  | 'type-unsupported'
  | 'timeout'
  | 'failure';

export const VERDICT_CATEGORIES: readonly VerdictCategory[] = [
  'malicious',
  'suspicious',
  'undetected',
  'harmless',
  'type-unsupported',
  'timeout',
  'failure',
];

/** True for the categories that count as a detection (what a publisher must act on). */
export function isDetection(category: VerdictCategory): boolean {
  return category === 'malicious' || category === 'suspicious';
}

/** One engine's verdict on one sample. */
export interface Verdict {
  /**
   * The engine that judged: for the cloud services the AV engine they report (VirusTotal's
   * `engine_name`, e.g. `Microsoft`, `BitDefender`), for local engines `ClamAV`, `YARA` or the
   * command preset's engine name (e.g. `Microsoft` for MpCmdRun).
   */
  engine: string;
  via: EngineVia;
  category: VerdictCategory;
  /** The detection name (`Trojan:Win32/Wacatac.B!ml`, a ClamAV signature, the YARA rule names), null when nothing was detected. */
  result: string | null;
  engineVersion: string | null;
  /** The engine's definitions (signature database) date or version as it reported it, ISO 8601 where it gave a date. */
  definitionsDate: string | null;
  /** When this verdict was made (the engine's own scan time where it reports one), ISO 8601. */
  scannedAt: string;
  /** What the detection name means (the detection-name classifier), null without a detection name. */
  classification: DetectionClassification | null;
  /** For `failure` / `timeout` / `type-unsupported`: one line saying why (never a secret). */
  detail?: string;
}

/**
 * One file to scan: a top-level file on disk, a container member in memory or a stored blob.
 * Engines that work on hashes (cloud lookups) read `sha256`; engines that need the bytes stream
 * them (bounded memory) or, where a scanner wants a path, use `filePath` when the bytes are
 * already a file, else write a private temporary copy (never under a name taken from an archive).
 */
export interface ScanSample {
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
  /** For messages and upload file names: the report path (`setup.msi!/bin/app.exe`), already free of control characters. */
  displayName: string;
  /** A path where exactly these bytes can be read, when there is one. */
  filePath?: string;
  /** The bytes, in chunks; each call starts again at the beginning. */
  stream(): AsyncIterable<Uint8Array>;
}

export interface ScanOptions {
  /** Aborts the scan (Ctrl-C, a deadline): adapters stop waiting, sending and polling. */
  signal?: AbortSignal;
  /** A note for the progress bar during long waits ("VT quota: next request in 12 s"). */
  onWait?: (note: string) => void;
}

/**
 * The engine port: one small async verb. Each adapter answers with one verdict per engine it
 * speaks for (a cloud service: one per AV engine it ran; ClamAV, YARA, a command scanner: one).
 * It never throws for a scanner problem (a dead server, a crash, a quota that never frees):
 * that is a verdict with category `failure` or `timeout`. It throws only AbortError when
 * `signal` aborts, and ScanError for a configuration error the user must fix (a missing API key,
 * rules that do not compile) before any sample can be scanned.
 */
export interface ScanEngine {
  /** The name a user selects it by (`--engines`): `virustotal`, `metadefender`, `clamav`, `yara`, a command preset. */
  readonly id: string;
  readonly via: EngineVia;
  scan(sample: ScanSample, options: ScanOptions): Promise<Verdict[]>;
}
