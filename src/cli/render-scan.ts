/**
 * Scan reports as a person reads them (table), as a pull-request comment (Markdown) and as data
 * (JSON, schema absolve.scan/v1). Each file gets its count (`3/70`: engines flagging it / engines
 * that answered), then one line per detection with the classifier's reading of the name.
 */
import type { DeliveryOutcome } from '../core/alerts/alerts.ts';
import type { DetectionEvent } from '../core/monitor/detection-events.ts';
import { describeDetections, type ScanReport, type ScannedFile } from '../core/scans/scan-report.ts';
import { isDetection, type Verdict } from '../core/scans/scan.types.ts';
import { escapeForDisplay } from '../binary/index.ts';
import { shortenMiddle, wrapHanging } from './render-audit.ts';
import { mdEscape } from './render-markdown.ts';

/** Names from disk, archives and engines go through the one escaping of printed text (control and bidi characters shown as escapes). */
export function printable(text: string): string {
  return escapeForDisplay(text);
}

function label(v: Verdict): string {
  const c = v.classification;
  if (c === null) return '';
  return c.generic ? `${c.kind}, generic` : c.family === undefined ? c.kind : `${c.kind}: ${c.family}`;
}

function count(file: ScannedFile): string {
  return `${file.flagged}/${file.answered}`;
}

function unansweredOf(file: ScannedFile): Verdict[] {
  return file.verdicts.filter((v) => v.category === 'failure' || v.category === 'timeout');
}

/**
 * The table fitted to `width` columns: one line per file (path shortened in the middle when needed, then
 * `flagged/answered`), what its detections amount to, and one indented line per detection or missing answer,
 * wrapped under it.
 */
export function renderScanTable(report: ScanReport & { skipped?: ReadonlyArray<{ path: string; reason: string }>; events?: readonly DetectionEvent[]; alerts?: DeliveryOutcome }, width = 80): string {
  const lines: string[] = [];
  // The count column holds `flagged/answered` (at most 7 characters for 70+ engines) and a `(reused)` mark.
  const pathWidth = Math.max(12, Math.min(width - 'FLAGGED'.length - 2 - ' (reused)'.length, report.files.reduce((w, f) => Math.max(w, printable(f.path).length), 4)));
  const indent = '    ';
  /** A line under the file's row: indented, wrapped within the width, continuation lines indented further. */
  const sub = (text: string): string[] => wrapHanging(text, Math.max(20, width - indent.length), '  ').map((l) => `${indent}${l}`);
  lines.push(`${'FILE'.padEnd(pathWidth)}  FLAGGED`);
  for (const file of report.files) {
    const hits = file.verdicts.filter((v) => isDetection(v.category));
    lines.push(`${shortenMiddle(printable(file.path), pathWidth).padEnd(pathWidth)}  ${count(file)}${file.reused ? ' (reused)' : ''}`);
    if (hits.length > 0) lines.push(...sub(describeDetections(file.verdicts)));
    for (const v of hits) lines.push(...sub(`${printable(v.engine)}: ${printable(v.result ?? '')}${label(v) === '' ? '' : ` [${label(v)}]`}`));
    for (const v of unansweredOf(file)) lines.push(...sub(`${printable(v.engine)}: no answer (${v.category}: ${printable(v.detail ?? '')})`));
  }
  for (const s of report.skipped ?? []) lines.push(...wrapHanging(`not scanned: ${printable(s.path)}: ${printable(s.reason)}`, width, indent));
  const pathOf = new Map(report.files.map((f) => [f.sha256, f.path]));
  for (const e of report.events ?? []) lines.push(...wrapHanging(`event ${e.kind}: ${printable(pathOf.get(e.sha256) ?? e.sha256)} (${e.via}: ${describeChange(e)})`, width, indent));
  const a = report.alerts;
  if (a !== undefined) lines.push(`alerts: ${a.delivered.length} delivered, ${a.retrying.length} to retry, ${a.givenUp.length} given up`);
  const summary = report.summary;
  lines.push('');
  lines.push(...wrapHanging(`scan ${report.id}: ${summary.files} file(s), engines ${report.engines.join(', ')}`, width, indent));
  lines.push(...wrapHanging(summary.verdict, width, indent));
  return `${lines.join('\n')}\n`;
}

/** Markdown-safe and free of control characters. */
function md(text: string): string {
  return mdEscape(printable(text));
}

export function describeChange(e: DetectionEvent): string {
  return `${e.before.length === 0 ? 'none' : e.before.join(', ')} → ${e.after.length === 0 ? 'none' : e.after.join(', ')}`;
}

export function renderScanJSON(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Rows of the Markdown table and lines of its "No answer" list. A release of thousands of files would otherwise make
 * a comment or CI job summary too long to post (GitHub takes at most 1 MiB per step summary); the counts above the
 * table still cover every file.
 */
export const SCAN_MARKDOWN_MAX_ROWS = 50;

export function renderScanMarkdown(report: ScanReport & { skipped?: ReadonlyArray<{ path: string; reason: string }> }): string {
  const s = report.summary;
  const out: string[] = [`### Absolve scan: ${s.flaggedFiles} of ${s.files} file(s) flagged`, '', md(s.verdict), ''];
  out.push('| file | flagged | detections |', '| --- | --- | --- |');
  // Flagged files first, then files with a missing answer, then the rest, each in scan order.
  const rank = (f: ScannedFile): number => (f.flagged > 0 ? 0 : unansweredOf(f).length > 0 ? 1 : 2);
  const ordered = report.files.map((file, i) => ({ file, i })).sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i).map((x) => x.file);
  for (const file of ordered.slice(0, SCAN_MARKDOWN_MAX_ROWS)) {
    const hits = file.verdicts.filter((v) => isDetection(v.category));
    const names = hits.map((v) => `${md(v.engine)}: ${md(v.result ?? '')}${label(v) === '' ? '' : ` (${label(v)})`}`).join('<br>');
    out.push(`| ${md(file.path)} | ${count(file)} | ${names === '' ? '–' : names} |`);
  }
  const rest = ordered.slice(SCAN_MARKDOWN_MAX_ROWS);
  if (rest.length > 0) {
    const restFlagged = rest.filter((f) => f.flagged > 0).length;
    out.push(`| … ${rest.length} more file(s)${restFlagged > 0 ? `, ${restFlagged} of them flagged` : ', none flagged'} (the JSON report lists them all) | | |`);
  }
  const unanswered = report.files.flatMap((f) => unansweredOf(f).map((v) => `- ${md(f.path)} ${md(v.engine)}: ${v.category} (${md(v.detail ?? '')})`));
  if (unanswered.length > 0) {
    const shown = unanswered.slice(0, SCAN_MARKDOWN_MAX_ROWS);
    if (unanswered.length > shown.length) shown.push(`- … ${unanswered.length - shown.length} more`);
    out.push('', '<details><summary>No answer</summary>', '', ...shown, '', '</details>');
  }
  out.push('', `Engines: ${report.engines.join(', ')} · scan \`${report.id}\``);
  return `${out.join('\n')}\n`;
}
