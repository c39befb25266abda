import type { ArtifactReport, AuditSummary } from './audit.types.ts';
import { hasPEExtension } from './pe-extensions.ts';

/**
 * The default policy: every PE and every Windows Installer package (MSI, MSP) must carry a valid
 * signature, a file whose name promises a PE must be one, and a container that cannot be read
 * (truncated, unsupported) is a violation because its contents went unchecked. I/O errors are not
 * policy violations: they make the command exit 2.
 */
export function violatesPolicy(artifact: ArtifactReport): boolean {
  if (artifact.error?.code === 'IO_ERROR') return false;
  if (artifact.format === 'pe' || artifact.format === 'msi' || artifact.format === 'msp') return artifact.error !== null || artifact.signature?.status !== 'valid';
  if (artifact.format !== 'unknown') return artifact.error !== null;
  return artifact.error !== null && hasPEExtension(artifact.path);
}

export function summarizeAudit(artifacts: readonly ArtifactReport[]): AuditSummary {
  const summary: AuditSummary = { files: artifacts.length, pe: 0, valid: 0, invalid: 0, untrusted: 0, unsigned: 0, malformed: 0, errors: 0, violations: 0, policyMet: true };
  for (const a of artifacts) {
    if (a.format === 'pe') summary.pe++;
    if (a.error !== null) summary.errors++;
    const status = a.signature?.status;
    if (status !== undefined) summary[status]++;
    if (violatesPolicy(a)) summary.violations++;
  }
  summary.policyMet = summary.violations === 0;
  return summary;
}
