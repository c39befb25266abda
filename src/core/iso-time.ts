/**
 * `--at` times: ISO 8601 calendar dates and date-times only (the profile of RFC 3339 §5.6, plus a date alone,
 * taken as midnight UTC). `new Date()` alone accepts "1" (2001-01-01) and rolls "2024-02-30" over to March 1:
 * an audit judged at a time the user did not mean.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/** The instant `text` names, or undefined when it is not a valid ISO 8601 date or date-time with a time zone. */
export function parseISOTime(text: string): Date | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (h !== undefined) {
    // A date-time needs its zone (Z or ±hh:mm): without one it would mean this machine's local time.
    if (zone === undefined || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
    const offset = /^[+-](\d{2}):?(\d{2})$/.exec(zone);
    if (offset !== null && (Number(offset[1]) > 23 || Number(offset[2]) > 59)) return undefined;
  }
  const date = new Date(h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.trim().replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
