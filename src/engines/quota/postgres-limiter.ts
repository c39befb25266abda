/**
 * The sliding-window quota of request-limiter.ts, kept in PostgreSQL so that every worker on one
 * API key shares it: N `absolve worker` processes on one VirusTotal key never send more than its
 * quota in any window, together.
 *
 * Same rule as SlidingWindowLimiter: a request holds its slot from its send until `windowMs` after
 * its response, so the server never counts more than `perWindow` in any window whatever the
 * latency. The check-and-insert runs in one transaction under a per-key advisory lock
 * (pg_advisory_xact_lock), so two workers never both take the last slot. A worker that dies with a
 * request in flight leaves a slot without an end; it counts as ended `staleMs` after its send.
 * Waiting for a slot held by another process is polled (every `pollMs`), as no local event says when
 * it frees. Times come from the injected clock (workers on several machines need synchronized
 * clocks, as for any lease).
 *
 * Its tables are in its own schema (`absolve_quota`), created on first use; rows older than two days
 * are deleted as it goes. The limiter id is a hash of the service and the API key: a key is never stored.
 */
import type pg from 'pg';
import { DailyQuotaExhaustedError, abortReason, systemClock, type AcquireOptions, type LimiterClock, type PermitOutcome, type RequestLimiter, type RequestPermit, type SlidingWindowLimiterOptions } from './request-limiter.ts';

export const QUOTA_SCHEMA = 'absolve_quota';

export interface PostgresLimiterOptions extends SlidingWindowLimiterOptions {
  /** Which quota (a hash of service and key; never the key). */
  id: string;
  /** An in-flight slot with no end after this long counts as ended (its worker died). Default 10 min. */
  staleMs?: number;
  /** How often to look again while every slot is held by requests in flight. Default 250 ms. */
  pollMs?: number;
}

/** Something that runs SQL: a pg.Pool. */
export type SqlPool = Pick<pg.Pool, 'connect' | 'query'>;

const installed = new WeakMap<object, Promise<void>>();

async function install(pool: SqlPool): Promise<void> {
  let done = installed.get(pool);
  if (done === undefined) {
    done = (async () => {
      const client = await pool.connect();
      try {
        // A lock, because concurrent CREATE … IF NOT EXISTS can still collide in the catalog.
        await client.query('select pg_advisory_lock(hashtext($1))', [QUOTA_SCHEMA]);
        await client.query(`create schema if not exists ${QUOTA_SCHEMA}`);
        await client.query(`create table if not exists ${QUOTA_SCHEMA}.request_slot (id bigserial primary key, limiter text not null, sent_at double precision not null, done_at double precision)`);
        await client.query(`create index if not exists request_slot_limiter on ${QUOTA_SCHEMA}.request_slot (limiter, sent_at)`);
        await client.query(`create table if not exists ${QUOTA_SCHEMA}.blocked (limiter text primary key, until double precision not null)`);
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [QUOTA_SCHEMA]).catch(() => {});
        client.release();
      }
    })();
    done.catch(() => installed.delete(pool));
    installed.set(pool, done);
  }
  return done;
}

type Decision = { kind: 'granted'; slotId: string } | { kind: 'wait'; until: number; poll: boolean } | { kind: 'exhausted'; resetsAt: number };

export class PostgresLimiter implements RequestLimiter {
  private readonly clock: LimiterClock;
  private readonly perDay: number;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly pool: SqlPool,
    private readonly options: PostgresLimiterOptions,
  ) {
    if (!Number.isInteger(options.perWindow) || options.perWindow < 1) throw new RangeError(`perWindow must be a positive integer, got ${options.perWindow}`);
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
    this.clock = options.clock ?? systemClock;
    this.perDay = options.perDay ?? Infinity;
  }

  /** Waits for the slot ends this process still has to write (for a clean shutdown and tests). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private dayStart(now: number): number {
    if ((this.options.dayResets ?? 'utc-midnight') === 'utc-midnight') {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    }
    return now - 24 * 3_600_000;
  }

  private async decide(): Promise<Decision> {
    await install(this.pool);
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${QUOTA_SCHEMA}:${this.options.id}`]);
      const now = this.clock.now();
      const window = this.options.windowMs + (this.options.marginMs ?? 0);
      const stale = this.options.staleMs ?? 600_000;
      await client.query(`delete from ${QUOTA_SCHEMA}.request_slot where limiter = $1 and sent_at < $2`, [this.options.id, now - 2 * 24 * 3_600_000]);
      const slots = (
        await client.query<{ id: string; sent_at: string; done_at: string | null }>(
          `select id, sent_at, done_at from ${QUOTA_SCHEMA}.request_slot where limiter = $1 and sent_at >= $2`,
          [this.options.id, Math.min(this.dayStart(now), now - window - stale)],
        )
      ).rows.map((r) => ({ sentAt: Number(r.sent_at), end: r.done_at === null ? (Number(r.sent_at) + stale <= now ? Number(r.sent_at) + stale + window : Infinity) : Number(r.done_at) + window }));
      const today = slots.filter((s) => s.sentAt >= this.dayStart(now));
      if (today.length >= this.perDay) {
        await client.query('commit');
        const first = Math.min(...today.map((s) => s.sentAt));
        return { kind: 'exhausted', resetsAt: (this.options.dayResets ?? 'utc-midnight') === 'utc-midnight' ? this.dayStart(now) + 24 * 3_600_000 : first + 24 * 3_600_000 };
      }
      const blocked = (await client.query<{ until: string }>(`select until from ${QUOTA_SCHEMA}.blocked where limiter = $1`, [this.options.id])).rows[0];
      let freeAt = Math.max(now, blocked === undefined ? 0 : Number(blocked.until));
      const busy = slots.filter((s) => s.end > now);
      if (busy.length >= this.options.perWindow) {
        const ends = busy.map((s) => s.end).sort((a, b) => a - b);
        const needed = busy.length - this.options.perWindow + 1;
        const end = ends[needed - 1] ?? Infinity;
        if (end === Infinity) {
          await client.query('commit');
          return { kind: 'wait', until: now + (this.options.pollMs ?? 250), poll: true };
        }
        freeAt = Math.max(freeAt, end);
      }
      if (freeAt > now) {
        await client.query('commit');
        return { kind: 'wait', until: freeAt, poll: false };
      }
      const inserted = await client.query<{ id: string }>(`insert into ${QUOTA_SCHEMA}.request_slot (limiter, sent_at) values ($1, $2) returning id`, [this.options.id, now]);
      await client.query('commit');
      return { kind: 'granted', slotId: inserted.rows[0]?.id ?? '' };
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async finish(slotId: string, outcome: PermitOutcome): Promise<void> {
    const at = this.clock.now();
    await this.pool.query(`update ${QUOTA_SCHEMA}.request_slot set done_at = $2 where id = $1`, [slotId, at]);
    const blockMs = outcome.quotaExceeded === true ? Math.max(this.options.windowMs, outcome.retryAfterMs ?? 0) : outcome.retryAfterMs;
    if (blockMs !== undefined) {
      await this.pool.query(
        `insert into ${QUOTA_SCHEMA}.blocked (limiter, until) values ($1, $2) on conflict (limiter) do update set until = greatest(${QUOTA_SCHEMA}.blocked.until, excluded.until)`,
        [this.options.id, at + blockMs],
      );
    }
  }

  async acquire(options: AcquireOptions = {}): Promise<RequestPermit> {
    const { signal, onWait } = options;
    let reportedUntil = -Infinity;
    for (;;) {
      if (signal?.aborted === true) throw abortReason(signal);
      const decision = await this.decide();
      if (decision.kind === 'exhausted') throw new DailyQuotaExhaustedError(this.perDay, decision.resetsAt);
      if (decision.kind === 'granted') {
        let released = false;
        return {
          release: (outcome = {}) => {
            if (released) return;
            released = true;
            const p = this.finish(decision.slotId, outcome).catch(() => {
              // The slot then ends as stale (staleMs): later, never lost.
            });
            this.pending.add(p);
            void p.finally(() => this.pending.delete(p));
          },
        };
      }
      const now = this.clock.now();
      const wait = decision.until - now;
      if (!decision.poll && onWait !== undefined && wait >= (this.options.reportWaitsFromMs ?? 1000) && decision.until > reportedUntil) {
        reportedUntil = decision.until;
        onWait(wait);
      }
      await this.clock.sleep(wait, signal);
    }
  }
}
