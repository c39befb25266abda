/**
 * The embedded job queue (SQLite, PGlite: one process): jobs in memory, run by this process. What
 * is queued when the process stops is gone, which is fine for what runs here: a monitor round is
 * scheduled again, verdicts already paid for are in the store (a retried round reuses them), and
 * alert deliveries wait in the store's outbox for the next delivery job.
 *
 * Singleton keys are remembered for `singletonTtlMs` (7 days), so memory stays bounded by the jobs
 * of a week. Time comes from an injected clock and timer, so tests drive schedules without sleeping.
 */
import { randomUUID } from 'node:crypto';
import { nextCronTime, parseCron } from '../core/jobs/cron.ts';
import type { EnqueueOptions, Job, JobHandler, JobQueue, WorkOptions } from '../core/jobs/job-queue.ts';

export interface QueueTimers {
  now(): Date;
  /** Calls `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemTimers: QueueTimers = {
  now: () => new Date(),
  setTimer: (ms, fn) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface InProcessQueueOptions {
  timers?: QueueTimers;
  /** Retries after a handler throws (default 3). */
  retryLimit?: number;
  /** Wait before a retry, doubled each time (default 10 s). */
  retryDelayMs?: number;
  singletonTtlMs?: number;
  /** Told about a job that failed for good (after its retries). */
  onFailed?: (job: Job<object>, error: unknown) => void;
}

interface Entry {
  job: Job<object>;
}

interface Worker {
  handler: JobHandler<object>;
  concurrency: number;
  running: number;
}

/** A timer longer than this is split (setTimeout holds at most 24.8 days; a yearly schedule is longer). */
const MAX_TIMER_MS = 24 * 3_600_000;

export class InProcessJobQueue implements JobQueue {
  private readonly timers: QueueTimers;
  private readonly pending = new Map<string, Entry[]>();
  private readonly workers = new Map<string, Worker>();
  private readonly singletons = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly cancels = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: InProcessQueueOptions = {}) {
    this.timers = options.timers ?? systemTimers;
  }

  enqueue<P extends object>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<string | null> {
    if (this.stopped) return Promise.reject(new Error('the job queue is stopped'));
    const now = this.timers.now().getTime();
    if (options.singletonKey !== undefined) {
      const key = `${kind}\u0000${options.singletonKey}`;
      this.forgetOldSingletons(now);
      if (this.singletons.has(key)) return Promise.resolve(null);
      this.singletons.set(key, now);
    }
    const job: Job<object> = { id: randomUUID(), kind, payload: structuredClone(payload), attempt: 0, createdAt: new Date(now) };
    this.push({ job });
    return Promise.resolve(job.id);
  }

  work<P extends object>(kind: string, handler: JobHandler<P>, options: WorkOptions = {}): Promise<void> {
    if (this.workers.has(kind)) return Promise.reject(new Error(`jobs of kind '${kind}' have a handler already`));
    this.workers.set(kind, { handler: handler as JobHandler<object>, concurrency: Math.max(1, options.concurrency ?? 1), running: 0 });
    this.pump(kind);
    return Promise.resolve();
  }

  schedule<P extends object>(kind: string, cron: string, payload: P): Promise<void> {
    const schedule = parseCron(cron);
    const arm = (): void => {
      if (this.stopped) return;
      const now = this.timers.now();
      const next = nextCronTime(schedule, now);
      if (next === undefined) return;
      const wait = next.getTime() - now.getTime();
      const cancel = this.timers.setTimer(Math.min(wait, MAX_TIMER_MS), () => {
        this.cancels.delete(cancel);
        if (this.stopped) return;
        if (this.timers.now().getTime() >= next.getTime()) void this.enqueue(kind, payload, { singletonKey: `schedule:${next.toISOString()}` });
        arm();
      });
      this.cancels.add(cancel);
    };
    arm();
    return Promise.resolve();
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopped = true;
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
    const all = Promise.allSettled([...this.running]);
    if (options.timeoutMs === undefined) {
      await all;
      return;
    }
    let cancel = (): void => {};
    await Promise.race([all, new Promise<void>((resolve) => (cancel = this.timers.setTimer(options.timeoutMs ?? 0, resolve)))]);
    cancel();
  }

  /** Jobs waiting (not running), per kind: for tests and diagnostics. */
  waiting(kind: string): number {
    return this.pending.get(kind)?.length ?? 0;
  }

  private forgetOldSingletons(now: number): void {
    const ttl = this.options.singletonTtlMs ?? 7 * 24 * 3_600_000;
    // Insertion order is time order: the old ones are at the front.
    for (const [key, at] of this.singletons) {
      if (now - at < ttl) break;
      this.singletons.delete(key);
    }
  }

  private push(entry: Entry): void {
    const list = this.pending.get(entry.job.kind) ?? [];
    list.push(entry);
    this.pending.set(entry.job.kind, list);
    this.pump(entry.job.kind);
  }

  private pump(kind: string): void {
    const worker = this.workers.get(kind);
    const list = this.pending.get(kind);
    while (!this.stopped && worker !== undefined && list !== undefined && list.length > 0 && worker.running < worker.concurrency) {
      const entry = list.shift();
      if (entry === undefined) break;
      worker.running++;
      const run = this.run(worker, entry).finally(() => {
        worker.running--;
        this.running.delete(run);
        this.pump(kind);
      });
      this.running.add(run);
    }
  }

  private async run(worker: Worker, entry: Entry): Promise<void> {
    try {
      await worker.handler(entry.job);
    } catch (error) {
      const limit = this.options.retryLimit ?? 3;
      if (entry.job.attempt >= limit || this.stopped) {
        this.options.onFailed?.(entry.job, error);
        return;
      }
      const delay = (this.options.retryDelayMs ?? 10_000) * 2 ** entry.job.attempt;
      const retry: Entry = { job: { ...entry.job, attempt: entry.job.attempt + 1 } };
      if (delay <= 0) {
        queueMicrotask(() => this.push(retry));
        return;
      }
      const cancel = this.timers.setTimer(delay, () => {
        this.cancels.delete(cancel);
        this.push(retry);
      });
      this.cancels.add(cancel);
    }
  }
}
