/**
 * `absolve scan --format markdown` (the scan's part of the action's job summary) stays bounded for a release of
 * many files: flagged files first, at most SCAN_MARKDOWN_MAX_ROWS rows and "No answer" lines, the rest counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderScanMarkdown, SCAN_MARKDOWN_MAX_ROWS } from '../../src/cli/render-scan.ts';
import { summarizeScan, type ScannedFile, type ScanReport } from '../../src/core/scans/scan-report.ts';
import { SCAN_SCHEMA, type Verdict } from '../../src/core/scans/scan.types.ts';

function verdict(engine: string, category: Verdict['category'], result: string | null = null): Verdict {
  return { engine, via: 'virustotal', category, result, engineVersion: null, definitionsDate: null, scannedAt: '2026-12-01T00:00:00.000Z', classification: null, ...(category === 'failure' ? { detail: 'HTTP 500' } : {}) };
}

function file(i: number, verdicts: Verdict[]): ScannedFile {
  const flagged = verdicts.filter((v) => v.category === 'malicious' || v.category === 'suspicious').length;
  const answered = verdicts.filter((v) => v.category !== 'failure' && v.category !== 'timeout' && v.category !== 'type-unsupported').length;
  return { ordinal: i, path: `bin/file${i}.dll`, parentPath: null, sha256: i.toString(16).padStart(64, '0'), size: 1, verdicts, reused: false, flagged, answered };
}

function report(files: ScannedFile[]): ScanReport {
  const detail = { id: 'scan-1', startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:01:00.000Z', trigger: 'cli' as const, engines: ['virustotal'], release: null, inputs: ['dist'], files };
  return { schema: SCAN_SCHEMA, tool: { name: 'absolve', version: '0.1.0' }, ...detail, summary: summarizeScan(files) };
}

describe('renderScanMarkdown on many files', () => {
  it('lists flagged files first, caps the rows and the no-answer lines, and counts the rest', () => {
    const n = SCAN_MARKDOWN_MAX_ROWS * 3;
    const files = Array.from({ length: n }, (_, i) =>
      file(i, i % 40 === 39 ? [verdict('Microsoft', 'malicious', 'Trojan:Win32/Wacatac.B!ml')] : i % 2 === 0 ? [verdict('Microsoft', 'failure')] : [verdict('Microsoft', 'undetected')]),
    );
    const text = renderScanMarkdown(report(files));
    const flagged = files.filter((f) => f.flagged > 0).map((f) => f.path);
    assert.match(text, new RegExp(`^### Absolve scan: ${flagged.length} of ${n} file\\(s\\) flagged`));
    const rows = text.split('\n').filter((l) => /^\| bin\//.test(l));
    assert.equal(rows.length, SCAN_MARKDOWN_MAX_ROWS);
    assert.deepEqual(rows.slice(0, flagged.length).map((r) => /^\| (\S+) /.exec(r)?.[1]), flagged, 'flagged files first, in scan order');
    assert.match(text, new RegExp(`^\\| … ${n - SCAN_MARKDOWN_MAX_ROWS} more file\\(s\\), none flagged \\(the JSON report lists them all\\) \\| \\| \\|$`, 'm'));
    const noAnswer = text.split('\n').filter((l) => /^- bin\//.test(l));
    assert.equal(noAnswer.length, SCAN_MARKDOWN_MAX_ROWS);
    assert.match(text, new RegExp(`^- … ${n / 2 - SCAN_MARKDOWN_MAX_ROWS} more$`, 'm'));
  });

  it('a flagged file past the cap is counted as flagged', () => {
    const files = Array.from({ length: SCAN_MARKDOWN_MAX_ROWS + 60 }, (_, i) => file(i, [verdict('Microsoft', 'malicious', 'X')]));
    assert.match(renderScanMarkdown(report(files)), /^\| … 60 more file\(s\), 60 of them flagged/m);
  });

  it('a small report lists every file and no "more" line', () => {
    const text = renderScanMarkdown(report([file(0, [verdict('Microsoft', 'undetected')]), file(1, [verdict('Microsoft', 'suspicious', 'HEUR')])]));
    assert.deepEqual(text.split('\n').filter((l) => /^\| bin\//.test(l)).map((l) => /^\| (\S+) /.exec(l)?.[1]), ['bin/file1.dll', 'bin/file0.dll']);
    assert.doesNotMatch(text, /more file/);
  });
});
