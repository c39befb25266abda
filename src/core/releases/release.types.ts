/**
 * Release history: products, their releases and the audited files in them, the signer
 * certificates seen, and the findings recorded with each release. Plain data only; the Store
 * port (ports.ts) persists it and the use cases (record-release.ts, diff-releases.ts,
 * certificates.ts, export-records.ts) work on it.
 *
 * Paths are *release paths*: relative to the release root, `/`-separated, container members as
 * `setup.msi!/Contoso/app.exe` (nested: `a.zip!/b.zip!/c.exe`). An artifact's parent is the
 * path before the last `!/`.
 */
import type { ArtifactReport, AuditSummary, Severity, SignerReport } from '../audit.types.ts';

/** Identifies a release: the product's name and the version string as given (no semver parsing). */
export interface ReleaseKey {
  product: string;
  version: string;
}

export interface ReleaseHeader extends ReleaseKey {
  channel: string;
  notes: string | null;
  /** When the release was first recorded (ISO 8601 UTC, ms). A `--replace` keeps it. */
  createdAt: string;
  /** The instant signatures were judged at (`--at`, or the recording time). */
  verifiedAt: string;
  /** The Absolve version that audited the files. */
  toolVersion: string;
  /** SHA-256 over the sorted `path TAB sha256 LF` lines: equal content, equal digest. */
  contentSha256: string;
  /** Number of artifacts (files and container members). */
  files: number;
  summary: AuditSummary;
}

/** A certificate as the history names it (the full record is `CertificateRecord`). */
export interface SignerRef {
  subject: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
}

/** A signer certificate, keyed by the SHA-256 thumbprint of its DER encoding. */
export type CertificateRecord = SignerReport;

/** Where a signer appears in a file's signature: the primary signer, or a nested signature (depth-first order). */
export interface ArtifactSigner {
  /** Order within the signature, depth-first: the primary signer (when it has one) is 0. */
  position: number;
  role: 'primary' | 'nested';
  signer: SignerReport;
}

/** A finding recorded with a release (not one of the per-file findings inside the reports). */
export interface ReleaseFinding {
  /** Stable identifier, e.g. ABS-CERT-NEW-SIGNER; never reworded. */
  id: string;
  severity: Severity;
  message: string;
  /** The certificate the finding is about, if any. */
  certificate: SignerRef | null;
  /** Release paths the finding names, sorted. */
  files: string[];
}

/** A release as `release add` hands it to the store: every artifact report, paths already release paths. */
export interface ReleaseDraft {
  header: ReleaseHeader;
  /** In audit order (a container before its members). */
  artifacts: ArtifactReport[];
}

/** A release as stored: its header, its artifacts' reports in audit order, and its release-level findings. */
export interface ReleaseDetail {
  header: ReleaseHeader;
  artifacts: ArtifactReport[];
  findings: ReleaseFinding[];
}

/** What the store knows about a product's other releases when it records one (inside the same transaction). */
export interface ReleaseHistory {
  /** Other releases of the same product already stored. */
  priorReleases: number;
  /** SHA-256 thumbprints of every certificate that signed a file (primary or nested) in those releases. */
  priorSigners: ReadonlySet<string>;
}

export interface SaveReleaseOptions {
  /** Replace a stored release of the same product and version whose content differs. */
  replace: boolean;
  /** Called inside the transaction with the product's history; its findings are stored with the release. */
  deriveFindings(history: ReleaseHistory): ReleaseFinding[];
}

export type SaveOutcome = 'created' | 'unchanged' | 'replaced';

export interface SaveReleaseResult {
  outcome: SaveOutcome;
  /** The stored header (for `unchanged`, the one recorded earlier). */
  header: ReleaseHeader;
  findings: ReleaseFinding[];
}

/** A certificate with every release (in release order) in which it signed at least one file. */
export interface CertificateUsage {
  certificate: CertificateRecord;
  /** Distinct files (by content) it signed, primary or nested. */
  files: number;
  releases: Array<ReleaseKey & { createdAt: string }>;
}

/** The parent of a release path: the container path before the last `!/`, or null for a top-level file. */
export function parentPathOf(path: string): string | null {
  const i = path.lastIndexOf('!/');
  return i < 0 ? null : path.slice(0, i);
}

/** Release order: recording time, then product and version (never a database id, so it survives export/import). */
export function compareReleases(a: ReleaseKey & { createdAt: string }, b: ReleaseKey & { createdAt: string }): number {
  return compareText(a.createdAt, b.createdAt) || compareText(a.product, b.product) || compareText(a.version, b.version);
}

/** Plain code-unit order, identical on every database (collations differ between SQLite and PostgreSQL). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function signerRef(signer: SignerReport): SignerRef {
  return { subject: signer.subject, thumbprintSha1: signer.thumbprintSha1, thumbprintSha256: signer.thumbprintSha256 };
}

/** Every signer of a file's signature: the primary first, then nested signatures depth-first. */
export function signersOf(report: ArtifactReport): ArtifactSigner[] {
  const out: ArtifactSigner[] = [];
  const visit = (signature: NonNullable<ArtifactReport['signature']>, nested: boolean): void => {
    if (signature.signer !== null) out.push({ position: out.length, role: nested ? 'nested' : 'primary', signer: signature.signer });
    for (const child of signature.nested) visit(child, true);
  };
  if (report.signature !== null) visit(report.signature, false);
  return out;
}
