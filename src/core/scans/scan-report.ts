/**
 * The scan report (schema `absolve.scan/v1`): which engines flag which file of a release, under
 * which name, and what the names mean. Plain data, rendered as a table, JSON or Markdown.
 */
import type { ReleaseKey } from '../releases/release.types.ts';
import { isDetection, type SCAN_SCHEMA, type Verdict } from './scan.types.ts';

export interface ScanHeader {
  id: string;
  startedAt: string;
  /** null while running (or when the scan was cut short). */
  finishedAt: string | null;
  trigger: 'cli' | 'monitor' | 'api';
  /** The engine ids asked (`virustotal`, `clamav`, …). */
  engines: string[];
  /** The release scanned, when the scan was of a stored release. */
  release: ReleaseKey | null;
  /** What was scanned, as given (paths, or `product@version`). */
  inputs: string[];
}

/** One scanned file: a top-level file or a container member (`setup.msi!/bin/app.exe`). */
export interface ScanTargetRecord {
  ordinal: number;
  path: string;
  /** The container's path for a member, null for a top-level file. */
  parentPath: string | null;
  sha256: string;
  size: number;
}

export interface ScannedFile extends ScanTargetRecord {
  verdicts: Verdict[];
  /** Verdicts that came from an earlier scan younger than the engine's maximum age. */
  reused: boolean;
  /** Engines flagging it (malicious or suspicious) / engines that gave an answer (not failure, timeout or type-unsupported). */
  flagged: number;
  answered: number;
}

export interface ScanDetail extends ScanHeader {
  files: ScannedFile[];
}

export interface ScanSummary {
  files: number;
  flaggedFiles: number;
  /** Distinct engines that flag at least one file. */
  flaggingEngines: string[];
  detections: number;
  /** Detections whose name the classifier reads as generic (ML, heuristic, reputation, catch-all signature). */
  genericDetections: number;
  /** Verdicts with no answer (failure, timeout), per engine via. */
  unanswered: number;
  /** One line a publisher can act on. */
  verdict: string;
}

export interface ScanReport extends ScanDetail {
  schema: typeof SCAN_SCHEMA;
  tool: { name: 'absolve'; version: string };
  summary: ScanSummary;
}

export function countFile(verdicts: readonly Verdict[]): { flagged: number; answered: number } {
  let flagged = 0;
  let answered = 0;
  for (const v of verdicts) {
    if (v.category === 'failure' || v.category === 'timeout' || v.category === 'type-unsupported') continue;
    answered++;
    if (isDetection(v.category)) flagged++;
  }
  return { flagged, answered };
}

/** Detections by what their names say: generic (ML, heuristic, reputation, catch-all), a named family or unwanted-software class, or not recognised. */
function kindsOf(hits: readonly Verdict[]): { generic: number; named: number; unknown: number } {
  let generic = 0;
  let named = 0;
  let unknown = 0;
  for (const v of hits) {
    if (v.classification?.generic === true) generic++;
    else if (v.classification === null || v.classification.kind === 'unknown') unknown++;
    else named++;
  }
  return { generic, named, unknown };
}

function kindWords(k: { generic: number; named: number; unknown: number }): string {
  const parts: string[] = [];
  if (k.generic > 0) parts.push(`${k.generic} generic/ML/heuristic`);
  if (k.named > 0) parts.push(`${k.named} naming a family or unwanted-software class`);
  if (k.unknown > 0) parts.push(`${k.unknown} with a name the classifier does not recognise`);
  return parts.join(', ');
}

/** What one file's detections amount to, in the words of a publisher deciding what to do. */
export function describeDetections(verdicts: readonly Verdict[]): string {
  const hits = verdicts.filter((v) => isDetection(v.category));
  if (hits.length === 0) return 'no engine flags it';
  const kinds = kindsOf(hits);
  const engines = `${hits.length} engine${hits.length === 1 ? '' : 's'}`;
  if (kinds.generic === hits.length) return `${engines}, all generic/ML/heuristic: likely false positive`;
  return `${engines}: ${kindWords(kinds)}`;
}

export function summarizeScan(files: readonly ScannedFile[]): ScanSummary {
  const flaggingEngines = new Set<string>();
  let detections = 0;
  let genericDetections = 0;
  let unanswered = 0;
  let flaggedFiles = 0;
  for (const file of files) {
    let flagged = false;
    for (const v of file.verdicts) {
      if (v.category === 'failure' || v.category === 'timeout') unanswered++;
      if (!isDetection(v.category)) continue;
      flagged = true;
      detections++;
      flaggingEngines.add(v.engine);
      if (v.classification?.generic === true) genericDetections++;
    }
    if (flagged) flaggedFiles++;
  }
  let verdict: string;
  if (detections === 0) verdict = unanswered === 0 ? `no engine flags any of the ${files.length} file(s)` : `no detection, but ${unanswered} verdict(s) gave no answer (see failures): not proven clean`;
  else if (genericDetections === detections) verdict = `${flaggedFiles} of ${files.length} file(s) flagged by ${flaggingEngines.size} engine(s), every detection generic/ML/heuristic: likely false positives — report them to the vendors and sign every binary`;
  else {
    const kinds = kindsOf(files.flatMap((f) => f.verdicts.filter((v) => isDetection(v.category))));
    verdict = `${flaggedFiles} of ${files.length} file(s) flagged by ${flaggingEngines.size} engine(s) (${kindWords(kinds)}): check the build machine, then report each detection to its vendor`;
  }
  return { files: files.length, flaggedFiles, flaggingEngines: [...flaggingEngines].sort(), detections, genericDetections, unanswered, verdict };
}
