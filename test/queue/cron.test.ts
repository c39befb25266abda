/** cron.ts: parsing and the next run time, checked against hand-computed times and by property against a minute-by-minute walk. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CronError, nextCronTime, parseCron, type CronSchedule } from '../../src/core/jobs/cron.ts';

const next = (cron: string, after: string): string | undefined => nextCronTime(parseCron(cron), new Date(after))?.toISOString();

/** The slow, obviously right answer: walk minute by minute. */
function walk(s: CronSchedule, after: Date, limitMinutes: number): Date | undefined {
  let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < limitMinutes; i++, t += 60_000) {
    const d = new Date(t);
    const dom = s.daysOfMonth.has(d.getUTCDate());
    const dow = s.daysOfWeek.has(d.getUTCDay());
    const day = s.anyDayOfMonth && s.anyDayOfWeek ? true : s.anyDayOfMonth ? dow : s.anyDayOfWeek ? dom : dom || dow;
    if (day && s.months.has(d.getUTCMonth() + 1) && s.hours.has(d.getUTCHours()) && s.minutes.has(d.getUTCMinutes())) return d;
  }
  return undefined;
}

describe('cron', () => {
  it('the default daily schedule, strictly after the given time', () => {
    assert.equal(next('0 3 * * *', '2026-12-05T02:59:59.999Z'), '2026-12-05T03:00:00.000Z');
    assert.equal(next('0 3 * * *', '2026-12-05T03:00:00.000Z'), '2026-12-06T03:00:00.000Z');
    assert.equal(next('0 3 * * *', '2026-12-31T04:00:00Z'), '2027-01-01T03:00:00.000Z');
  });

  it('steps, ranges, lists, day-of-week 7 as Sunday, and either day field when both are set', () => {
    assert.equal(next('*/15 * * * *', '2026-12-05T10:07:00Z'), '2026-12-05T10:15:00.000Z');
    assert.equal(next('5/20 9-17 * * *', '2026-12-05T17:46:00Z'), '2026-12-06T09:05:00.000Z');
    assert.equal(next('0 0 * * 7', '2026-12-05T12:00:00Z'), '2026-12-06T00:00:00.000Z', '2026-12-06 is a Sunday');
    assert.equal(next('0 0 13 * 5', '2026-12-05T12:00:00Z'), '2026-12-11T00:00:00.000Z', 'Friday the 11th comes before the 13th');
    assert.equal(next('0 12 29 2 *', '2026-03-01T00:00:00Z'), '2028-02-29T12:00:00.000Z', 'a leap day');
    assert.equal(next('0 0 31 2 *', '2026-01-01T00:00:00Z'), undefined, 'February has no 31st');
  });

  it('refuses what it cannot read, with a message naming the field', () => {
    for (const [bad, message] of [
      ['every day', /5-field/],
      ['0 3 * *', /5-field/],
      ['60 3 * * *', /minute field '60' is outside 0-59/],
      ['0 24 * * *', /hour/],
      ['0 3 0 * *', /day-of-month/],
      ['0 3 * 13 *', /month/],
      ['0 3 * * 8', /day-of-week/],
      ['*/0 * * * *', /step of 0/],
      ['0 3 * * MON', /day-of-week field 'MON'/],
      ['5-1 * * * *', /outside/],
      ['@daily', /5-field/],
    ] as const) {
      assert.throws(() => parseCron(bad), (e: unknown) => e instanceof CronError && e.code === 'CRON_INVALID' && message.test(e.message), bad);
    }
  });

  it('property: nextCronTime agrees with a minute-by-minute walk', () => {
    const part = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 1, max: Math.max(1, max - min) }).map((s) => `*/${s}`),
        fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((l) => l.join(',')),
      );
    fc.assert(
      fc.property(part(0, 59), part(0, 23), part(1, 31), part(1, 12), part(0, 7), fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), (mi, h, dom, mon, dow, at) => {
        const s = parseCron(`${mi} ${h} ${dom} ${mon} ${dow}`);
        const after = new Date(at);
        const fast = nextCronTime(s, after);
        const slow = walk(s, after, 400 * 24 * 60);
        if (slow !== undefined) assert.equal(fast?.toISOString(), slow.toISOString());
        else assert.ok(fast === undefined || fast.getTime() - after.getTime() > 399 * 24 * 3_600_000);
      }),
      { numRuns: 150, seed: 20261205 },
    );
  });
});
