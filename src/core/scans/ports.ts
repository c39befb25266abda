/**
 * The scan history port. Scans are append-only: a scan row, the targets it covered (report paths
 * and their sha256) and every verdict, written as the engines answer, so a scan cut short by
 * Ctrl-C or a kill keeps what it paid for (API quota) and the next scan reuses it instead of
 * asking again. The SQL adapters (src/store) implement it; the contract suite is
 * test/store/scan-store-contract.ts.
 */
import type { ReleaseKey } from '../releases/release.types.ts';
import type { EngineVia, Verdict } from './scan.types.ts';
import type { ScanHeader, ScanDetail, ScanTargetRecord } from './scan-report.ts';

export interface ScanStore {
  /** Records a started scan (its id is chosen by the caller, unique). */
  beginScan(header: ScanHeader): Promise<void>;
  /** Adds the files a scan covers (report paths and sha256), as they are found. */
  addTargets(scanId: string, targets: readonly ScanTargetRecord[]): Promise<void>;
  /** Appends the verdicts of one engine on one sample to a scan; a repeat of the same (sha256, via, engine) replaces nothing and adds nothing. */
  addVerdicts(scanId: string, sha256: string, verdicts: readonly Verdict[], reused: boolean): Promise<void>;
  /** Marks the scan finished. */
  finishScan(scanId: string, finishedAt: string): Promise<void>;
  /**
   * For each sha256, the newest complete set of answers one adapter (`via`) gave at or after
   * `notBefore`, from any scan: what a new scan may reuse instead of asking the service again.
   * Sets that hold no answer (only failure/timeout verdicts) are never returned.
   */
  freshVerdicts(sha256s: readonly string[], via: EngineVia, notBefore: string): Promise<Map<string, Verdict[]>>;
  /**
   * For each sha256, per engine of `via`, its newest answer (not failure/timeout/type-unsupported)
   * recorded before the scan `scanId` started, in other scans (reused copies included: they are the
   * answer that stood), with the newest of those scans' id: what this scan's answers are compared
   * with to find detection changes. An engine that failed since keeps the state it last had.
   */
  previousVerdicts(sha256s: readonly string[], via: EngineVia, scanId: string): Promise<Map<string, { scanId: string; verdicts: Verdict[] }>>;
  /** For each sha256, per (via, engine), the newest answer ever recorded: what stands now (the release gate reads it). */
  currentVerdicts(sha256s: readonly string[]): Promise<Map<string, Verdict[]>>;
  /** Newest first; one release's scans, or all. */
  listScans(options: { release?: ReleaseKey; limit?: number }): Promise<ScanHeader[]>;
  getScan(scanId: string): Promise<ScanDetail | undefined>;
}
