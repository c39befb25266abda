/** Small, hand-made artifact reports and drafts for the store contract and use-case tests. */
import { createHash } from 'node:crypto';
import type { ArtifactReport, Finding, SignatureReport, SignatureStatus, SignerReport } from '../../src/core/audit.types.ts';
import { summarizeAudit } from '../../src/core/audit-summary.ts';
import { releaseContentSha256 } from '../../src/core/releases/record-release.ts';
import type { ReleaseDraft } from '../../src/core/releases/release.types.ts';

function thumb(seed: string, hexDigits: number): string {
  return createHash('sha256').update(seed).digest('hex').toUpperCase().slice(0, hexDigits).padEnd(hexDigits, '0');
}

export function certificate(name: string, issuer = 'CN=Absolve Test Root CA,O=Absolve Test,C=US', notAfter = '2046-12-31T00:00:00.000Z'): SignerReport {
  return {
    subject: `CN=${name},O=${name} Inc,C=US`,
    issuer,
    serialNumber: thumb(`serial ${name}`, 16),
    thumbprintSha1: thumb(`sha1 ${name}`, 40),
    thumbprintSha256: thumb(`sha256 ${name}`, 64),
    notBefore: '2019-01-01T00:00:00.000Z',
    notAfter,
  };
}

export const certA = certificate('Contoso Code Signing');
export const certB = certificate('Fabrikam Code Signing', 'CN=Absolve Test Root CA B,O=Absolve Test,C=US');
export const certNested = certificate('Contoso SHA1 Legacy');

export interface FileSpec {
  path: string;
  content: string;
  signer?: SignerReport | null;
  status?: SignatureStatus;
  nested?: SignerReport[];
  format?: 'pe' | 'unknown';
  size?: number;
  findings?: Finding[];
}

function signature(status: SignatureStatus, signer: SignerReport | null, nested: SignerReport[]): SignatureReport {
  return {
    status,
    reason: status === 'unsigned' ? 'no signature' : `signature ${status}`,
    reasonCode: status === 'unsigned' ? 'NOT_SIGNED' : status === 'valid' ? 'OK' : 'CHAIN_UNTRUSTED',
    digestAlgorithm: status === 'unsigned' ? null : 'sha256',
    signer,
    timestamp: null,
    nested: nested.map((n) => signature(status, n, [])),
  };
}

export function report(spec: FileSpec): ArtifactReport {
  const sha256 = createHash('sha256').update(spec.content).digest('hex');
  const format = spec.format ?? 'pe';
  const signer = spec.signer ?? null;
  const status = spec.status ?? (signer === null ? 'unsigned' : 'valid');
  return {
    path: spec.path,
    size: spec.size ?? Buffer.byteLength(spec.content),
    sha256,
    hashes: { sha256 },
    format,
    pe:
      format === 'pe'
        ? {
            machine: 'x64', bits: 64, subsystem: 'windows-gui', isDll: spec.path.endsWith('.dll'), linkTimestamp: null, entryPoint: 4096,
            sections: [{ name: '.text', virtualSize: 16, rawSize: 512, flags: 'r-x' }], imports: [], exports: [],
            versionInfo: { fileVersion: '1.0.0.0', productVersion: '1.0.0.0', strings: { CompanyName: 'Contoso Ltd' } },
            hasManifest: false, overlay: null, checksum: null,
          }
        : null,
    // A signed non-PE stands for a signed container (MSI, CAB): it carries a signature too.
    signature: format === 'pe' || signer !== null ? signature(status, signer, spec.nested ?? []) : null,
    findings: spec.findings ?? [],
    error: null,
  };
}

export function draft(product: string, version: string, files: FileSpec[], options: { createdAt?: string; channel?: string; notes?: string | null } = {}): ReleaseDraft {
  const artifacts = files.map(report);
  const createdAt = options.createdAt ?? '2026-01-01T00:00:00.000Z';
  return {
    header: {
      product,
      version,
      channel: options.channel ?? 'stable',
      notes: options.notes ?? null,
      createdAt,
      verifiedAt: createdAt,
      toolVersion: '0.1.0',
      contentSha256: releaseContentSha256(artifacts),
      files: artifacts.length,
      summary: summarizeAudit(artifacts),
    },
    artifacts,
  };
}
