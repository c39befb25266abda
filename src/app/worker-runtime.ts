/**
 * The job side of the service, shared by `absolve serve` and `absolve worker`: which queue (pg-boss
 * on PostgreSQL, in-process otherwise), the job handlers of core/jobs wired to the engines, the
 * store and the webhooks, and on PostgreSQL the quota limiter every worker shares.
 *
 * pg-boss timing (seconds) may be tuned through the environment, for tests and for slow engines:
 *   ABSOLVE_JOB_EXPIRE_SECONDS (120)       the lease: an active job whose worker went silent is retried after this
 *   ABSOLVE_JOB_RETRY_DELAY_SECONDS (30)   wait before a retry (doubled each time)
 *   ABSOLVE_JOB_MAINTENANCE_SECONDS (60)   how often expired jobs are looked for (cluster-wide)
 *   ABSOLVE_JOB_POLL_SECONDS (2)           how often an idle worker asks for jobs
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { engineRequest, type ScanCommandDeps } from '../cli/commands/scan-command.ts';
import { AbsolveError } from '../core/errors.ts';
import { DEFAULT_MONITOR_SCHEDULE } from '../core/jobs/cron.ts';
import { scheduleJobs, workJobs, type JobDeps } from '../core/jobs/handlers.ts';
import type { JobQueue } from '../core/jobs/job-queue.ts';
import type { OpenedStore, OpenStore } from '../core/releases/ports.ts';
import type { ServiceSettings } from '../core/service-settings.ts';
import { PostgresLimiter } from '../engines/quota/postgres-limiter.ts';
import { SlidingWindowLimiter, setSharedLimiterBackend } from '../engines/quota/request-limiter.ts';
import { InProcessJobQueue } from '../queue/in-process.ts';
import { PgBossJobQueue } from '../queue/pg-boss.ts';
import { DEFAULT_STORE_URL, parseStoreURL } from '../store/open-store.ts';
import { redactURL } from '../store/postgres.ts';

export type JobScanDeps = Pick<ScanCommandDeps, 'createEngines' | 'containers' | 'fileRoot' | 'loadSettings' | 'webhookSender' | 'createMailer'>;

export interface JobRuntimeDeps {
  openStore: OpenStore;
  version: string;
  now: () => Date;
  log: (line: string) => void;
  scan: JobScanDeps;
  env: Readonly<Record<string, string | undefined>>;
}

/** The store URL a command uses: --db, else ABSOLVE_DB, else the default SQLite file (as open-store resolves it). */
export function chosenStoreURL(db: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return db ?? (env.ABSOLVE_DB !== undefined && env.ABSOLVE_DB !== '' ? env.ABSOLVE_DB : DEFAULT_STORE_URL);
}

export function isPostgresURL(url: string): boolean {
  return parseStoreURL(url).kind === 'postgres';
}

/** WORKER_NEEDS_POSTGRES unless the store is a PostgreSQL server. */
export function requirePostgres(url: string, what: string): void {
  if (!isPostgresURL(url)) {
    throw new AbsolveError(
      'WORKER_NEEDS_POSTGRES',
      `${what} needs a PostgreSQL store (--db postgres://user@host/db or ABSOLVE_DB): jobs are shared between processes through PostgreSQL. With SQLite or PGlite, run 'absolve serve' alone: it runs the jobs itself`,
    );
  }
}

function seconds(env: JobRuntimeDeps['env'], name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new AbsolveError('CONFIG_INVALID', `${name} must be a number of seconds, ${min} or more (got '${raw.slice(0, 40)}')`);
  return n;
}

export async function openPgBossQueue(url: string, env: JobRuntimeDeps['env'], options: { runSchedules: boolean; log: (line: string) => void }): Promise<PgBossJobQueue> {
  const expire = seconds(env, 'ABSOLVE_JOB_EXPIRE_SECONDS', 1);
  const retryDelay = seconds(env, 'ABSOLVE_JOB_RETRY_DELAY_SECONDS', 0);
  const maintenance = seconds(env, 'ABSOLVE_JOB_MAINTENANCE_SECONDS', 1);
  const poll = seconds(env, 'ABSOLVE_JOB_POLL_SECONDS', 0.5);
  try {
    return await PgBossJobQueue.start({
      connectionString: url,
      runSchedules: options.runSchedules,
      onError: options.log,
      ...(expire === undefined ? {} : { expireInSeconds: Math.round(expire) }),
      ...(retryDelay === undefined ? {} : { retryDelaySeconds: Math.round(retryDelay) }),
      ...(maintenance === undefined ? {} : { maintenanceIntervalSeconds: Math.round(maintenance) }),
      ...(poll === undefined ? {} : { pollingIntervalSeconds: poll }),
    });
  } catch (error) {
    throw new AbsolveError('STORE_UNAVAILABLE', `cannot start the job queue in the PostgreSQL store: ${(error as Error).message}`, { cause: error });
  }
}

/** On PostgreSQL, the quota of each API key lives in the database, so every worker shares it. Returns a closer. */
export function shareQuotasThrough(url: string): () => Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'absolve-quota' });
  pool.on('error', () => {}); // a dropped idle connection is replaced on next use
  setSharedLimiterBackend((service, apiKey, local) => {
    if (!(local instanceof SlidingWindowLimiter)) return local;
    const id = createHash('sha256').update(`${service}\u0000${apiKey}`).digest('hex').slice(0, 32);
    return new PostgresLimiter(pool, { ...local.options, id });
  });
  return async () => {
    setSharedLimiterBackend(undefined);
    await pool.end();
  };
}

/**
 * The handlers' dependencies. Engines are made per job: an engine instance answers each sha256 once
 * for its lifetime (single flight, made for one scan), and a worker lives for many rounds. Their
 * quota limiters are shared per API key all the same (sharedLimiterFor).
 */
export function jobDeps(deps: JobRuntimeDeps, opened: OpenedStore, queue: JobQueue, settings: ServiceSettings): JobDeps {
  return {
    opened,
    queue,
    settings,
    engines: (ids) => deps.scan.createEngines(engineRequest({ ...(ids === undefined ? {} : { engines: ids.join(',') }), upload: false, yaraRules: [] }, settings)),
    fileRoot: deps.scan.fileRoot,
    containers: deps.scan.containers,
    webhookSender: deps.scan.webhookSender,
    ...(deps.scan.createMailer === undefined ? {} : { createMailer: deps.scan.createMailer }),
    now: deps.now,
    version: deps.version,
    log: deps.log,
  };
}

export interface JobEvent {
  kind: string;
  id: string;
  attempt: number;
  state: 'started' | 'done' | 'failed';
  error?: string;
}

export interface RunningJobs {
  queue: JobQueue;
  stop(): Promise<void>;
}

/**
 * The queue of a serving process: pg-boss on PostgreSQL (schedules in the database, once per
 * cluster), in-process otherwise; with `work`, this process also runs the handlers.
 */
export async function startServiceJobs(url: string, opened: OpenedStore, settings: ServiceSettings, deps: JobRuntimeDeps, options: { work: boolean; concurrency: number }): Promise<RunningJobs> {
  const postgres = isPostgresURL(url);
  if (!postgres && !options.work) requirePostgres(url, "'absolve serve --no-worker'");
  const queue: JobQueue = postgres ? await openPgBossQueue(url, deps.env, { runSchedules: true, log: deps.log }) : new InProcessJobQueue({ onFailed: (job, error) => deps.log(`job ${job.kind} ${job.id} failed for good: ${error instanceof Error ? error.message : String(error)}`) });
  const closeQuotas = postgres && options.work ? shareQuotasThrough(url) : undefined;
  try {
    await scheduleJobs(queue, settings, DEFAULT_MONITOR_SCHEDULE);
    if (options.work) {
      await workJobs(jobDeps(deps, opened, queue, settings), {
        concurrency: options.concurrency,
        onJob: (e) => {
          if (e.state === 'failed') deps.log(`job ${e.kind} ${e.id} (attempt ${e.attempt + 1}) failed: ${e.error ?? ''}`);
        },
      });
    }
  } catch (error) {
    await queue.stop({ timeoutMs: 1_000 }).catch(() => {});
    await closeQuotas?.();
    throw error;
  }
  return {
    queue,
    stop: async () => {
      await queue.stop({ timeoutMs: 30_000 });
      await closeQuotas?.();
    },
  };
}

export interface WorkerOptions {
  db: string | undefined;
  concurrency: number;
  config: string | undefined;
  onJob: (event: JobEvent) => void;
}

export interface RunningWorker {
  location: string;
  stop(): Promise<void>;
}

/** `absolve worker`: takes jobs from the PostgreSQL store's queue until stopped. */
export async function startWorker(options: WorkerOptions, deps: JobRuntimeDeps): Promise<RunningWorker> {
  const url = chosenStoreURL(options.db, deps.env);
  requirePostgres(url, "'absolve worker'");
  const settings = await deps.scan.loadSettings(options.config);
  const opened = await deps.openStore(url, { create: false });
  let queue: PgBossJobQueue | undefined;
  let closeQuotas: (() => Promise<void>) | undefined;
  try {
    queue = await openPgBossQueue(url, deps.env, { runSchedules: false, log: deps.log });
    closeQuotas = shareQuotasThrough(url);
    await workJobs(jobDeps(deps, opened, queue, settings), { concurrency: options.concurrency, onJob: options.onJob });
  } catch (error) {
    await queue?.stop({ timeoutMs: 1_000 }).catch(() => {});
    await closeQuotas?.();
    await opened.store.close();
    throw error;
  }
  const running = queue;
  return {
    location: opened.location,
    stop: async () => {
      await running.stop({ timeoutMs: 30_000 });
      await closeQuotas?.();
      await opened.store.close();
    },
  };
}

/** `absolve jobs round`: one monitor round queued now for the workers (what the schedule does). */
export async function enqueueRound(options: { db: string | undefined; engines: string[] | undefined }, deps: JobRuntimeDeps): Promise<{ jobId: string | null; location: string }> {
  const url = chosenStoreURL(options.db, deps.env);
  requirePostgres(url, "'absolve jobs round'");
  const queue = await openPgBossQueue(url, deps.env, { runSchedules: false, log: deps.log });
  try {
    const { JOB_KINDS } = await import('../core/jobs/handlers.ts');
    const jobId = await queue.enqueue(JOB_KINDS.monitorRound, options.engines === undefined ? {} : { engines: options.engines });
    return { jobId, location: redactURL(url) };
  } finally {
    await queue.stop({ timeoutMs: 5_000 });
  }
}
