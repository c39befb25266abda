/**
 * Request quotas of the cloud scanners (VirusTotal: "at most 4 requests of any nature in any given
 * 1 minute time frame" and a daily allowance, https://docs.virustotal.com/docs/api-overview;
 * MetaDefender Cloud: per-minute throttling and a daily allowance per API family,
 * https://www.opswat.com/docs/mdcloud/integrations/rate-limiting).
 *
 * The port is one small verb so that a limiter shared between workers (a PostgreSQL table of
 * request slots) can replace the in-process one without touching the engines.
 */

/** What happened to a request, told to the limiter when its response (or its failure) arrived. */
export interface PermitOutcome {
  /** The server answered that the quota is exceeded (HTTP 429): its window is full, whatever we counted. */
  quotaExceeded?: boolean;
  /** How long the server asked us to wait (MetaDefender's `X-RateLimit-Reset-In`, a `Retry-After`), in ms. */
  retryAfterMs?: number;
}

/** Permission to send one request; `release` must be called once the response arrived or the request was abandoned. */
export interface RequestPermit {
  release(outcome?: PermitOutcome): void;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Called before a wait longer than a moment, with the wait in ms (for "VT quota: next request in 12 s"). */
  onWait?: (waitMs: number) => void;
}

/** The quota port: waits until one more request fits every quota of the key, then lends a permit. */
export interface RequestLimiter {
  /**
   * Resolves when a request may be sent now. Rejects with AbortError when `signal` aborts and with
   * DailyQuotaExhaustedError when the daily allowance is used up (waiting hours is no use to a CLI).
   */
  acquire(options?: AcquireOptions): Promise<RequestPermit>;
}

/** Time as the limiter sees it; injected so tests run minutes of quota in virtual time. */
export interface LimiterClock {
  /** Milliseconds since the Unix epoch (used for the UTC day boundary), monotonic within a run. */
  now(): number;
  /** Resolves after `ms` (or earlier, on abort: it then rejects with the signal's reason). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The daily allowance of the key is used up: no request can be sent before it resets. */
export class DailyQuotaExhaustedError extends Error {
  override readonly name = 'DailyQuotaExhaustedError';
  readonly code = 'DAILY_QUOTA_EXHAUSTED' as const;
  constructor(
    readonly limit: number,
    readonly resetsAt: number,
  ) {
    super(`the daily quota of ${limit} requests is used up; it resets at ${new Date(resetsAt).toISOString()}`);
  }
}

export const systemClock: LimiterClock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, Math.ceil(ms)));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** The signal's reason as an Error named AbortError (what `AbortSignal.abort()` gives, a DOMException). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}

export interface SlidingWindowLimiterOptions {
  /** Requests allowed in any window of `windowMs` (VirusTotal public key: 4). */
  perWindow: number;
  /** The window length in ms (VirusTotal: 60,000). */
  windowMs: number;
  /** Requests allowed per day (VirusTotal public key: 500); Infinity for none. */
  perDay?: number;
  /** When the daily count starts again: at 00:00 UTC (VirusTotal) or 24 h after the day's first request (MetaDefender). Default 'utc-midnight'. */
  dayResets?: 'utc-midnight' | 'rolling-24h';
  /** Extra ms a slot stays busy after window end, for clock differences with a remote server. Default 0. */
  marginMs?: number;
  clock?: LimiterClock;
  /** Waits shorter than this are not reported through onWait. Default 1,000 ms. */
  reportWaitsFromMs?: number;
}

interface Slot {
  sentAt: number;
  /** When the response arrived; null while the request is in flight (its slot's end is not known yet). */
  doneAt: number | null;
}

/**
 * A sliding-window log, not a token bucket: a request occupies its slot from the moment it is sent
 * until `windowMs` after its response arrived. The server counts a request when it receives it,
 * which is between our send and our response, so any two requests the server sees within one
 * window were both occupying slots when the later one was sent: the server never sees more than
 * `perWindow` in any window, whatever the network latency. (A bucket of 4 refilling one every 15 s
 * lets 7 through in some 60-s windows.)
 */
export class SlidingWindowLimiter implements RequestLimiter {
  private readonly slots: Slot[] = [];
  private readonly dayLog: number[] = [];
  private blockedUntil = 0;
  private turn: Promise<void> = Promise.resolve();
  private changed: { promise: Promise<void>; resolve: () => void };
  private readonly clock: LimiterClock;
  private readonly perDay: number;
  private readonly dayResets: 'utc-midnight' | 'rolling-24h';
  private readonly marginMs: number;
  private readonly reportWaitsFromMs: number;

  /** Its quota (a limiter shared through a database takes the same settings, see setSharedLimiterBackend). */
  constructor(readonly options: SlidingWindowLimiterOptions) {
    if (!Number.isInteger(options.perWindow) || options.perWindow < 1) throw new RangeError(`perWindow must be a positive integer, got ${options.perWindow}`);
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
    this.clock = options.clock ?? systemClock;
    this.perDay = options.perDay ?? Infinity;
    if (!(this.perDay >= 1)) throw new RangeError(`perDay must be at least 1, got ${this.perDay}`);
    this.dayResets = options.dayResets ?? 'utc-midnight';
    this.marginMs = options.marginMs ?? 0;
    this.reportWaitsFromMs = options.reportWaitsFromMs ?? 1000;
    this.changed = this.newChange();
  }

  /** Requests sent and not yet out of their window (for tests and diagnostics). */
  get busySlots(): number {
    this.prune(this.clock.now());
    return this.slots.length;
  }

  async acquire(options: AcquireOptions = {}): Promise<RequestPermit> {
    const { signal } = options;
    if (signal?.aborted === true) throw abortReason(signal);
    // First come, first served: each caller waits for the previous one to get its slot. The
    // check-and-record below is synchronous, so the quota holds even without this queue.
    const previous = this.turn;
    let myTurnDone!: () => void;
    this.turn = new Promise<void>((resolve) => (myTurnDone = resolve));
    try {
      await raceAbort(previous, signal);
    } catch (error) {
      void previous.then(myTurnDone);
      throw error;
    }
    try {
      return await this.waitForSlot(options);
    } finally {
      myTurnDone();
    }
  }

  private async waitForSlot({ signal, onWait }: AcquireOptions): Promise<RequestPermit> {
    let reportedUntil = -Infinity;
    for (;;) {
      if (signal?.aborted === true) throw abortReason(signal);
      const now = this.clock.now();
      this.prune(now);
      const dayResetAt = this.dayResetAt(now);
      if (this.dayLog.length >= this.perDay) throw new DailyQuotaExhaustedError(this.perDay, dayResetAt);
      let freeAt = Math.max(now, this.blockedUntil);
      if (this.slots.length >= this.options.perWindow) {
        // The slot that frees first; slots still in flight free only after their response.
        const ends = this.slots.filter((s) => s.doneAt !== null).map((s) => this.slotEnd(s));
        const needed = this.slots.length - this.options.perWindow + 1;
        if (ends.length < needed) {
          await raceAbort(this.changed.promise, signal);
          continue;
        }
        ends.sort((a, b) => a - b);
        freeAt = Math.max(freeAt, ends[needed - 1] ?? now);
      }
      if (freeAt <= now) {
        const slot: Slot = { sentAt: now, doneAt: null };
        this.slots.push(slot);
        this.dayLog.push(now);
        let released = false;
        return {
          release: (outcome = {}) => {
            if (released) return;
            released = true;
            const at = this.clock.now();
            slot.doneAt = at;
            if (outcome.quotaExceeded === true) {
              // The server's window is full (other clients on the key, or a restart that forgot our log).
              this.blockedUntil = Math.max(this.blockedUntil, at + Math.max(this.options.windowMs, outcome.retryAfterMs ?? 0));
            } else if (outcome.retryAfterMs !== undefined) {
              this.blockedUntil = Math.max(this.blockedUntil, at + outcome.retryAfterMs);
            }
            this.signalChange();
          },
        };
      }
      const wait = freeAt - now;
      if (onWait !== undefined && wait >= this.reportWaitsFromMs && freeAt > reportedUntil) {
        reportedUntil = freeAt;
        onWait(wait);
      }
      await this.clock.sleep(wait, signal);
    }
  }

  private slotEnd(slot: Slot): number {
    return slot.doneAt === null ? Infinity : slot.doneAt + this.options.windowMs + this.marginMs;
  }

  private prune(now: number): void {
    for (let i = this.slots.length - 1; i >= 0; i--) {
      const slot = this.slots[i];
      if (slot !== undefined && this.slotEnd(slot) <= now) this.slots.splice(i, 1);
    }
    const dayStart = this.dayStart(now);
    while (this.dayLog.length > 0 && (this.dayLog[0] ?? 0) < dayStart) this.dayLog.shift();
  }

  private dayStart(now: number): number {
    if (this.dayResets === 'utc-midnight') {
      const d = new Date(now);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    }
    return now - 24 * 3600_000;
  }

  private dayResetAt(now: number): number {
    if (this.dayResets === 'utc-midnight') return this.dayStart(now) + 24 * 3600_000;
    return (this.dayLog[0] ?? now) + 24 * 3600_000;
  }

  private newChange(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  private signalChange(): void {
    const current = this.changed;
    this.changed = this.newChange();
    current.resolve();
  }
}

/** `promise`, or a rejection with the abort reason as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const sharedLimiters = new Map<string, RequestLimiter>();

/**
 * Where the limiters of API keys live: this process (default), or a store every worker shares (the
 * composition root sets a PostgreSQL-backed one for `absolve worker`, so N workers on one VT key
 * stay within its quota together). It receives the in-process limiter the engine would have used,
 * whose `options` say the quota.
 */
export type SharedLimiterBackend = (service: string, apiKey: string, local: RequestLimiter) => RequestLimiter;
let backend: SharedLimiterBackend | undefined;

/** Sets (or, with undefined, clears) the backend of sharedLimiterFor; limiters made before stay as they are. */
export function setSharedLimiterBackend(next: SharedLimiterBackend | undefined): void {
  backend = next;
  sharedLimiters.clear();
}

/**
 * One limiter per service and API key in this process, so that two engines on the same key (the
 * VirusTotal and VT Monitor engines) share its quota. The key is only used as a map key, never logged.
 */
export function sharedLimiterFor(service: string, apiKey: string, create: () => RequestLimiter): RequestLimiter {
  const id = `${service}\u0000${apiKey}`;
  let limiter = sharedLimiters.get(id);
  if (limiter === undefined) {
    limiter = backend === undefined ? create() : backend(service, apiKey, create());
    sharedLimiters.set(id, limiter);
  }
  return limiter;
}

/**
 * Several quotas at once (MetaDefender: all requests per minute and per day, and uploads per day on
 * the Prevention API): a permit from each, in order, released together.
 */
export class CombinedLimiter implements RequestLimiter {
  constructor(private readonly limiters: readonly RequestLimiter[]) {}

  async acquire(options: AcquireOptions = {}): Promise<RequestPermit> {
    const permits: RequestPermit[] = [];
    try {
      for (const limiter of this.limiters) permits.push(await limiter.acquire(options));
    } catch (error) {
      for (const permit of permits) permit.release();
      throw error;
    }
    return { release: (outcome) => permits.forEach((p) => p.release(outcome)) };
  }
}
