/**
 * Opening cases from a release's stored detections, and resolving them when the detection goes.
 *
 * `openCasesForRelease` reads the newest scan of the release and drafts one false-positive case
 * per (vendor, file sha256): every malicious or suspicious verdict counts; an OEM engine's
 * detection joins its upstream vendor's case when the upstream flags the same file (one
 * BitDefender case covers GData, Emsisoft, … on that file). The store opens each draft once;
 * running it again opens nothing twice.
 *
 * `resolveGoneDetections` looks at every scan of the release: a case resolves itself when, for
 * every engine it covers, the newest answer about its file is "not detected". An engine that
 * failed, timed out or could not handle the type gave no answer: it is unknown, never solved.
 */
import { compareText, type ReleaseKey } from '../releases/release.types.ts';
import type { ScanStore } from '../scans/ports.ts';
import type { ScanDetail } from '../scans/scan-report.ts';
import { isDetection, type Verdict } from '../scans/scan.types.ts';
import type { VendorDirectory } from '../vendors/vendor-directory.ts';
import { isOpenState, type CaseDetection, type CaseDraft, type CaseRecord } from './case.types.ts';
import { CaseError } from './errors.ts';
import type { CaseStore } from './ports.ts';

export interface OpenCasesResult {
  release: ReleaseKey;
  scanId: string;
  opened: CaseRecord[];
  existing: CaseRecord[];
  resolved: CaseRecord[];
}

function detectionOf(v: Verdict, scanId: string): CaseDetection {
  return {
    engine: v.engine,
    category: v.category === 'suspicious' ? 'suspicious' : 'malicious',
    result: v.result,
    reading: v.classification === null ? null : { kind: v.classification.kind, generic: v.classification.generic, explanation: v.classification.explanation },
    scannedAt: v.scannedAt,
    scanId,
  };
}

/** The drafts a scan's detections call for, in file order then vendor name. */
export function draftCasesFromScan(scan: ScanDetail, release: ReleaseKey, directory: VendorDirectory): CaseDraft[] {
  const drafts = new Map<string, CaseDraft>();
  for (const file of scan.files) {
    const detections = file.verdicts.filter((v) => isDetection(v.category));
    if (detections.length === 0) continue;
    const flagging = detections.map((v) => v.engine);
    const byVendor = new Map<string, Verdict[]>();
    for (const v of detections) {
      const vendor = directory.vendorFor(v.engine, flagging)?.engine ?? v.engine.trim();
      byVendor.set(vendor, [...(byVendor.get(vendor) ?? []), v]);
    }
    for (const [vendor, verdicts] of [...byVendor].sort(([a], [b]) => compareText(a, b))) {
      const key = `${vendor}\u0000${file.sha256}`;
      const existing = drafts.get(key);
      const found = verdicts.map((v) => detectionOf(v, scan.id));
      if (existing !== undefined) {
        // The same bytes at another path of the release: one case, every engine once.
        for (const d of found) if (!existing.detections.some((e) => e.engine === d.engine)) existing.detections.push(d);
        continue;
      }
      const names = found.map((d) => `${d.engine}: ${d.result ?? d.category}`).join('; ');
      drafts.set(key, { kind: 'false-positive', vendor, subject: file.sha256, release, path: file.path, detections: found, summary: `${file.path} flagged (${names})` });
    }
  }
  return [...drafts.values()];
}

export interface CaseUseCaseDeps {
  cases: CaseStore;
  scans: ScanStore;
  now(): Date;
}

export async function openCasesForRelease(deps: CaseUseCaseDeps & { directory: VendorDirectory }, release: ReleaseKey): Promise<OpenCasesResult> {
  const [latest] = await deps.scans.listScans({ release, limit: 1 });
  const scan = latest === undefined ? undefined : await deps.scans.getScan(latest.id);
  if (scan === undefined) {
    throw new CaseError('CASE_NO_SCAN', `${release.product}@${release.version} has no stored scan: run 'absolve scan --release ${release.product}@${release.version}' first`);
  }
  // Resolve first: a detection gone in this scan must not be re-opened as a new case.
  const resolved = await resolveGoneDetections(deps, release);
  const drafts = draftCasesFromScan(scan, release, deps.directory);
  const { opened, existing } = await deps.cases.openCases(drafts, deps.now().toISOString());
  return { release, scanId: scan.id, opened, existing, resolved };
}

/** For each (sha256, engine): the newest answer (detected or not) across the scans, by the engine's own scan time. */
function newestAnswers(scans: readonly ScanDetail[]): Map<string, Verdict> {
  const newest = new Map<string, Verdict>();
  for (const scan of scans) {
    for (const file of scan.files) {
      for (const v of file.verdicts) {
        if (v.category === 'failure' || v.category === 'timeout' || v.category === 'type-unsupported') continue; // no answer: unknown
        const key = `${file.sha256}\u0000${v.engine}`;
        const seen = newest.get(key);
        if (seen === undefined || compareText(v.scannedAt, seen.scannedAt) > 0) newest.set(key, v);
      }
    }
  }
  return newest;
}

/** Resolves the open false-positive cases of a release whose every covered engine now answers "not detected". */
export async function resolveGoneDetections(deps: CaseUseCaseDeps, release: ReleaseKey): Promise<CaseRecord[]> {
  const open = (await deps.cases.listCases({ release, kind: 'false-positive' })).filter((c) => isOpenState(c.state));
  if (open.length === 0) return [];
  const headers = await deps.scans.listScans({ release });
  const scans: ScanDetail[] = [];
  for (const h of headers) {
    const detail = await deps.scans.getScan(h.id);
    if (detail !== undefined) scans.push(detail);
  }
  const newest = newestAnswers(scans);
  const resolved: CaseRecord[] = [];
  for (const c of open) {
    const answers = c.detections.map((d) => ({ detection: d, answer: newest.get(`${c.subject}\u0000${d.engine}`) }));
    const gone = answers.every(({ detection, answer }) => answer !== undefined && !isDetection(answer.category) && compareText(answer.scannedAt, detection.scannedAt) > 0);
    if (!gone) continue;
    const evidence = answers.map(({ detection, answer }) => `${detection.engine} ${answer?.category ?? '?'} at ${answer?.scannedAt ?? '?'}`).join(', ');
    try {
      resolved.push(await deps.cases.updateCase(c.id, { at: deps.now().toISOString(), state: 'resolved', note: `detection gone in a later scan (${evidence})` }, c.state));
    } catch (error) {
      if (error instanceof CaseError && error.code === 'CASE_STATE_CONFLICT') continue; // someone else moved it: leave it to them
      throw error;
    }
  }
  return resolved;
}
