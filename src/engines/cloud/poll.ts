import type { LimiterClock } from '../quota/request-limiter.ts';
import type { CallContext, CloudHttp } from './cloud-http.ts';

export interface PollSettings {
  /** First wait before polling (each poll costs a request of the quota). */
  initialMs: number;
  /** Longest wait between polls (waits grow ×1.5 up to this). */
  maxMs: number;
  /** Give up after this long: the caller then reports a `timeout` verdict. */
  timeoutMs: number;
}

/** Waits with growing pauses until `check` gives an answer, or returns 'timeout' when the next wait would pass the deadline. */
export async function pollUntil<T>(http: CloudHttp, clock: LimiterClock, poll: PollSettings, ctx: CallContext, note: string, check: () => Promise<T | null>): Promise<T | 'timeout'> {
  const deadline = clock.now() + poll.timeoutMs;
  let wait = poll.initialMs;
  for (;;) {
    if (clock.now() + wait > deadline) return 'timeout';
    await http.pause(wait, note, ctx);
    const answer = await check();
    if (answer !== null) return answer;
    wait = Math.min(poll.maxMs, Math.ceil(wait * 1.5));
  }
}
