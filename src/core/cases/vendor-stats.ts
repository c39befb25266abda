/**
 * Vendor responsiveness from the case history: per vendor, how many cases, how many resolved,
 * the median time from submission to resolution, and the share of submitted cases that got no
 * response (state `no-response`, or still waiting past their due date).
 */
import type { CaseEvent, CaseRecord } from './case.types.ts';

export const VENDOR_STATS_SCHEMA = 'absolve.vendor-stats/v1';

export interface VendorStats {
  vendor: string;
  cases: number;
  submitted: number;
  resolved: number;
  rejected: number;
  /** Median hours from first submission to resolution, over resolved cases that were submitted; null when none. */
  medianHoursToResolution: number | null;
  /** Submitted cases with no response (no-response, or submitted and overdue), divided by submitted cases; null when none was submitted. */
  noResponseShare: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function vendorStats(cases: readonly CaseRecord[], events: readonly CaseEvent[], now: Date): VendorStats[] {
  const byCase = new Map<number, CaseEvent[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  const byVendor = new Map<string, CaseRecord[]>();
  for (const c of cases) byVendor.set(c.vendor, [...(byVendor.get(c.vendor) ?? []), c]);
  const out: VendorStats[] = [];
  for (const [vendor, list] of byVendor) {
    const hours: number[] = [];
    let submitted = 0;
    let silent = 0;
    for (const c of list) {
      const history = byCase.get(c.id) ?? [];
      const firstSubmit = history.find((e) => e.kind === 'state' && e.toState === 'submitted');
      if (firstSubmit === undefined) continue;
      submitted++;
      const resolvedAt = history.find((e) => e.kind === 'state' && e.toState === 'resolved');
      if (resolvedAt !== undefined) hours.push((Date.parse(resolvedAt.at) - Date.parse(firstSubmit.at)) / 3_600_000);
      const overdue = c.state === 'submitted' && c.dueAt !== null && Date.parse(c.dueAt) < now.getTime();
      if (c.state === 'no-response' || overdue) silent++;
    }
    const m = median(hours);
    out.push({
      vendor,
      cases: list.length,
      submitted,
      resolved: list.filter((c) => c.state === 'resolved').length,
      rejected: list.filter((c) => c.state === 'rejected').length,
      medianHoursToResolution: m === null ? null : Math.round(m * 10) / 10,
      noResponseShare: submitted === 0 ? null : Math.round((silent / submitted) * 1000) / 1000,
    });
  }
  return out.sort((a, b) => b.cases - a.cases || (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : 0));
}
