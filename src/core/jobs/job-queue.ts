/**
 * The job queue port: the scan, monitor and alert work of the service as jobs, so the same
 * handlers run inside `absolve serve` (SQLite/PGlite: src/queue/in-process.ts) or on N
 * `absolve worker` processes sharing one PostgreSQL database (src/queue/pg-boss.ts). Every adapter
 * passes test/queue/queue-contract.ts.
 *
 * Delivery is at least once: a job whose worker dies is given to another worker after its lease
 * (pg-boss: `expireInSeconds`) ends, so handlers are idempotent (verdicts, events and alert
 * deliveries have stable keys in the store).
 */

export interface EnqueueOptions {
  /**
   * At most one job of this kind with this key is ever enqueued (while the queue remembers it:
   * pg-boss keeps finished jobs for its retention time; the in-process queue for 7 days), so
   * re-running a monitor round adds nothing twice. `enqueue` answers null for a repeat.
   */
  singletonKey?: string;
}

export interface Job<P> {
  id: string;
  kind: string;
  payload: P;
  /** 0 for the first run, then 1, 2, … for retries after a failure or a lost worker. */
  attempt: number;
  /** When the job was enqueued (a scheduled round takes its round id from it, so a retry keeps the id). */
  createdAt: Date;
}

export type JobHandler<P> = (job: Job<P>) => Promise<void>;

export interface WorkOptions {
  /** Jobs of this kind this process runs at once (default 1). */
  concurrency?: number;
}

export interface JobQueue {
  /** Adds a job; its id, or null when `singletonKey` was enqueued before. */
  enqueue<P extends object>(kind: string, payload: P, options?: EnqueueOptions): Promise<string | null>;
  /** Runs `handler` for jobs of `kind` from now until stop; a handler that throws has its job retried. */
  work<P extends object>(kind: string, handler: JobHandler<P>, options?: WorkOptions): Promise<void>;
  /**
   * Enqueues a job of `kind` at every time `cron` names (5 fields, UTC; see cron.ts). Once per
   * cluster: with pg-boss the schedule is a row in the database and only one process enqueues.
   */
  schedule<P extends object>(kind: string, cron: string, payload: P): Promise<void>;
  /** Stops taking jobs and waits for the running ones (at most `timeoutMs`). */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}
