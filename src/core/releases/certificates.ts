/**
 * Signer certificates across releases: the ABS-CERT-NEW-SIGNER finding (a release signed by a
 * certificate never seen before for its product) and the `absolve certs` overview.
 */
import type { ArtifactReport, SignerReport } from '../audit.types.ts';
import {
  compareReleases,
  compareText,
  signerRef,
  signersOf,
  type CertificateRecord,
  type CertificateUsage,
  type ReleaseFinding,
  type ReleaseHistory,
  type ReleaseKey,
} from './release.types.ts';

export const NEW_SIGNER_FINDING = 'ABS-CERT-NEW-SIGNER';

/** How many file names a finding's message lists before "and N more" (the `files` field has them all). */
const MESSAGE_FILES_MAX = 5;

/**
 * One ABS-CERT-NEW-SIGNER warning per certificate that signs a file of this release (primary or
 * nested signature, top-level file or container member) and signed nothing in the product's
 * earlier releases. The first release of a product sets the baseline and gets none.
 */
export function newSignerFindings(product: string, artifacts: readonly ArtifactReport[], history: ReleaseHistory): ReleaseFinding[] {
  if (history.priorReleases === 0) return [];
  const fresh = new Map<string, { signer: SignerReport; files: Set<string> }>();
  for (const artifact of artifacts) {
    for (const { signer } of signersOf(artifact)) {
      if (history.priorSigners.has(signer.thumbprintSha256)) continue;
      let entry = fresh.get(signer.thumbprintSha256);
      if (entry === undefined) fresh.set(signer.thumbprintSha256, (entry = { signer, files: new Set() }));
      entry.files.add(artifact.path);
    }
  }
  return [...fresh.values()]
    .sort((a, b) => compareText(a.signer.subject, b.signer.subject) || compareText(a.signer.thumbprintSha256, b.signer.thumbprintSha256))
    .map(({ signer, files }) => {
      const list = [...files].sort(compareText);
      const named = list.slice(0, MESSAGE_FILES_MAX).join(', ') + (list.length > MESSAGE_FILES_MAX ? ` and ${list.length - MESSAGE_FILES_MAX} more` : '');
      return {
        id: NEW_SIGNER_FINDING,
        severity: 'warning' as const,
        message: `signed by a certificate never seen before for ${product}: ${signer.subject} (issuer ${signer.issuer}, SHA-256 thumbprint ${signer.thumbprintSha256}); ${list.length === 1 ? 'file' : `${list.length} files`}: ${named}`,
        certificate: signerRef(signer),
        files: list,
      };
    });
}

export interface CertificateSummary extends CertificateRecord {
  /** notAfter is before `now`. */
  expired: boolean;
  /** Whole days from `now` to notAfter (negative once expired). */
  daysToExpiry: number;
  products: string[];
  firstRelease: ReleaseKey & { createdAt: string };
  lastRelease: ReleaseKey & { createdAt: string };
  releases: number;
  /** Distinct files (by content) it signed. */
  files: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `absolve certs`: each certificate with its first and last release, file count and expiry; ordered by first appearance. */
export function summarizeCertificates(usage: readonly CertificateUsage[], now: Date): CertificateSummary[] {
  const out: CertificateSummary[] = [];
  for (const u of usage) {
    const releases = [...u.releases].sort(compareReleases);
    const first = releases[0];
    const last = releases[releases.length - 1];
    if (first === undefined || last === undefined) continue;
    const notAfter = Date.parse(u.certificate.notAfter);
    out.push({
      ...u.certificate,
      expired: notAfter < now.getTime(),
      daysToExpiry: Math.floor((notAfter - now.getTime()) / DAY_MS),
      products: [...new Set(releases.map((r) => r.product))].sort(compareText),
      firstRelease: first,
      lastRelease: last,
      releases: releases.length,
      files: u.files,
    });
  }
  return out.sort((a, b) => compareReleases(a.firstRelease, b.firstRelease) || compareText(a.subject, b.subject) || compareText(a.thumbprintSha256, b.thumbprintSha256));
}
