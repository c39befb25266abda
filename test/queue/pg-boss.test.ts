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
});
