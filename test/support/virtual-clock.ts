/**
 * Virtual time for quota tests: `sleep` registers a timer and `run` advances the clock from timer
 * to timer once every pending promise has settled, so minutes of quota take milliseconds and no
 * test depends on the wall clock.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { abortReason, type LimiterClock } from '../../src/engines/quota/request-limiter.ts';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class VirtualClock implements LimiterClock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1, 12)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  /** Lets every settled promise run, then fires timers in time order until `done` settles. */
  async run<T>(done: Promise<T>): Promise<T> {
    let finished = false;
    const result = done.finally(() => {
      finished = true;
    });
    for (;;) {
      for (let i = 0; i < 5; i++) await tick();
      if (finished) return result;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (next === undefined) {
        await tick();
        if (finished) return result;
        throw new Error('VirtualClock: nothing left to wait for, but the work did not finish (a deadlock)');
      }
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
  }
}
