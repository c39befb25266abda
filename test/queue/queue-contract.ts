/**
 * The JobQueue contract (src/core/jobs/job-queue.ts), run against every adapter: the in-process
 * queue (test/queue/in-process.test.ts) and pg-boss on a real PostgreSQL (test/queue/pg-boss.test.ts).
 * No sleeps: every wait is on a handler having run (with node:test's timeout as the backstop).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job, JobQueue } from '../../src/core/jobs/job-queue.ts';

export interface QueueUnderTest {
  queue: JobQueue;
  /** Another queue on the same backing store (a second worker), where the adapter has one. */
  another?: () => Promise<JobQueue>;
  dispose(): Promise<void>;
}

/** Counts calls and lets a test wait for the n-th without polling. */
export class Recorder<P> {
  readonly jobs: Array<Job<P>> = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  record(job: Job<P>): void {
    this.jobs.push(job);
    this.waiters = this.waiters.filter((w) => (this.jobs.length >= w.n ? (w.resolve(), false) : true));
  }
  waitFor(n: number): Promise<void> {
    if (this.jobs.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let seq = 0;
const kind = (what: string): string => `contract-${what}-${process.pid}-${++seq}`;

export function queueContract(name: string, make: () => Promise<QueueUnderTest>, options: { skip?: string | false } = {}): void {
  describe(`JobQueue contract: ${name}`, { skip: options.skip ?? false, timeout: 60_000 }, () => {
    let subject: QueueUnderTest;
    before(async () => {
      subject = await make();
    });
    after(async () => {
      await subject.dispose();
    });

    it('a job enqueued before its handler is registered runs once, with its payload, attempt 0 and its enqueue time', async () => {
      const k = kind('once');
      const rec = new Recorder<{ n: number }>();
      const id = await subject.queue.enqueue(k, { n: 42 });
      assert.equal(typeof id, 'string');
      await subject.queue.work<{ n: number }>(k, (job) => Promise.resolve(rec.record(job)));
      await rec.waitFor(1);
      const [job] = rec.jobs;
      assert.deepEqual(job?.payload, { n: 42 });
      assert.equal(job?.id, id);
      assert.equal(job?.kind, k);
      assert.equal(job?.attempt, 0);
      assert.ok(job?.createdAt instanceof Date && !Number.isNaN(job.createdAt.getTime()));
      // A later job runs too, and the first is not run again.
      await subject.queue.enqueue(k, { n: 43 });
      await rec.waitFor(2);
      assert.deepEqual(rec.jobs.map((j) => j.payload.n), [42, 43]);
    });

    it('a singletonKey is enqueued once: a repeat answers null, before and after the job ran', async () => {
      const k = kind('singleton');
      const rec = new Recorder<{ sha: string }>();
      const first = await subject.queue.enqueue(k, { sha: 'a' }, { singletonKey: 'round-1:a' });
      assert.equal(typeof first, 'string');
      assert.equal(await subject.queue.enqueue(k, { sha: 'a' }, { singletonKey: 'round-1:a' }), null, 'a repeat while waiting');
      await subject.queue.work<{ sha: string }>(k, (job) => Promise.resolve(rec.record(job)));
      await rec.waitFor(1);
      assert.equal(await subject.queue.enqueue(k, { sha: 'a' }, { singletonKey: 'round-1:a' }), null, 'a repeat after it ran');
      const other = await subject.queue.enqueue(k, { sha: 'a' }, { singletonKey: 'round-2:a' });
      assert.equal(typeof other, 'string', 'another key is another job');
      assert.notEqual(other, first);
      await rec.waitFor(2);
      // The same key under another kind is another job.
      assert.equal(typeof (await subject.queue.enqueue(kind('singleton-other'), { sha: 'a' }, { singletonKey: 'round-1:a' })), 'string');
      assert.deepEqual(rec.jobs.map((j) => j.id).sort(), [first, other].sort());
    });

    it('a handler that throws has its job retried with a higher attempt until it succeeds', async () => {
      const k = kind('retry');
      const rec = new Recorder<{ x: number }>();
      await subject.queue.work<{ x: number }>(k, (job) => {
        rec.record(job);
        if (job.attempt < 2) return Promise.reject(new Error(`transient failure ${job.attempt}`));
        return Promise.resolve();
      });
      const id = await subject.queue.enqueue(k, { x: 1 });
      await rec.waitFor(3);
      assert.deepEqual(rec.jobs.map((j) => [j.id, j.attempt, j.payload.x]), [[id, 0, 1], [id, 1, 1], [id, 2, 1]]);
    });

    it('concurrency N: at most N jobs of a kind run at once in one process, and all of them run', async () => {
      const k = kind('concurrency');
      const rec = new Recorder<{ i: number }>();
      const done = new Recorder<{ i: number }>();
      const gate = deferred();
      let running = 0;
      let most = 0;
      for (let i = 0; i < 6; i++) await subject.queue.enqueue(k, { i });
      await subject.queue.work<{ i: number }>(
        k,
        async (job) => {
          running++;
          most = Math.max(most, running);
          rec.record(job);
          await gate.promise;
          running--;
          done.record(job);
        },
        { concurrency: 2 },
      );
      await rec.waitFor(2);
      assert.equal(running, 2, 'two jobs hold their slot');
      gate.resolve();
      await done.waitFor(6);
      assert.equal(most, 2);
      assert.deepEqual(done.jobs.map((j) => j.payload.i).sort(), [0, 1, 2, 3, 4, 5]);
    });

    it('two queues on one backing store share the jobs: each job runs exactly once', { skip: false }, async (t) => {
      if (subject.another === undefined) {
        t.skip('this adapter is one process (nothing to share with)');
        return;
      }
      const second = await subject.another();
      try {
        const k = kind('shared');
        const rec = new Recorder<{ i: number }>();
        const seenBy = new Map<string, string[]>();
        const handler = (who: string) => (job: Job<{ i: number }>) => {
          seenBy.set(job.id, [...(seenBy.get(job.id) ?? []), who]);
          rec.record(job);
          return Promise.resolve();
        };
        await subject.queue.work(k, handler('first'), { concurrency: 2 });
        await second.work(k, handler('second'), { concurrency: 2 });
        const ids = [];
        for (let i = 0; i < 40; i++) ids.push(await subject.queue.enqueue(k, { i }));
        await rec.waitFor(40);
        assert.equal(rec.jobs.length, 40);
        assert.deepEqual([...seenBy.keys()].sort(), [...ids].sort());
        assert.ok([...seenBy.values()].every((w) => w.length === 1), 'no job ran twice');
      } finally {
        await second.stop();
      }
    });
  });
}
