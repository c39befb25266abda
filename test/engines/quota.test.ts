import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DailyQuotaExhaustedError, SlidingWindowLimiter } from '../../src/engines/quota/request-limiter.ts';
import { VirtualClock } from '../support/virtual-clock.ts';
import { maxInAnyWindow } from '../support/window-count.ts';

describe('SlidingWindowLimiter', () => {
  test('property: the server never receives more than N requests in any window, whatever the latency and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 50, max: 60_000 }),
        fc.array(fc.record({ startAfter: fc.double({ min: 0, max: 2, noNaN: true }), latency: fc.double({ min: 0, max: 1.5, noNaN: true }), receiptAt: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 30 }),
        async (perWindow, windowMs, requests) => {
          const clock = new VirtualClock();
          const limiter = new SlidingWindowLimiter({ perWindow, windowMs, clock });
          const receipts: number[] = [];
          const sends: number[] = [];
          const work = Promise.all(
            requests.map(async (r) => {
              await clock.sleep(r.startAfter * windowMs);
              const permit = await limiter.acquire();
              const sentAt = clock.now();
              sends.push(sentAt);
              // The server counts the request when it receives it: anywhere between send and response.
              receipts.push(sentAt + r.receiptAt * r.latency * windowMs);
              await clock.sleep(r.latency * windowMs);
              permit.release();
            }),
          );
          await clock.run(work);
          assert.equal(sends.length, requests.length, 'every request was sent');
          assert.ok(maxInAnyWindow(receipts, windowMs) <= perWindow, `more than ${perWindow} receipts in a window of ${windowMs} ms`);
          assert.ok(maxInAnyWindow(sends, windowMs) <= perWindow, `more than ${perWindow} sends in a window`);
        },
      ),
      { numRuns: 200, seed: 20261205 },
    );
  });

  test('property: callers that give up while waiting (abort) never block the others nor break the quota', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ startAfter: fc.double({ min: 0, max: 2, noNaN: true }), latency: fc.double({ min: 0, max: 1, noNaN: true }), abortAfter: fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: undefined }) }), { minLength: 1, maxLength: 25 }),
        async (perWindow, requests) => {
          const windowMs = 1000;
          const clock = new VirtualClock();
          const limiter = new SlidingWindowLimiter({ perWindow, windowMs, clock });
          const sends: number[] = [];
          let aborted = 0;
          const work = Promise.all(
            requests.map(async (r) => {
              const controller = new AbortController();
              if (r.abortAfter !== undefined) void clock.sleep(r.abortAfter * windowMs).then(() => controller.abort());
              await clock.sleep(r.startAfter * windowMs);
              try {
                const permit = await limiter.acquire({ signal: controller.signal });
                sends.push(clock.now());
                await clock.sleep(r.latency * windowMs);
                permit.release();
              } catch (error) {
                assert.equal((error as Error).name, 'AbortError');
                aborted++;
              }
            }),
          );
          await clock.run(work);
          assert.equal(sends.length + aborted, requests.length, 'every caller either sent or gave up');
          assert.ok(maxInAnyWindow(sends, windowMs) <= perWindow);
          assert.ok(requests.filter((r) => r.abortAfter === undefined).length <= sends.length, 'callers that never abort all get their turn');
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  test('with instant responses, 12 requests at 4 per minute take exactly two further minutes (no needless waiting)', async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ perWindow: 4, windowMs: 60_000, clock });
    const start = clock.now();
    const sends: number[] = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 12 }, async () => {
          const permit = await limiter.acquire();
          sends.push(clock.now() - start);
          permit.release();
        }),
      ),
    );
    assert.deepEqual(sends, [0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000, 120_000, 120_000, 120_000, 120_000]);
  });

  test('a token bucket would allow 7 in a window; the log allows 4 (the issue\'s counter-example)', async () => {
    // Bucket of 4 refilling one per 15 s: 4 at t=59 s (full bucket), then 3 more at 60, 75 and 90 s... within [59 s, 119 s) that is 7.
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ perWindow: 4, windowMs: 60_000, clock });
    const sends: number[] = [];
    const requestAt = async (ms: number): Promise<void> => {
      await clock.sleep(ms);
      const permit = await limiter.acquire();
      sends.push(clock.now());
      permit.release();
    };
    await clock.run(Promise.all([59_000, 59_000, 59_000, 59_000, 60_000, 75_000, 90_000].map(requestAt)));
    assert.equal(maxInAnyWindow(sends, 60_000), 4);
  });

  test('a request in flight keeps its slot until its response plus a window', async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ perWindow: 1, windowMs: 1000, clock });
    const start = clock.now();
    let secondAt = -1;
    await clock.run(
      (async () => {
        const first = await limiter.acquire();
        const second = limiter.acquire().then((p) => {
          secondAt = clock.now() - start;
          p.release();
        });
        await clock.sleep(5000); // a slow response
        first.release();
        await second;
      })(),
    );
    assert.equal(secondAt, 6000);
  });

  test('a 429 from the server blocks every slot for a full window (or the server-given wait)', async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ perWindow: 10, windowMs: 1000, clock });
    const start = clock.now();
    const at: number[] = [];
    await clock.run(
      (async () => {
        (await limiter.acquire()).release({ quotaExceeded: true });
        const p = await limiter.acquire();
        at.push(clock.now() - start);
        p.release({ quotaExceeded: true, retryAfterMs: 5000 });
        (await limiter.acquire()).release();
        at.push(clock.now() - start);
      })(),
    );
    assert.deepEqual(at, [1000, 6000]);
  });

  test('the daily allowance: the next request fails clearly, and the count starts again at 00:00 UTC', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1, 23, 0));
    const limiter = new SlidingWindowLimiter({ perWindow: 100, windowMs: 1000, perDay: 3, clock });
    await clock.run(
      (async () => {
        for (let i = 0; i < 3; i++) (await limiter.acquire()).release();
        await assert.rejects(limiter.acquire(), (e: unknown) => e instanceof DailyQuotaExhaustedError && e.resetsAt === Date.UTC(2026, 0, 2) && /daily quota of 3/.test(e.message));
        await clock.sleep(3600_000);
        (await limiter.acquire()).release();
      })(),
    );
    assert.equal(limiter.busySlots, 1, 'the last request still holds its window');
  });

  test('waits are reported once per wait, and an abort rejects with AbortError without blocking the queue', async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ perWindow: 1, windowMs: 12_000, clock });
    const waits: number[] = [];
    await clock.run(
      (async () => {
        (await limiter.acquire()).release();
        const controller = new AbortController();
        const aborted = limiter.acquire({ signal: controller.signal, onWait: (ms) => waits.push(ms) });
        const next = limiter.acquire();
        await clock.sleep(1000);
        controller.abort();
        await assert.rejects(aborted, (e: Error) => e.name === 'AbortError');
        (await next).release();
      })(),
    );
    assert.deepEqual(waits, [12_000]);
  });

  test('invalid settings are refused', () => {
    assert.throws(() => new SlidingWindowLimiter({ perWindow: 0, windowMs: 1000 }), RangeError);
    assert.throws(() => new SlidingWindowLimiter({ perWindow: 4, windowMs: 0 }), RangeError);
  });
});
