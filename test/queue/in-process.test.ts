/** The in-process queue: the shared contract, its schedule on a fake clock, and stop. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InProcessJobQueue, type QueueTimers } from '../../src/queue/in-process.ts';
import { queueContract, Recorder } from './queue-contract.ts';

queueContract('in-process', () => Promise.resolve({ queue: new InProcessJobQueue({ retryDelayMs: 0 }), dispose: () => Promise.resolve() }));

/** Timers in virtual time: `advance` fires what falls due, in order. */
export class FakeTimers implements QueueTimers {
  private t: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  constructor(start: string) {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  setTimer(ms: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return () => (this.timers = this.timers.filter((x) => x.id !== id));
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
    await new Promise((r) => setImmediate(r));
  }
  get pending(): number {
    return this.timers.length;
  }
}

describe('InProcessJobQueue', () => {
  it('schedule: a job at each time the cron names (UTC), none in between, on a fake clock', async () => {
    const timers = new FakeTimers('2026-12-05T02:59:30Z');
    const queue = new InProcessJobQueue({ timers });
    const rec = new Recorder<{ engines: string[] }>();
    await queue.work<{ engines: string[] }>('monitor-round', (job) => Promise.resolve(rec.record(job)));
    await queue.schedule('monitor-round', '0 3 * * *', { engines: ['virustotal'] });
    await timers.advance(29_000);
    assert.equal(rec.jobs.length, 0, 'not before 03:00');
    await timers.advance(1_000);
    assert.equal(rec.jobs.length, 1, 'at 03:00');
    assert.equal(rec.jobs[0]?.createdAt.toISOString(), '2026-12-05T03:00:00.000Z');
    assert.deepEqual(rec.jobs[0]?.payload, { engines: ['virustotal'] });
    await timers.advance(24 * 3_600_000 - 1);
    assert.equal(rec.jobs.length, 1, 'not again before the next day');
    await timers.advance(1);
    assert.equal(rec.jobs.length, 2);
    await timers.advance(10 * 24 * 3_600_000);
    assert.equal(rec.jobs.length, 12, 'once a day, through the timer splits');
    await queue.stop();
    assert.equal(timers.pending, 0, 'stop cancels the schedule');
  });

  it('a job that keeps failing is retried retryLimit times with a doubling delay, then reported once', async () => {
    const timers = new FakeTimers('2026-12-05T00:00:00Z');
    const failed: string[] = [];
    const queue = new InProcessJobQueue({ timers, retryLimit: 2, retryDelayMs: 1_000, onFailed: (job) => failed.push(job.id) });
    const rec = new Recorder<object>();
    await queue.work('k', (job) => {
      rec.record(job);
      return Promise.reject(new Error('always'));
    });
    const id = await queue.enqueue('k', {});
    await timers.advance(0);
    assert.equal(rec.jobs.length, 1);
    await timers.advance(999);
    assert.equal(rec.jobs.length, 1, 'first retry after 1 s');
    await timers.advance(1);
    assert.equal(rec.jobs.length, 2);
    await timers.advance(2_000);
    assert.equal(rec.jobs.length, 3, 'second retry 2 s later');
    await timers.advance(60_000);
    assert.equal(rec.jobs.length, 3);
    assert.deepEqual(failed, [id]);
  });

  it('stop waits for running jobs and takes no new ones', async () => {
    const queue = new InProcessJobQueue();
    let finish!: () => void;
    const started = new Recorder<object>();
    let finished = false;
    await queue.work('k', async (job) => {
      started.record(job);
      await new Promise<void>((r) => (finish = r));
      finished = true;
    });
    await queue.enqueue('k', {});
    await started.waitFor(1);
    const stopping = queue.stop();
    finish();
    await stopping;
    assert.equal(finished, true);
    await assert.rejects(queue.enqueue('k', {}), /stopped/);
  });
});
