import type { ArtifactReport, AuditSummary, Finding } from './audit.types.ts';
import { hasPEExtension } from './pe-extensions.ts';

/**
 * What the gate accepts knowingly: `--allow-unaudited <finding-id>` (repeatable). Every other error-level
 * container or file finding (`ABS-CONTAINER-*`, `ABS-FILE-*`) and an empty audit break the policy.
 */
export interface AuditPolicy {
  allowUnaudited: ReadonlySet<string>;
}

export const DEFAULT_AUDIT_POLICY: AuditPolicy = Object.freeze({ allowUnaudited: new Set<string>() });

/** The audit found no file at all (an empty folder): nothing was checked, so the gate does not pass silently. */
export const EMPTY_AUDIT_ID = 'ABS-AUDIT-EMPTY';

/**
 * Findings that mean "something that could hold code was not audited" (a bomb, an encrypted or unreadable member
 * named like an executable, a limit that stopped the listing, a dangling link named like one) or that the
 * container itself is hostile (path traversal). They gate like an unsigned PE.
 */
export function isGateFinding(finding: Finding): boolean {
  return finding.severity === 'error' && (finding.id.startsWith('ABS-CONTAINER-') || finding.id.startsWith('ABS-FILE-'));
}

/** The finding IDs `--allow-unaudited` accepts (checked so that a typo does not silently allow nothing). */
export function isAllowableFindingId(id: string): boolean {
  return /^ABS-(CONTAINER|FILE)-[A-Z0-9-]+$/.test(id) || id === EMPTY_AUDIT_ID;
}

/**
 * The default policy: every PE and every Windows Installer package (MSI, MSP) must carry a valid
 * signature, a file whose name promises a PE must be one, a container that cannot be read
 * (truncated, unsupported) is a violation because its contents went unchecked, and so is every
 * error-level container or file finding that `policy.allowUnaudited` does not name. I/O errors are not
 * policy violations: they make the command exit 2.
 */
export function violatesPolicy(artifact: ArtifactReport, policy: AuditPolicy = DEFAULT_AUDIT_POLICY): boolean {
  if (artifact.error?.code === 'IO_ERROR') return false;
  if (artifact.findings.some((f) => isGateFinding(f) && !policy.allowUnaudited.has(f.id))) return true;
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
export function summarizeAudit(artifacts: readonly ArtifactReport[], policy: AuditPolicy = DEFAULT_AUDIT_POLICY): AuditSummary {
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
    if (violatesPolicy(a, policy)) summary.violations++;
  }
  summary.packages = packages;
  summary.policyMet = summary.violations === 0 && (artifacts.length > 0 || policy.allowUnaudited.has(EMPTY_AUDIT_ID));
  return summary;
}
