/**
 * The shared job queue on PostgreSQL: pg-boss 10 (https://github.com/timgit/pg-boss/tree/10.1.6/docs;
 * later majors need Node 22) in the store's own database, in its own schema (`absolve_jobs`), so
 * `absolve serve --no-worker` and N `absolve worker` processes on as many machines share the jobs.
 *
 * - A job is fetched with `SELECT … FOR UPDATE SKIP LOCKED`: one worker gets it.
 * - A worker that dies (SIGKILL, a lost machine) leaves its job `active`; after `expireInSeconds`
 *   pg-boss's maintenance (every `maintenanceIntervalSeconds`, once per cluster) fails it and it is
 *   retried (`retryLimit`) by any worker. pg-boss 10 has no heartbeat, so `expireInSeconds` must
 *   exceed the longest job: a job running longer is retried while it still runs (handlers are
 *   idempotent, so that costs time and quota, not data).
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
  /** Seconds before an active job whose worker went silent is failed and retried (default 900: a VT lookup waiting for its quota may take minutes). */
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
      expireInSeconds: this.options.expireInSeconds ?? 900,
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
    // pg-boss 10 runs one job at a time per `work` call: N calls are N jobs at once.
    for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) {
      await this.boss.work<P>(kind, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        for (const j of jobs) {
          const job: Job<P> = { id: j.id, kind, payload: j.data, attempt: j.retryCount, createdAt: j.createdOn };
          await handler(job);
        }
      });
    }
  }

  async schedule<P extends object>(kind: string, cron: string, payload: P): Promise<void> {
    parseCron(cron); // what the configuration accepts is what pg-boss's cron-parser reads alike
    await this.ensureQueue(kind);
    await this.boss.schedule(kind, cron, payload, { tz: 'UTC', ...this.jobSettings() });
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, close: true, timeout: options.timeoutMs ?? 30_000 });
  }
}
