/**
 * Detection changes over time, classified with VirusTotal Monitor's tags
 * (https://docs.virustotal.com/reference/monitor-events: new-detections, increasing-detections,
 * decreasing-detections, solved-detections, swapped-detections). For one file and one adapter
 * (VirusTotal's 70 engines, MetaDefender's, ClamAV, …) the set of engines flagging it in this
 * round is compared with the previous round's:
 *
 *   ∅ → non-empty: new · grows: increasing · shrinks, still non-empty: decreasing · → ∅: solved ·
 *   same count, other engines: swapped.
 *
 * An engine that gives no answer this round (failure, timeout, type-unsupported, or absent) is
 * unknown: it keeps the state it had in the previous round, so a scanner that failed never
 * "solves" a detection. An engine answering for the first time counts with its answer.
 */
import { isDetection, type EngineVia, type Verdict } from '../scans/scan.types.ts';

export type DetectionEventKind = 'new-detections' | 'increasing-detections' | 'decreasing-detections' | 'solved-detections' | 'swapped-detections';

export const DETECTION_EVENT_KINDS: readonly DetectionEventKind[] = ['new-detections', 'increasing-detections', 'decreasing-detections', 'solved-detections', 'swapped-detections'];

export interface DetectionEvent {
  /** Stable id: the scan and the (sha256, via) it is about, so recording an event twice adds nothing. */
  id: string;
  at: string;
  scanId: string;
  previousScanId: string;
  sha256: string;
  via: EngineVia;
  kind: DetectionEventKind;
  /** Engines flagging the file before and after (only engines that answered in both rounds). */
  before: string[];
  after: string[];
  /** Detection names after the change, per engine (for alerts and the dashboard). */
  results: Record<string, string>;
}

function answered(v: Verdict): boolean {
  return v.category !== 'failure' && v.category !== 'timeout' && v.category !== 'type-unsupported';
}

/** The change between two verdict sets of one file from one adapter, or undefined when nothing a publisher cares about changed. */
export function classifyDetectionChange(previous: readonly Verdict[], current: readonly Verdict[]): { kind: DetectionEventKind; before: string[]; after: string[] } | undefined {
  const flagging = (verdicts: readonly Verdict[]): Set<string> => new Set(verdicts.filter((v) => isDetection(v.category)).map((v) => v.engine));
  const answeredNow = new Set(current.filter(answered).map((v) => v.engine));
  const before = [...flagging(previous.filter(answered))].sort();
  const carried = before.filter((engine) => !answeredNow.has(engine));
  const after = [...new Set([...flagging(current.filter(answered)), ...carried])].sort();
  let kind: DetectionEventKind | undefined;
  if (before.length === 0 && after.length > 0) kind = 'new-detections';
  else if (before.length > 0 && after.length === 0) kind = 'solved-detections';
  else if (after.length > before.length) kind = 'increasing-detections';
  else if (after.length < before.length) kind = 'decreasing-detections';
  else if (after.some((e, i) => e !== before[i])) kind = 'swapped-detections';
  return kind === undefined ? undefined : { kind, before, after };
}

export function detectionEvent(
  scan: { id: string; at: string },
  previousScanId: string,
  sha256: string,
  via: EngineVia,
  previous: readonly Verdict[],
  current: readonly Verdict[],
): DetectionEvent | undefined {
  const change = classifyDetectionChange(previous, current);
  if (change === undefined) return undefined;
  const results: Record<string, string> = {};
  for (const v of current) if (isDetection(v.category) && v.result !== null && change.after.includes(v.engine)) results[v.engine] = v.result;
  return { id: `${scan.id}:${sha256}:${via}`, at: scan.at, scanId: scan.id, previousScanId, sha256, via, ...change, results };
}
