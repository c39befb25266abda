/**
 * The audit report: schema `absolve.audit/v1` (documented field by field in the README).
 * Plain data only, so it crosses worker threads and goes to JSON unchanged.
 */

import type { CertificateSummary } from '../authenticode/index.ts';
import type { LintFacts, LintResult } from './lint/lint.types.ts';

export const AUDIT_SCHEMA = 'absolve.audit/v1';

export type SignatureStatus = 'valid' | 'invalid' | 'untrusted' | 'unsigned' | 'malformed';

export type HashAlgorithm = 'sha256' | 'sha1' | 'md5' | 'sha512';

/** The signer certificate as reported: RFC 2253 names, uppercase hex serial and thumbprints, ISO dates. */
export type SignerReport = CertificateSummary;

export interface TimestampReport {
  time: string;
  kind: 'rfc3161' | 'authenticode';
  /** The time-stamping authority's certificate, when found (absent in reports from before Absolve 0.2). */
  authority?: SignerReport | null;
  /** Whether the timestamp itself verified. */
  valid?: boolean;
}

export interface SignatureReport {
  status: SignatureStatus;
  /** One line a person can act on. */
  reason: string;
  /** Stable code for `reason` (e.g. OK, DIGEST_MISMATCH, CHAIN_UNTRUSTED, NOT_SIGNED). */
  reasonCode: string;
  digestAlgorithm: string | null;
  signer: SignerReport | null;
  timestamp: TimestampReport | null;
  /** Nested signatures (1.3.6.1.4.1.311.2.4.1), e.g. the SHA-256 half of a dual signature. */
  nested: SignatureReport[];
  /** Certificate subjects from the signer to the trust anchor (leaf first), as far as the chain was built. */
  chain?: string[];
  programName?: string;
  moreInfoUrl?: string;
}

export interface PESummary {
  machine: string;
  bits: 32 | 64;
  subsystem: string;
  isDll: boolean;
  linkTimestamp: string | null;
  entryPoint: number;
  sections: Array<{ name: string; virtualSize: number; rawSize: number; flags: string }>;
  imports: Array<{ dll: string; functions: number }>;
  /** Import hash (imphash: MD5 of the lower-case `dll.function` list, as pefile computes it); absent without imports. */
  imphash?: string;
  /** SHA-256 Authenticode digest of the image (what allowlisting forms call the Authenticode hash); absent when the certificate table is broken. */
  authenticodeSha256?: string;
  exports: string[];
  versionInfo: { fileVersion: string; productVersion: string; strings: Record<string, string> } | null;
  hasManifest: boolean;
  overlay: { offset: number; size: number } | null;
  checksum: { stored: number; computed: number } | null;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Finding {
  /** Stable identifier (e.g. PE_SECTION_DATA_PAST_EOF, or a lint rule ID such as ABS-FP-003); never reworded. */
  id: string;
  severity: Severity;
  message: string;
  /** For a failing lint rule: what to do about it (the rule's fix text). */
  fix?: string;
}

export type ArtifactFormat = 'pe' | 'msi' | 'msp' | 'cfb' | 'cab' | 'zip' | 'unknown';

export interface ArtifactError {
  code: string;
  message: string;
}

export interface ArtifactReport {
  /** As given on the command line (relative stays relative); container members use `CONTAINER!/MEMBER`. */
  path: string;
  size: number;
  sha256: string;
  /** Extra digests requested with --hashes (always includes sha256). */
  hashes: Partial<Record<HashAlgorithm, string>>;
  /** What the content is (by magic bytes, not by name). An NSIS installer is a `pe` with `container.kind` `nsis`. */
  format: ArtifactFormat;
  /** Set when the artifact is an installer or archive whose members were listed and audited. */
  container?: { kind: string; members: number };
  pe: PESummary | null;
  signature: SignatureReport | null;
  findings: Finding[];
  error: ArtifactError | null;
  /** Lint results (one per rule not turned off), for PEs; every `fail` is also in `findings`. */
  lint?: LintResult[];
  /** Transient: what the lint rules look at, collected during the audit and removed when lint is applied (never in a written report). */
  lintFacts?: LintFacts;
}

export interface AuditSummary {
  files: number;
  /** PEs; `valid` … `malformed` count PE signatures only. */
  pe: number;
  valid: number;
  invalid: number;
  untrusted: number;
  unsigned: number;
  malformed: number;
  errors: number;
  /** Artifacts that break the policy (by default: a PE whose signature is not valid, or a file that claims to be a PE and is not). */
  violations: number;
  policyMet: boolean;
  /** Signed-package formats (MSI, MSP, CAB) by signature status; absent in reports recorded before Absolve 0.2. */
  packages?: { total: number; valid: number; invalid: number; untrusted: number; unsigned: number; malformed: number };
}

export interface AuditReport {
  schema: typeof AUDIT_SCHEMA;
  tool: { name: 'absolve'; version: string };
  generatedAt: string;
  /** The instant signatures were judged at (certificate validity when no timestamp applies). */
  verifiedAt: string;
  inputs: string[];
  /** The lint configuration file read (`--config`, or ./absolve.config.json), null when the defaults applied. */
  configFile?: string | null;
  artifacts: ArtifactReport[];
  summary: AuditSummary;
}
