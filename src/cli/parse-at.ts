import { AbsolveError } from '../core/errors.ts';
import { parseISOTime } from '../core/iso-time.ts';

/** `--at`: a valid ISO 8601 date or date-time with its zone, or USAGE. */
export function parseAtOption(text: string): Date {
  const at = parseISOTime(text);
  if (at === undefined) throw new AbsolveError('USAGE', `--at takes an ISO 8601 time: a date, or a date and time with its zone, such as 2026-01-31 or 2026-01-31T12:00:00Z (got '${text}')`);
  return at;
}
