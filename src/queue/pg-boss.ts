/**
 * The shared job queue on PostgreSQL: pg-boss 10 (https://github.com/timgit/pg-boss/tree/10.1.6/docs;
 * later majors need Node 22) in the store's own database, in its own schema (`absolve_jobs`), so
 * `absolve serve --no-worker` and N `absolve worker` processes on as many machines share the jobs.
 *
 * - A job is fetched with `SELECT … FOR UPDATE SKIP LOCKED`: one worker gets it.
 * - A worker that dies (SIGKILL, a lost machine) leaves its job `active`; `expireInSeconds` after
 *   its last sign of life pg-boss's maintenance (every `maintenanceIntervalSeconds`, once per cluster)
 *   fails it and it is retried (`retryLimit`) by any worker. pg-boss 10 has no heartbeat (v10's
 *   maintenance expires `state = 'active' AND started_on + expire_in < now()`, src/plans.js), so a
 *   living worker renews its lease itself: every third of `expireInSeconds` it moves the job's
 *   `expire_in` to "now + expireInSeconds". A job may run for as long as it needs; a silent worker's
 *   job is retried one lease after it went silent. (Handlers are idempotent all the same.)
 * - singletonKey: pg-boss 10 dedupes a key only per state or time slot, so the key is turned into
 *   the job's id (a name-based UUID) and the insert's `ON CONFLICT DO NOTHING` refuses a repeat
 *   for as long as pg-boss keeps the job (its retention, and the archive after that).
 * - `schedule` is pg-boss's cron: a row per name, and one process in the cluster enqueues per tick.
 */
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { parseCron } from '../core/jobs/cron.ts';
import type { EnqueueOptions, Job, JobHandler, JobQueue, WorkOptions } from '../core/jobs/job-queue.ts';

export const JOBS_SCHEMA = 'absolve_jobs';

export interface PgBossQueueOptions {
  connectionString: string;
  schema?: string;
  /** The lease, in seconds: an active job whose worker went silent (no renewal) for this long is failed and retried (default 120; a running job renews it every third). */
  expireInSeconds?: number;
  /** Retries of a failed or expired job (default 5). */
  retryLimit?: number;
  /** Seconds before a retry (default 30, doubled each time). */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** How often expired jobs are looked for, cluster-wide (default 60 s). */
  maintenanceIntervalSeconds?: number;
  /** How often an idle worker polls for jobs (default 2 s; pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** Run pg-boss's cron scheduler in this process (serve: yes; a worker: no). Default true. */
  runSchedules?: boolean;
  /** Run expiry and archiving in this process (default true; any one process per cluster does it at a time). */
  supervise?: boolean;
  /** Where pg-boss's own errors go (a lost connection is retried by pg-boss; never a password). */
  onError?: (message: string) => void;
}

/** A name-based UUID (RFC 9562 §5.5 layout, SHA-256 truncated) for a (kind, singleton key). */
export function singletonJobId(kind: string, key: string): string {
  const h = createHash('sha256').update(`${kind}\u0000${key}`).digest('hex').split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

export class PgBossJobQueue implements JobQueue {
  private readonly queues = new Map<string, Promise<void>>();
  /** The fetch loops of work(), one per slot; stop() waits for them. */
  private readonly loops: Array<Promise<void>> = [];
  /** Jobs being handled now: id → kind. */
  private readonly running = new Map<string, string>();
  private readonly wakers = new Set<() => void>();
  private stopping = false;
  private constructor(
    private readonly boss: PgBoss,
    private readonly options: PgBossQueueOptions,
  ) {}

  /** Connects, and creates or migrates pg-boss's schema (idempotent; pg-boss locks it against concurrent installers). */
  static async start(options: PgBossQueueOptions): Promise<PgBossJobQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema ?? JOBS_SCHEMA,
      application_name: 'absolve-jobs',
      max: 4,
      schedule: options.runSchedules ?? true,
      supervise: options.supervise ?? true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    });
    boss.on('error', (error: Error) => options.onError?.(`job queue: ${error.message}`));
    await boss.start();
    return new PgBossJobQueue(boss, options);
  }

  private jobSettings(): { expireInSeconds: number; retryLimit: number; retryDelay: number; retryBackoff: boolean } {
    return {
      expireInSeconds: this.options.expireInSeconds ?? 120,
      retryLimit: this.options.retryLimit ?? 5,
      retryDelay: this.options.retryDelaySeconds ?? 30,
      retryBackoff: this.options.retryBackoff ?? true,
    };
  }

  private ensureQueue(kind: string): Promise<void> {
    let created = this.queues.get(kind);
    if (created === undefined) {
      created = (async () => {
        // Two processes creating queues at once (workers starting together on a new database) can
        // deadlock in pg-boss's createQueue (each attaches a partition to the job table); PostgreSQL
        // aborts one of them (40P01), which simply tries again.
        for (let attempt = 1; ; attempt++) {
          try {
            if ((await this.boss.getQueue(kind)) === null) await this.boss.createQueue(kind, { name: kind, policy: 'standard', ...this.jobSettings() });
            else await this.boss.updateQueue(kind, { name: kind, policy: 'standard', ...this.jobSettings() });
            return;
          } catch (error) {
            const code = (error as { code?: unknown }).code;
            if (attempt >= 8 || (code !== '40P01' && !/deadlock detected/.test((error as Error).message))) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 200) * attempt));
          }
        }
      })();
      created.catch(() => this.queues.delete(kind));
      this.queues.set(kind, created);
    }
    return created;
  }

  async enqueue<P extends object>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<string | null> {
    await this.ensureQueue(kind);
    return this.boss.send(kind, payload, { ...this.jobSettings(), ...(options.singletonKey === undefined ? {} : { id: singletonJobId(kind, options.singletonKey) }) });
  }

  async work<P extends object>(kind: string, handler: JobHandler<P>, options: WorkOptions = {}): Promise<void> {
    await this.ensureQueue(kind);
    // Our own fetch → handle → complete/fail loop, one per slot, rather than pg-boss's work(): pg-boss 10's worker
    // fails a job whose handler runs past the job's expire_in as fetched (manager.js resolveWithinSeconds), which
    // would undo the lease renewal below and retry a job that is still running.
    for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) this.loops.push(this.workLoop(kind, handler));
  }

  private async workLoop<P extends object>(kind: string, handler: JobHandler<P>): Promise<void> {
    const idleMs = Math.max(0.5, this.options.pollingIntervalSeconds ?? 2) * 1000;
    while (!this.stopping) {
      let fetched: Array<PgBoss.JobWithMetadata<P>>;
      try {
        fetched = await this.boss.fetch<P>(kind, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        // The database restarting: pg-boss's pool reconnects; try again after a pause.
        if (!this.stopping) this.options.onError?.(`job queue: fetching ${kind} jobs: ${(error as Error).message}`);
        await this.pause(idleMs);
        continue;
      }
      const j = fetched[0];
      if (j === undefined) {
        await this.pause(idleMs);
        continue;
      }
      await this.runJob(kind, j, handler);
    }
  }

  private async runJob<P extends object>(kind: string, j: PgBoss.JobWithMetadata<P>, handler: JobHandler<P>): Promise<void> {
    const job: Job<P> = { id: j.id, kind, payload: j.data, attempt: j.retryCount, createdAt: j.createdOn };
    const lease = this.keepLease(kind, j.id);
    this.running.set(j.id, kind);
    let failure: Error | undefined;
    try {
      await handler(job);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      lease.stop();
    }
    try {
      // A job failed or completed by stop() meanwhile is left as it is (pg-boss only moves an active job).
      if (failure === undefined) await this.boss.complete(kind, j.id);
      else await this.boss.fail(kind, j.id, { message: failure.message });
    } catch (error) {
      // Unrecorded: the job stays active and is retried one lease from now (handlers are idempotent).
      this.options.onError?.(`job queue: recording the end of ${kind} job ${j.id}: ${(error as Error).message}`);
    } finally {
      this.running.delete(j.id);
    }
  }

  /** Waits `ms`, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /**
   * Renews an active job's lease until stopped: `expire_in` becomes the time it has run plus a whole lease, so
   * pg-boss's expiry (started_on + expire_in < now()) stays a lease ahead of the last renewal. A renewal that
   * fails (the database restarting) is reported and tried again at the next tick; the lease covers two misses.
   */
  private keepLease(kind: string, jobId: string): { stop(): void } {
    const leaseSeconds = this.jobSettings().expireInSeconds;
    const schema = this.options.schema ?? JOBS_SCHEMA;
    const renew = async (): Promise<void> => {
      try {
        await this.boss
          .getDb()
          .executeSql(`UPDATE ${schema}.job SET expire_in = (now() - started_on) + $3 * interval '1 second' WHERE name = $1 AND id = $2 AND state = 'active'`, [kind, jobId, leaseSeconds]);
      } catch (error) {
        this.options.onError?.(`job queue: renewing the lease of ${kind} job ${jobId}: ${(error as Error).message}`);
      }
    };
    const timer = setInterval(() => void renew(), Math.max(1, leaseSeconds / 3) * 1000);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  async schedule<P extends object>(kind: string, cron: string, payload: P): Promise<void> {
    parseCron(cron); // what the configuration accepts is what pg-boss's cron-parser reads alike
    await this.ensureQueue(kind);
    await this.boss.schedule(kind, cron, payload, { tz: 'UTC', ...this.jobSettings() });
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.stopping = true;
    for (const wake of [...this.wakers]) wake();
    // The running jobs may finish within the timeout; those that do not are failed now, so another worker retries
    // them without waiting out a lease (what pg-boss's own stop does with its workers' jobs).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.loops), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    for (const [id, kind] of this.running) {
      await this.boss.fail(kind, id, { message: 'the worker stopped before the job finished' }).catch(() => {});
    }
    await this.boss.stop({ graceful: true, wait: true, close: true, timeout: Math.max(1_000, timeoutMs) });
  }
}
