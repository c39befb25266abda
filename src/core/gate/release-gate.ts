/**
 * The release gate: may this release roll out? An update server or a CI job holds the rollout
 * until it passes. Pure: the stored audit, the verdicts that stand now (newest answer per engine)
 * and the open cases come in; `{ pass, reasons }` goes out, each reason with a stable code.
 */
import { violatesPolicy } from '../audit-summary.ts';
import type { ArtifactReport } from '../audit.types.ts';
import { canonicalEngineName } from '../detections/index.ts';
import type { ReleaseDetail } from '../releases/release.types.ts';
import { isDetection, type Verdict } from '../scans/scan.types.ts';

export const GATE_SCHEMA = 'absolve.gate/v1';

export interface GatePolicy {
  /** The most engines that may flag any one file (0: none may). */
  maxFlaggingEngines: number;
  /** Engines that must not flag any file whatever the count, e.g. Microsoft (Defender ships with Windows). */
  mustBeClean: string[];
  /** Every PE and Windows Installer package validly signed, as the stored audit judged it. */
  requireValidSignatures: boolean;
  /** SHA-1 or SHA-256 thumbprints; when set, every signed file's signer must be one of them. */
  pinnedSigners: string[];
  /** A release whose files were never scanned fails ("not scanned" is not "clean"). */
  requireScan: boolean;
  /** Open false-positive cases (not resolved) block the rollout. */
  openCasesBlock: boolean;
}

export const DEFAULT_GATE_POLICY: GatePolicy = {
  maxFlaggingEngines: 0,
  mustBeClean: ['Microsoft'],
  requireValidSignatures: true,
  pinnedSigners: [],
  requireScan: true,
  openCasesBlock: false,
};

export type GateReasonCode = 'DETECTIONS' | 'MUST_BE_CLEAN' | 'SIGNATURE_POLICY' | 'SIGNER_NOT_PINNED' | 'NOT_SCANNED' | 'OPEN_CASES';

export interface GateReason {
  code: GateReasonCode;
  message: string;
  /** The release paths concerned. */
  files: string[];
}

export interface GateResult {
  schema: typeof GATE_SCHEMA;
  product: string;
  version: string;
  pass: boolean;
  reasons: GateReason[];
  policy: GatePolicy;
}

export interface GateInput {
  release: ReleaseDetail;
  /** sha256 → the verdicts that stand now. */
  verdicts: ReadonlyMap<string, readonly Verdict[]>;
  /** Open cases of the release (count per file path), when cases are known. */
  openCases?: ReadonlyArray<{ path: string; vendor: string }>;
}

function signerThumbprints(a: ArtifactReport): string[] {
  const s = a.signature?.signer;
  return s === null || s === undefined ? [] : [s.thumbprintSha1.toUpperCase(), s.thumbprintSha256.toUpperCase()];
}

export function evaluateGate(input: GateInput, policy: GatePolicy): GateResult {
  const reasons: GateReason[] = [];
  const { release } = input;
  const mustBeClean = new Set(policy.mustBeClean.map((e) => canonicalEngineName(e)));

  const over: string[] = [];
  const overDetail: string[] = [];
  const dirty = new Map<string, string[]>();
  const unscanned: string[] = [];
  for (const a of release.artifacts) {
    const verdicts = input.verdicts.get(a.sha256);
    if (verdicts === undefined || verdicts.length === 0) {
      // Members that cannot hold code were never scan targets: only PEs, packages and top-level files must be scanned.
      if (!a.path.includes('!/') || a.format === 'pe' || a.container !== undefined) unscanned.push(a.path);
      continue;
    }
    const flagging = [...new Set(verdicts.filter((v) => isDetection(v.category)).map((v) => v.engine))].sort();
    if (flagging.length > policy.maxFlaggingEngines) {
      over.push(a.path);
      overDetail.push(`${a.path} (${flagging.length}: ${flagging.join(', ')})`);
    }
    for (const engine of flagging) {
      if (!mustBeClean.has(canonicalEngineName(engine))) continue;
      const list = dirty.get(engine) ?? [];
      list.push(a.path);
      dirty.set(engine, list);
    }
  }
  if (over.length > 0) {
    reasons.push({ code: 'DETECTIONS', message: `${over.length} file(s) flagged by more than ${policy.maxFlaggingEngines} engine(s): ${overDetail.join('; ')}`, files: over });
  }
  for (const [engine, files] of dirty) reasons.push({ code: 'MUST_BE_CLEAN', message: `${engine} must not flag any file and flags ${files.join(', ')}`, files });
  if (policy.requireScan && unscanned.length > 0) {
    reasons.push({ code: 'NOT_SCANNED', message: `${unscanned.length} file(s) have no scan answer yet (run 'absolve scan --release ${release.header.product}@${release.header.version}'): ${unscanned.join(', ')}`, files: unscanned });
  }
  if (policy.requireValidSignatures) {
    const bad = release.artifacts.filter((a) => violatesPolicy(a));
    if (bad.length > 0) {
      reasons.push({ code: 'SIGNATURE_POLICY', message: `${bad.length} file(s) not validly signed: ${bad.map((a) => `${a.path} (${a.signature?.status ?? a.error?.code ?? 'unreadable'})`).join(', ')}`, files: bad.map((a) => a.path) });
    }
  }
  if (policy.pinnedSigners.length > 0) {
    const pins = new Set(policy.pinnedSigners.map((p) => p.replace(/[:\s]/g, '').toUpperCase()));
    const foreign = release.artifacts.filter((a) => signerThumbprints(a).length > 0 && !signerThumbprints(a).some((t) => pins.has(t)));
    if (foreign.length > 0) {
      reasons.push({ code: 'SIGNER_NOT_PINNED', message: `signed by a certificate that is not pinned: ${foreign.map((a) => `${a.path} (${a.signature?.signer?.subject ?? '?'})`).join(', ')}`, files: foreign.map((a) => a.path) });
    }
  }
  if (policy.openCasesBlock && input.openCases !== undefined && input.openCases.length > 0) {
    const files = [...new Set(input.openCases.map((c) => c.path))];
    reasons.push({ code: 'OPEN_CASES', message: `${input.openCases.length} false-positive case(s) still open (${[...new Set(input.openCases.map((c) => c.vendor))].join(', ')})`, files });
  }
  return { schema: GATE_SCHEMA, product: release.header.product, version: release.header.version, pass: reasons.length === 0, reasons, policy };
}
