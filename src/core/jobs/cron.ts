/**
 * Cron schedules (the 5-field form of crontab(5): minute hour day-of-month month day-of-week,
 * in UTC), for `monitor.schedule` in absolve.config.json. The same text goes to pg-boss's
 * `schedule()` (cron-parser, UTC by default), so only what both read alike is accepted: numbers,
 * `*`, ranges `a-b`, lists `a,b`, steps `*\/n` and `a-b/n`; day-of-week 0–7 (0 and 7 are Sunday).
 * As in crontab(5), when both day fields are restricted a day matching either one runs.
 *
 * Pure: `nextCronTime` takes a time and returns the next one, so tests drive it with any clock.
 */

export interface CronSchedule {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Whether the day fields were `*` (crontab's rule for combining them). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

export class CronError extends Error {
  override readonly name = 'CronError';
  readonly code = 'CRON_INVALID' as const;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

function field(text: string, spec: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (m === null) throw new CronError(`the ${spec.name} field '${text}' is not a number, *, a range a-b, a list or a step (*/n)`);
    const step = m[4] === undefined ? 1 : Number(m[4]);
    let lo = m[1] === '*' ? spec.min : Number(m[2]);
    const hi = m[1] === '*' ? spec.max : m[3] === undefined ? (m[4] === undefined ? lo : spec.max) : Number(m[3]);
    if (lo < spec.min || hi > spec.max || lo > hi) throw new CronError(`the ${spec.name} field '${text}' is outside ${spec.min}-${spec.max}`);
    if (step < 1) throw new CronError(`the ${spec.name} field '${text}' has a step of 0`);
    for (; lo <= hi; lo += step) out.add(lo);
  }
  return out;
}

export function parseCron(source: string): CronSchedule {
  if (source.length > 200) throw new CronError('a cron schedule is at most 200 characters');
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`'${source}' is not a 5-field cron schedule (minute hour day-of-month month day-of-week, e.g. "0 3 * * *")`);
  const [mi = '', h = '', dom = '', mon = '', dow = ''] = parts;
  const daysOfWeek = field(dow, FIELDS[4]);
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    source,
    minutes: field(mi, FIELDS[0]),
    hours: field(h, FIELDS[1]),
    daysOfMonth: field(dom, FIELDS[2]),
    months: field(mon, FIELDS[3]),
    daysOfWeek,
    anyDayOfMonth: dom === '*',
    anyDayOfWeek: dow === '*',
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  if (!s.months.has(d.getUTCMonth() + 1)) return false;
  const dom = s.daysOfMonth.has(d.getUTCDate());
  const dow = s.daysOfWeek.has(d.getUTCDay());
  if (s.anyDayOfMonth && s.anyDayOfWeek) return true;
  if (s.anyDayOfMonth) return dow;
  if (s.anyDayOfWeek) return dom;
  return dom || dow;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The first minute strictly after `after` that the schedule names (UTC), or undefined when none
 * comes within 8 years (e.g. `0 0 31 2 *`: February never has a 31st).
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const limit = t + 8 * 366 * DAY;
  while (t < limit) {
    const d = new Date(t);
    if (!dayMatches(schedule, d)) {
      t = Math.floor(t / DAY) * DAY + DAY; // next midnight UTC
      continue;
    }
    if (!schedule.hours.has(d.getUTCHours())) {
      t = Math.floor(t / (60 * MINUTE)) * 60 * MINUTE + 60 * MINUTE;
      continue;
    }
    if (!schedule.minutes.has(d.getUTCMinutes())) {
      t += MINUTE;
      continue;
    }
    return d;
  }
  return undefined;
}

/** The default monitor schedule: every day at 03:00 UTC. */
export const DEFAULT_MONITOR_SCHEDULE = '0 3 * * *';
