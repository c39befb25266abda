/**
 * The PostgreSQL-backed quota limiter (src/engines/quota/postgres-limiter.ts) on a real server:
 * several limiters on one key (several workers) never let more than N requests out in any window
 * together (property, in virtual time), the daily allowance and a 429 hold for all of them, and a
 * slot of a worker that died ends after staleMs.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { PostgresLimiter } from '../../src/engines/quota/postgres-limiter.ts';
import { DailyQuotaExhaustedError, abortReason, type LimiterClock } from '../../src/engines/quota/request-limiter.ts';
import { maxInAnyWindow } from '../support/window-count.ts';
import { createTestDatabase, skipUnlessPostgres, type TestDatabase } from './postgres-database.ts';

const skip = await skipUnlessPostgres();

/**
 * Virtual time for actors that also do real I/O: time moves to the next timer only when every actor
 * is asleep or finished (never while one waits on the database), so no wall clock and no sleeps.
 */
class QuiescentClock implements LimiterClock {
  private time = Date.UTC(2026, 11, 5, 12);
  private timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  private seq = 0;
  private active = 0;
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    return new Promise((resolve) => {
      this.active--;
      this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, fire: () => (this.active++, resolve()) });
      this.settle();
    });
  }
  async actor<T>(fn: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.settle();
    }
  }
  private settle(): void {
    setImmediate(() => {
      if (this.active !== 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (next === undefined) return;
      this.time = Math.max(this.time, next.at);
      next.fire();
    });
  }
}

describe('PostgresLimiter (a quota shared by workers through PostgreSQL)', { skip, timeout: 300_000 }, () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  before(async () => {
    db = await createTestDatabase('absolve_quota');
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
  });
  after(async () => {
    await pool.end();
    await db.drop();
  });
  const newId = (): string => `test-${randomBytes(6).toString('hex')}`;

  it('property: N limiters on one key (N workers) send at most perWindow requests in any window together', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 3 }),
        fc.array(fc.record({ worker: fc.nat(), startAfter: fc.double({ min: 0, max: 2, noNaN: true }), latency: fc.double({ min: 0, max: 1.5, noNaN: true }) }), { minLength: 1, maxLength: 12 }),
        async (perWindow, workers, requests) => {
          const windowMs = 60_000;
          const clock = new QuiescentClock();
          const id = newId();
          const limiters = Array.from({ length: workers }, () => new PostgresLimiter(pool, { id, perWindow, windowMs, clock, pollMs: 500 }));
          const sends: number[] = [];
          await Promise.all(
            requests.map((r) =>
              clock.actor(async () => {
                await clock.sleep(r.startAfter * windowMs);
                const limiter = limiters[r.worker % workers] as PostgresLimiter;
                const permit = await limiter.acquire();
                sends.push(clock.now());
                await clock.sleep(r.latency * windowMs);
                permit.release();
                await limiter.flush();
              }),
            ),
          );
          assert.equal(sends.length, requests.length, 'every request was sent');
          assert.ok(maxInAnyWindow(sends, windowMs) <= perWindow, `more than ${perWindow} sends in a window of ${windowMs} ms`);
        },
      ),
      { numRuns: 25, seed: 20261205 },
    );
  });

  it('the daily allowance is shared: the request over it fails at once with DAILY_QUOTA_EXHAUSTED, on any worker', async () => {
    const clock = new QuiescentClock();
    const id = newId();
    const a = new PostgresLimiter(pool, { id, perWindow: 100, windowMs: 1000, perDay: 3, clock });
    const b = new PostgresLimiter(pool, { id, perWindow: 100, windowMs: 1000, perDay: 3, clock });
    await clock.actor(async () => {
      for (const l of [a, b, a]) (await l.acquire()).release();
      await Promise.all([a.flush(), b.flush()]);
      await assert.rejects(b.acquire(), (e: unknown) => e instanceof DailyQuotaExhaustedError && e.code === 'DAILY_QUOTA_EXHAUSTED' && e.resetsAt === Date.UTC(2026, 11, 6));
    });
  });

  it('a 429 seen by one worker holds every worker for a window', async () => {
    const clock = new QuiescentClock();
    const id = newId();
    const a = new PostgresLimiter(pool, { id, perWindow: 10, windowMs: 60_000, clock });
    const b = new PostgresLimiter(pool, { id, perWindow: 10, windowMs: 60_000, clock });
    await clock.actor(async () => {
      const start = clock.now();
      (await a.acquire()).release({ quotaExceeded: true });
      await a.flush();
      const waits: number[] = [];
      (await b.acquire({ onWait: (ms) => waits.push(ms) })).release();
      assert.equal(clock.now() - start, 60_000);
      assert.deepEqual(waits, [60_000]);
    });
  });

  it('a slot whose worker died (never released) ends staleMs after its send', async () => {
    const clock = new QuiescentClock();
    const id = newId();
    const dead = new PostgresLimiter(pool, { id, perWindow: 1, windowMs: 10_000, clock, staleMs: 120_000 });
    const alive = new PostgresLimiter(pool, { id, perWindow: 1, windowMs: 10_000, clock, staleMs: 120_000, pollMs: 5_000 });
    await clock.actor(async () => {
      const start = clock.now();
      await dead.acquire(); // never released: its process was killed
      (await alive.acquire()).release();
      const waited = clock.now() - start;
      assert.ok(waited >= 130_000 && waited < 130_000 + 5_000, `waited ${waited} ms: the stale slot ends at 120 s + the 10-s window`);
    });
  });
});
