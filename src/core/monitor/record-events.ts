/**
 * After a scan: compare each file's answers, per adapter, with the answers that stood before the
 * scan, and record a detection-change event for each change (see detection-events.ts).
 */
import type { ScanStore } from '../scans/ports.ts';
import type { ScanReport } from '../scans/scan-report.ts';
import type { EngineVia, Verdict } from '../scans/scan.types.ts';
import { detectionEvent, type DetectionEvent } from './detection-events.ts';
import type { EventStore } from './ports.ts';

export async function recordDetectionEvents(report: Pick<ScanReport, 'id' | 'finishedAt' | 'startedAt' | 'files'>, scans: ScanStore, events: EventStore): Promise<DetectionEvent[]> {
  /** via → sha256 → this scan's verdicts */
  const current = new Map<EngineVia, Map<string, Verdict[]>>();
  for (const file of report.files) {
    for (const v of file.verdicts) {
      let bySample = current.get(v.via);
      if (bySample === undefined) current.set(v.via, (bySample = new Map<string, Verdict[]>()));
      const list = bySample.get(file.sha256) ?? [];
      if (!bySample.has(file.sha256) || !list.some((x) => x.engine === v.engine)) bySample.set(file.sha256, [...list, v]);
    }
  }
  const at = report.finishedAt ?? report.startedAt;
  const found: DetectionEvent[] = [];
  for (const [via, bySample] of current) {
    const previous = await scans.previousVerdicts([...bySample.keys()], via, report.id);
    for (const [sha256, verdicts] of bySample) {
      const before = previous.get(sha256);
      if (before === undefined) continue; // the first answer for this file: nothing to compare with
      const event = detectionEvent({ id: report.id, at }, before.scanId, sha256, via, before.verdicts, verdicts);
      if (event !== undefined) found.push(event);
    }
  }
  const fresh = new Set(await events.recordEvents(found));
  return found.filter((e) => fresh.has(e.id));
}
