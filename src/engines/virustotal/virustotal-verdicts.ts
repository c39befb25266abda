/**
 * VirusTotal's per-engine results → verdicts. The shape is the same in a file object's
 * `last_analysis_results`, an analysis object's `results` and a Monitor item's
 * `last_analysis_results`: `{<engine>: {category, engine_name, engine_version, engine_update, method, result}}`
 * (https://docs.virustotal.com/reference/analyses-object, https://docs.virustotal.com/reference/monitor-items-stat).
 */
import { makeVerdict, noAnswerVerdict, type Verdict, type VerdictCategory } from '../../core/scans/index.ts';
import { isRecord } from '../cloud/cloud-http.ts';

/** The engine name of verdicts about the service itself (unknown file, bad key, quota, server down). */
export const VIRUSTOTAL = 'VirusTotal';

/**
 * VT's `category` → ours. VT documents `confirmed-timeout`, `timeout`, `failure`, `harmless`,
 * `undetected`, `suspicious`, `malicious`, `type-unsupported`; `confirmed-timeout` is a timeout.
 * Anything else (a category VT adds later) is a failure rather than a guess at "clean".
 */
export function vtCategory(category: unknown): { category: VerdictCategory; known: boolean } {
  switch (category) {
    case 'malicious':
    case 'suspicious':
    case 'undetected':
    case 'harmless':
    case 'type-unsupported':
    case 'timeout':
    case 'failure':
      return { category, known: true };
    case 'confirmed-timeout':
      return { category: 'timeout', known: true };
    default:
      return { category: 'failure', known: false };
  }
}

/** `engine_update` is `%Y%m%d` ("20240115"); an ISO date is what the store and reports expect. */
export function vtDefinitionsDate(update: unknown): string | null {
  if (typeof update !== 'string' || update.length === 0) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(update);
  return m === null ? update : `${m[1]}-${m[2]}-${m[3]}`;
}

/** VT dates are Unix seconds. */
export function vtDate(seconds: unknown, fallback: string): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : fallback;
}

/** One verdict per engine of a `last_analysis_results` / `results` dictionary (empty when VT has none yet). */
export function vtResultsToVerdicts(results: unknown, scannedAt: string, service = VIRUSTOTAL): Verdict[] {
  if (!isRecord(results)) return [];
  const verdicts: Verdict[] = [];
  for (const [key, value] of Object.entries(results).sort(([a], [b]) => a.localeCompare(b))) {
    if (!isRecord(value)) continue;
    const engine = typeof value.engine_name === 'string' && value.engine_name.length > 0 ? value.engine_name : key;
    const { category, known } = vtCategory(value.category);
    let result = typeof value.result === 'string' && value.result.length > 0 ? value.result : null;
    // A detection always carries a name in our reports; VT very rarely leaves it empty.
    if (result === null && (category === 'malicious' || category === 'suspicious')) result = `${category} (no name reported)`;
    if (category === 'undetected' || category === 'harmless' || category === 'type-unsupported') result = null;
    const fields = {
      engine,
      via: 'virustotal' as const,
      category,
      result: category === 'timeout' || category === 'failure' ? null : result,
      engineVersion: typeof value.engine_version === 'string' && value.engine_version.length > 0 ? value.engine_version : null,
      definitionsDate: vtDefinitionsDate(value.engine_update),
      scannedAt,
    };
    if (category === 'timeout' || category === 'failure') {
      const reported = typeof value.category === 'string' ? value.category.replace(/[^\x20-\x7e]/g, '?').slice(0, 40) : 'no category';
      verdicts.push(makeVerdict({ ...fields, detail: known ? `${service} reported ${reported} for this engine` : `${service} reported an unknown category (${reported})` }));
    } else verdicts.push(makeVerdict(fields));
  }
  return verdicts;
}

export function vtServiceVerdict(category: 'failure' | 'timeout', detail: string, scannedAt: string): Verdict {
  return noAnswerVerdict(VIRUSTOTAL, 'virustotal', category, detail, scannedAt);
}
