/** The pg-boss queue on a real PostgreSQL: the shared contract (including two queues sharing the jobs) and its schedules. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { PgBossJobQueue, singletonJobId, type PgBossQueueOptions } from '../../src/queue/pg-boss.ts';
import { queueContract } from './queue-contract.ts';
import { createTestDatabase, skipUnlessPostgres } from './postgres-database.ts';

const skip = await skipUnlessPostgres();
/** Fast settings for tests: retries at once, polling at pg-boss's minimum. */
const fast = (connectionString: string): PgBossQueueOptions => ({ connectionString, retryDelaySeconds: 0, retryBackoff: false, pollingIntervalSeconds: 0.5, expireInSeconds: 30, runSchedules: false });

queueContract(
  'pg-boss 10 on PostgreSQL',
  async () => {
    const db = await createTestDatabase('absolve_queue');
    const queues: PgBossJobQueue[] = [await PgBossJobQueue.start(fast(db.url))];
    return {
      queue: queues[0] as PgBossJobQueue,
      another: async () => {
        const q = await PgBossJobQueue.start(fast(db.url));
        queues.push(q);
        return q;
      },
      dispose: async () => {
        for (const q of queues) await q.stop({ timeoutMs: 5_000 }).catch(() => {});
        await db.drop();
      },
    };
  },
  { skip },
);

describe('PgBossJobQueue', { skip }, () => {
  it('singleton ids are name-based UUIDs: stable per (kind, key), different otherwise', () => {
    const id = singletonJobId('monitor-artifact', 'round-1:abc');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(singletonJobId('monitor-artifact', 'round-1:abc'), id);
    assert.notEqual(singletonJobId('monitor-artifact', 'round-2:abc'), id);
    assert.notEqual(singletonJobId('scan-release', 'round-1:abc'), id);
  });

  it('several processes starting at once on a new database create the same queues without failing (pg-boss createQueue can deadlock: retried)', async () => {
    const db = await createTestDatabase('absolve_queue_race');
    const queues = await Promise.all([1, 2, 3].map(() => PgBossJobQueue.start(fast(db.url))));
    try {
      const kinds = ['scan-release', 'monitor-round', 'monitor-artifact', 'deliver-alerts'];
      await Promise.all(queues.map((q) => Promise.all(kinds.map((k) => q.work(k, () => Promise.resolve(), { concurrency: 1 })))));
      await Promise.all(queues.map((q) => Promise.all(kinds.map((k) => q.enqueue(k, {})))));
    } finally {
      for (const q of queues) await q.stop({ timeoutMs: 5_000 });
      await db.drop();
    }
  });

  it('lives in its own schema of the store database; schedules are rows there (one per kind, replaced when set again)', async () => {
    const db = await createTestDatabase('absolve_queue_sched');
    const queue = await PgBossJobQueue.start(fast(db.url));
    try {
      await queue.schedule('monitor-round', '0 3 * * *', { engines: ['virustotal'] });
      await queue.schedule('monitor-round', '30 2 * * 1', {});
      await assert.rejects(queue.schedule('monitor-round', 'every day', {}), /5-field cron/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const rows = (await client.query<{ name: string; cron: string; timezone: string }>('select name, cron, timezone from absolve_jobs.schedule')).rows;
        assert.deepEqual(rows, [{ name: 'monitor-round', cron: '30 2 * * 1', timezone: 'UTC' }]);
        const publicTables = (await client.query("select table_name from information_schema.tables where table_schema = 'public'")).rows;
        assert.deepEqual(publicTables, [], 'nothing of pg-boss outside its schema');
      } finally {
        await client.end();
      }
    } finally {
      await queue.stop({ timeoutMs: 5_000 });
      await db.drop();
    }
  });

  it('a job that runs longer than its lease is done once: the worker renews the lease; a stopped worker\'s job goes to another at once', async () => {
    const db = await createTestDatabase('absolve_queue_lease');
    // A 2 s lease checked every second: without renewal the job would be expired and retried within ~3 s.
    const settings = { ...fast(db.url), expireInSeconds: 2, maintenanceIntervalSeconds: 1 };
    const first = await PgBossJobQueue.start(settings);
    const second = await PgBossJobQueue.start(settings);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const runs: string[] = [];
      let release: () => void = () => {};
      const longJob = new Promise<void>((resolve) => (release = resolve));
      await first.work<{ n: number }>('slow', async (job) => {
        runs.push(`first:${job.payload.n}:${job.attempt}`);
        if (job.payload.n === 1) await new Promise((resolve) => setTimeout(resolve, 7_000));
        else await longJob;
      });
      const id = await first.enqueue('slow', { n: 1 });
      const state = async (jobId: string | null): Promise<string | undefined> => (await client.query<{ state: string }>('select state from absolve_jobs.job where id = $1', [jobId])).rows[0]?.state;
      for (let i = 0; i < 200 && (await state(id)) !== 'completed'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await state(id), 'completed');
      assert.deepEqual(runs, ['first:1:0'], 'run once, by the worker that took it, though it ran 3.5 leases');
      // Job 2 is held by the first worker when it stops (1 s to finish): it is failed at once and the second takes it.
      const held = await first.enqueue('slow', { n: 2 });
      for (let i = 0; i < 100 && !runs.includes('first:2:0'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await second.work<{ n: number }>('slow', (job) => {
        runs.push(`second:${job.payload.n}:${job.attempt}`);
        return Promise.resolve();
      });
      await first.stop({ timeoutMs: 1_000 });
      for (let i = 0; i < 100 && (await state(held)) !== 'completed'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      assert.equal(await state(held), 'completed');
      assert.deepEqual(runs, ['first:1:0', 'first:2:0', 'second:2:1']);
    } finally {
      await client.end();
      await first.stop({ timeoutMs: 1_000 });
      await second.stop({ timeoutMs: 1_000 });
      await db.drop();
    }
  });
});
