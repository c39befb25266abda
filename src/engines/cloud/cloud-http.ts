/**
 * One HTTP request to a cloud scanner, within its quota, with bounded retries. Shared by the
 * VirusTotal, VT Monitor and MetaDefender adapters; uses Node's built-in `fetch`.
 *
 * Retried: HTTP 429 (the server did not act on the request; the limiter then blocks a full
 * window), and for requests that are safe to repeat (lookups, polls) also 5xx, network errors and
 * timeouts. A request that must not be repeated blindly (an upload) is never retried after an
 * answer that leaves open whether the server acted on it: the caller gets `ambiguous` and looks
 * the hash up again before deciding to upload again.
 */
import { DailyQuotaExhaustedError, abortReason, type LimiterClock, type RequestLimiter, type RequestPermit } from '../quota/request-limiter.ts';

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Wait before the first retry, doubled each time up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export interface CloudHttpConfig {
  /** For messages: `VirusTotal`, `MetaDefender`. */
  service: string;
  /** For progress notes, where space is short: `VT` ("VT quota: next request in 12 s"). Default `service`. */
  shortName?: string;
  limiter: RequestLimiter;
  clock: LimiterClock;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  /** Stop asking a service that does not answer: after this many requests in a row failed (each after its retries), fail at once for pauseMs. Default 3 and 60,000 ms. */
  breaker?: { afterFailures: number; pauseMs: number };
  /** The authentication headers (never logged, never put in a message). */
  authHeaders: Record<string, string>;
  /** Secrets to blank out of any text that reaches a verdict. */
  secrets: string[];
  fetch?: typeof fetch;
}

export interface CloudRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A fresh body for each attempt (a stream can be read once). */
  body?: () => { body: NonNullable<RequestInit['body']>; contentLength?: number; contentType?: string };
  /** Defaults to the config's requestTimeoutMs (uploads get longer). */
  timeoutMs?: number;
  /** `repeatable`: lookups and polls. `once`: uploads and rescans (only a 429 is retried). */
  repeat: 'repeatable' | 'once';
}

export interface CallContext {
  signal?: AbortSignal | undefined;
  onWait?: ((note: string) => void) | undefined;
}

export type CloudOutcome =
  | { kind: 'response'; status: number; json: unknown; headers: Headers }
  /** No usable answer after the allowed attempts (or, for `once` requests, an answer that leaves open whether the server acted). */
  | { kind: 'timeout' | 'network' | 'server-error' | 'quota' | 'ambiguous'; status?: number; detail: string };

export interface ServiceError {
  code: string | null;
  message: string | null;
}

/** The `error` member of a JSON error body: VirusTotal `{error: {code, message}}`, MetaDefender `{error: {code, messages: []}}`. */
export function serviceError(json: unknown): ServiceError {
  const error = isRecord(json) ? json.error : undefined;
  if (!isRecord(error)) return { code: null, message: null };
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : null;
  const message = typeof error.message === 'string' ? error.message : Array.isArray(error.messages) ? error.messages.filter((m) => typeof m === 'string').join('; ') : null;
  return { code, message };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class CloudHttp {
  private readonly fetchImpl: typeof fetch;

  constructor(readonly config: CloudHttpConfig) {
    this.fetchImpl = config.fetch ?? fetch;
  }

  /** One line, no control characters, no secret: fit for a verdict's `detail`. */
  clean(text: string): string {
    let out = text.replace(/\p{Cc}+/gu, ' ').trim();
    for (const secret of this.config.secrets) if (secret.length > 0) out = out.split(secret).join('***');
    return out.length > 300 ? `${out.slice(0, 297)}...` : out;
  }

  /** Sleeps `ms` (virtual in tests), telling the progress bar why when the wait is long. */
  async pause(ms: number, note: string, ctx: CallContext): Promise<void> {
    if (ms >= 1000) ctx.onWait?.(`${note} in ${Math.ceil(ms / 1000)} s`);
    await this.config.clock.sleep(ms, ctx.signal);
  }

  /**
   * One request with its retries. After `breaker.afterFailures` requests in a row got no answer
   * even with their retries (a dead or hanging service), the next requests fail at once for
   * `breaker.pauseMs` instead of each spending minutes on timeouts; then one is tried again.
   */
  async send(request: CloudRequest, ctx: CallContext): Promise<CloudOutcome> {
    const { afterFailures, pauseMs } = this.config.breaker ?? { afterFailures: 3, pauseMs: 60_000 };
    if (this.failuresInARow >= afterFailures && this.config.clock.now() < this.pausedUntil && this.lastFailure !== null) {
      if (ctx.signal?.aborted === true) throw abortReason(ctx.signal);
      return { kind: this.lastFailure.kind, detail: this.clean(`not asked: ${this.failuresInARow} requests in a row got no answer (last: ${this.lastFailure.detail})`) };
    }
    const outcome = await this.sendWithRetries(request, ctx);
    if (outcome.kind === 'response') this.failuresInARow = 0;
    else if (outcome.kind === 'timeout' || outcome.kind === 'network' || outcome.kind === 'server-error') {
      this.failuresInARow++;
      this.lastFailure = { kind: outcome.kind, detail: outcome.detail };
      if (this.failuresInARow >= afterFailures) this.pausedUntil = this.config.clock.now() + pauseMs;
    }
    return outcome;
  }

  private failuresInARow = 0;
  private pausedUntil = 0;
  private lastFailure: { kind: 'timeout' | 'network' | 'server-error'; detail: string } | null = null;

  private async sendWithRetries(request: CloudRequest, ctx: CallContext): Promise<CloudOutcome> {
    const { service, retry } = this.config;
    let last: CloudOutcome = { kind: 'network', detail: `${service}: no attempt made` };
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      if (ctx.signal?.aborted === true) throw abortReason(ctx.signal);
      if (attempt > 1) {
        const backoff = Math.min(retry.maxBackoffMs, retry.backoffMs * 2 ** (attempt - 2));
        await this.pause(backoff, `${this.config.shortName ?? service}: ${last.kind === 'quota' ? 'quota exceeded' : 'no answer'}, retrying`, ctx);
      }
      const outcome = await this.attempt(request, ctx);
      if (outcome.kind === 'response') {
        if (outcome.status === 429) {
          const error = serviceError(outcome.json);
          last = { kind: 'quota', status: 429, detail: this.clean(`${service} quota exceeded (HTTP 429${error.code === null ? '' : ` ${error.code}`}${error.message === null ? '' : `: ${error.message}`})`) };
          continue;
        }
        if (outcome.status >= 500) {
          const error = serviceError(outcome.json);
          last = { kind: 'server-error', status: outcome.status, detail: this.clean(`${service} server error (HTTP ${outcome.status}${error.code === null ? '' : ` ${error.code}`})`) };
          if (request.repeat === 'once') return { ...last, kind: 'ambiguous' };
          continue;
        }
        return outcome;
      }
      last = outcome;
      if (outcome.kind === 'quota') return outcome; // the daily allowance: no retry helps today
      if (request.repeat === 'once') return { ...outcome, kind: 'ambiguous' };
    }
    return last;
  }

  private async attempt(request: CloudRequest, ctx: CallContext): Promise<CloudOutcome> {
    const { service } = this.config;
    let permit: RequestPermit;
    try {
      // Every request counts, the upload to a one-time upload URL too: VirusTotal counts "requests of any nature".
      permit = await this.config.limiter.acquire({ signal: ctx.signal, onWait: (ms) => ctx.onWait?.(`${this.config.shortName ?? service} quota: next request in ${Math.ceil(ms / 1000)} s`) });
    } catch (error) {
      if (error instanceof DailyQuotaExhaustedError) return { kind: 'quota', detail: `${service}: ${error.message}` };
      throw error;
    }
    const timeout = new AbortController();
    const timeoutMs = request.timeoutMs ?? this.config.requestTimeoutMs;
    const timer = setTimeout(() => timeout.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
    const signal = ctx.signal === undefined ? timeout.signal : AbortSignal.any([ctx.signal, timeout.signal]);
    let released = false;
    const release = (outcome?: Parameters<RequestPermit['release']>[0]): void => {
      if (!released) permit.release(outcome);
      released = true;
    };
    try {
      const body = request.body?.();
      const headers: Record<string, string> = { ...this.config.authHeaders, accept: 'application/json', ...request.headers };
      if (body?.contentLength !== undefined) headers['content-length'] = String(body.contentLength);
      if (body?.contentType !== undefined) headers['content-type'] = body.contentType;
      const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, signal };
      if (body !== undefined) {
        init.body = body.body;
        init.duplex = 'half';
      }
      const response = await this.fetchImpl(request.url, init);
      const text = await response.text();
      let json: unknown = null;
      try {
        json = text.length > 0 ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      release(response.status === 429 ? { quotaExceeded: true, ...retryAfter(response.headers) } : {});
      return { kind: 'response', status: response.status, json, headers: response.headers };
    } catch (error) {
      release();
      if (ctx.signal?.aborted === true) throw abortReason(ctx.signal);
      if (timeout.signal.aborted) return { kind: 'timeout', detail: `${service} did not answer within ${Math.round(timeoutMs / 1000)} s` };
      const cause = error instanceof Error ? ((error.cause instanceof Error ? error.cause.message : '') || error.message) : String(error);
      return { kind: 'network', detail: this.clean(`${service} could not be reached: ${cause}`) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** `Retry-After` (seconds) or MetaDefender's `X-RateLimit-Reset-In` (seconds), as ms. */
function retryAfter(headers: Headers): { retryAfterMs?: number } {
  for (const name of ['retry-after', 'x-ratelimit-reset-in']) {
    const value = Number(headers.get(name));
    if (headers.get(name) !== null && Number.isFinite(value) && value >= 0) return { retryAfterMs: Math.min(value, 24 * 3600) * 1000 };
  }
  return {};
}
