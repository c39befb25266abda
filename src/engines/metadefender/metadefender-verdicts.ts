/**
 * MetaDefender Cloud v4 per-engine results → verdicts. A report's
 * `scan_results.scan_details.<Engine> = {scan_result_i, threat_found, def_time, scan_time, wait_time}`
 * (https://onlinehelp.opswat.com/mdcloud/2.2_Retrieving_scan_reports_using_data_ID.html); the
 * per-engine codes are MetaDefender's scan result codes
 * (https://www.opswat.com/docs/mdcloud/integrations/description-on-scan-result-codes and, for the
 * engine-level values, https://www.opswat.com/docs/mdcore/metascan-engines/av-engine-return-code).
 */
import { makeVerdict, noAnswerVerdict, type Verdict, type VerdictCategory } from '../../core/scans/index.ts';
import { isRecord } from '../cloud/cloud-http.ts';

export const METADEFENDER = 'MetaDefender';

/**
 * `scan_result_i` → category, with the code's documented name. Codes that mean "a threat was found"
 * (infected, cleaned, quarantined, skipped infected) are malicious; suspicious and potentially
 * unwanted (PUA/PUP) are suspicious; codes saying the engine could not look inside (archive depth,
 * size or file count exceeded, encrypted, password protected, unsupported type) are
 * type-unsupported; an archive timeout is a timeout; everything else (failed, unknown, not
 * scanned, aborted, cancelled, a mismatch, a code we do not know) is a failure, never clean.
 */
export const MD_RESULT_CODES: Readonly<Record<number, { category: VerdictCategory; name: string }>> = {
  0: { category: 'undetected', name: 'no threat found' },
  1: { category: 'malicious', name: 'infected' },
  2: { category: 'suspicious', name: 'suspicious' },
  3: { category: 'failure', name: 'failed to scan' },
  4: { category: 'malicious', name: 'cleaned' },
  5: { category: 'failure', name: 'unknown' },
  6: { category: 'malicious', name: 'quarantined' },
  7: { category: 'undetected', name: 'skipped clean' },
  8: { category: 'malicious', name: 'skipped infected' },
  9: { category: 'type-unsupported', name: 'exceeded archive depth' },
  10: { category: 'failure', name: 'not scanned' },
  11: { category: 'failure', name: 'aborted' },
  12: { category: 'type-unsupported', name: 'encrypted' },
  13: { category: 'type-unsupported', name: 'exceeded archive size' },
  14: { category: 'type-unsupported', name: 'exceeded archive file number' },
  15: { category: 'type-unsupported', name: 'password protected document' },
  16: { category: 'timeout', name: 'exceeded archive timeout' },
  17: { category: 'failure', name: 'file type mismatch' },
  19: { category: 'failure', name: 'cancelled' },
  22: { category: 'suspicious', name: 'potentially unwanted program' },
  23: { category: 'type-unsupported', name: 'unsupported file type' },
};

export function mdCategory(code: unknown): { category: VerdictCategory; name: string } {
  if (typeof code === 'number' && Number.isInteger(code)) {
    const known = MD_RESULT_CODES[code];
    if (known !== undefined) return known;
    return { category: 'failure', name: `code ${code}` };
  }
  return { category: 'failure', name: 'no result code' };
}

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/** One verdict per engine of a report's `scan_details` (empty when there are none). */
export function mdDetailsToVerdicts(details: unknown, fallbackScannedAt: string): Verdict[] {
  if (!isRecord(details)) return [];
  const verdicts: Verdict[] = [];
  for (const [engine, value] of Object.entries(details).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isRecord(value) || engine.length === 0) continue;
    const { category, name } = mdCategory(value.scan_result_i);
    let result = typeof value.threat_found === 'string' && value.threat_found.length > 0 ? value.threat_found : null;
    if (result === null && (category === 'malicious' || category === 'suspicious')) result = `${name} (no name reported)`;
    if (category !== 'malicious' && category !== 'suspicious') result = null;
    const fields = {
      engine,
      via: 'metadefender' as const,
      category,
      result,
      engineVersion: null,
      definitionsDate: isoOrNull(value.def_time),
      scannedAt: fallbackScannedAt,
    };
    verdicts.push(category === 'failure' || category === 'timeout' || category === 'type-unsupported' ? makeVerdict({ ...fields, detail: `MetaDefender reported ${name} (scan_result_i ${String(value.scan_result_i)}) for this engine` }) : makeVerdict(fields));
  }
  return verdicts;
}

/** Verdicts of a full report (`GET /v4/hash/{hash}`, `GET /v4/file/{data_id}`, a bulk entry with details). */
export function mdReportToVerdicts(report: Record<string, unknown>, now: string): Verdict[] {
  const results = isRecord(report.scan_results) ? report.scan_results : report;
  const scannedAt = isoOrNull(results.start_time) ?? now;
  return mdDetailsToVerdicts(results.scan_details, scannedAt);
}

export function mdServiceVerdict(category: 'failure' | 'timeout', detail: string, scannedAt: string): Verdict {
  return noAnswerVerdict(METADEFENDER, 'metadefender', category, detail, scannedAt);
}
