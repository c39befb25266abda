import type { ArtifactReport, AuditSummary } from './audit.types.ts';
import { hasPEExtension } from './audit-artifact.ts';

/**
 * The default policy: every PE and every Windows Installer package (MSI, MSP) must carry a valid
 * signature, a file whose name promises a PE must be one, and a container that cannot be read
 * (truncated, unsupported) is a violation because its contents went unchecked. I/O errors are not
 * policy violations: they make the command exit 2.
 */
export function violatesPolicy(artifact: ArtifactReport): boolean {
  if (artifact.error?.code === 'IO_ERROR') return false;
  // A pinned signer (--pin-signer, settings.pinnedSigners) is part of the policy: rule ABS-SIG-019 fails only when pins are set.
  if (artifact.findings.some((f) => f.id === PINNED_SIGNER_RULE && f.severity !== 'note')) return true;
  if (artifact.format === 'pe' || artifact.format === 'msi' || artifact.format === 'msp') return artifact.error !== null || artifact.signature?.status !== 'valid';
  if (artifact.format !== 'unknown') return artifact.error !== null;
  return artifact.error !== null && hasPEExtension(artifact.path);
}

/** The rule that checks the signer against the pinned thumbprints. */
export const PINNED_SIGNER_RULE = 'ABS-SIG-019';

/** Signed packages: Windows Installer (MSI, MSP) and cabinets, whose signatures are verified like a PE's. */
export function isSignablePackage(artifact: ArtifactReport): boolean {
  return artifact.format !== 'pe' && artifact.signature !== null;
}

/** Signature counts: `pe` and `valid`…`malformed` count PEs only; `packages` counts signed-package formats (MSI, MSP, CAB) apart. */
export function summarizeAudit(artifacts: readonly ArtifactReport[]): AuditSummary {
  const summary: AuditSummary = { files: artifacts.length, pe: 0, valid: 0, invalid: 0, untrusted: 0, unsigned: 0, malformed: 0, errors: 0, violations: 0, policyMet: true };
  const packages = { total: 0, valid: 0, invalid: 0, untrusted: 0, unsigned: 0, malformed: 0 };
  for (const a of artifacts) {
    if (a.format === 'pe') summary.pe++;
    if (a.error !== null) summary.errors++;
    const status = a.signature?.status;
    if (status !== undefined && a.format === 'pe') summary[status]++;
    else if (status !== undefined) {
      packages.total++;
      packages[status]++;
    }
    if (violatesPolicy(a)) summary.violations++;
  }
  summary.packages = packages;
  summary.policyMet = summary.violations === 0;
  return summary;
}
