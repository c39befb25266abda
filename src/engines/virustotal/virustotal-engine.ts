/**
 * The VirusTotal API v3 engine (https://docs.virustotal.com/reference/overview): a lookup by
 * SHA-256 first (`GET /files/{id}`); an upload only when the file is unknown and the policy allows
 * it (`POST /files` up to 32 MB, `GET /files/upload_url` then a POST to that one-time URL up to
 * 650 MB, streamed); `POST /files/{id}/analyse` to rescan a known file under policy `always`;
 * `GET /analyses/{id}` polled with backoff until `completed`; then the file's
 * `last_analysis_results`, one verdict per AV engine.
 *
 * Quota: every request goes through a RequestLimiter (default: 4 requests in any 60-s window and
 * 500 a day per key, the public API's allowance, https://docs.virustotal.com/docs/api-overview).
 * 429 `QuotaExceededError`, 5xx, network errors and timeouts are retried with backoff; an upload
 * whose outcome is unknown (timeout, 5xx, dropped connection) is never repeated blindly: the hash
 * is looked up again first.
 */
import { ScanError, type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { CloudHttp, isRecord, serviceError, type CallContext, type CloudOutcome, type RetryPolicy } from '../cloud/cloud-http.ts';
import { multipartBody } from '../cloud/multipart.ts';
import { pollUntil as pollUntilAnswer, type PollSettings as ResolvedPoll } from '../cloud/poll.ts';
import { SingleFlight } from '../cloud/single-flight.ts';
import { SlidingWindowLimiter, abortReason, sharedLimiterFor, systemClock, type LimiterClock, type RequestLimiter } from '../quota/request-limiter.ts';
import { VIRUSTOTAL, vtDate, vtResultsToVerdicts, vtServiceVerdict } from './virustotal-verdicts.ts';

/** `never`: unreleased builds stay private (default). `unknown`: upload files VirusTotal does not know (`--upload`). `always`: also rescan known files. */
export type UploadPolicy = 'never' | 'unknown' | 'always';

export const VIRUSTOTAL_DEFAULT_URL = 'https://www.virustotal.com/api/v3';
/** `POST /files` takes files up to 32 MB; larger ones go to an upload URL (https://docs.virustotal.com/reference/files-upload-url). */
export const VT_DIRECT_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;
/** "the actual size limit is 650MBs" for upload URLs (same page). */
export const VT_UPLOAD_MAX_BYTES = 650 * 1024 * 1024;

/** The quota of a key; defaults are the public API's (4 per minute, 500 per day). */
export interface CloudQuota {
  /** Requests in any window (default 4). */
  perWindow?: number;
  /** Window length in ms (default 60,000). */
  windowMs?: number;
  /** Requests per day, counted from 00:00 UTC (default 500). */
  perDay?: number;
}

export interface PollSettings {
  /** First wait before polling an analysis (default 15,000 ms: each poll costs a request of the quota). */
  initialMs?: number;
  /** Longest wait between polls (default 60,000 ms; waits grow ×1.5). */
  maxMs?: number;
  /** Give up (a `timeout` verdict) after this long (default 20 min). */
  timeoutMs?: number;
}

/** What every cloud engine (VirusTotal, VT Monitor, MetaDefender) takes; each factory documents its own defaults. */
export interface CloudServiceOptions {
  /** The service's API key (VT_API_KEY, MD_API_KEY). Missing or empty: ScanError ENGINE_CONFIG_INVALID. Never printed or logged. */
  apiKey: string | undefined;
  /** The API's base URL (VT_API_URL, MD_API_URL); default the service's public one. */
  baseUrl?: string;
  /** Default `never`. */
  upload?: UploadPolicy;
  /** Default: one limiter per API key in this process with `quota`. */
  limiter?: RequestLimiter;
  /** Used when `limiter` is not given. */
  quota?: CloudQuota;
  /** Per request (lookups, polls); default 60,000 ms. */
  requestTimeoutMs?: number;
  /** Per upload; default 600,000 ms. */
  uploadTimeoutMs?: number;
  /** Default 5 attempts, backoff 2,000 ms doubling up to 60,000 ms. */
  retry?: Partial<RetryPolicy>;
  poll?: PollSettings;
  /** Stop asking a service that does not answer: after `afterFailures` requests in a row failed even with their retries, fail the next ones at once for `pauseMs`. Default 3 and 60,000 ms. */
  breaker?: { afterFailures?: number; pauseMs?: number };
  /** Injected time for tests; default the system clock. */
  clock?: LimiterClock;
  fetch?: typeof fetch;
}

/** VirusTotal: key VT_API_KEY, URL VT_API_URL (default `https://www.virustotal.com/api/v3`), quota 4 requests in any 60 s and 500 a UTC day. */
export type VirusTotalEngineOptions = CloudServiceOptions;

/** Shared option handling of the VirusTotal and VT Monitor engines. */
export function vtHttp(options: Omit<VirusTotalEngineOptions, 'upload'>, engineLabel: string): { http: CloudHttp; baseUrl: string; poll: ResolvedPoll; uploadTimeoutMs: number } {
  const apiKey = options.apiKey?.trim() ?? '';
  if (apiKey.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', `${engineLabel} needs an API key: set VT_API_KEY (your key is on https://www.virustotal.com/gui/my-apikey)`);
  const baseUrl = (options.baseUrl ?? VIRUSTOTAL_DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new ScanError('ENGINE_CONFIG_INVALID', `VT_API_URL must be an http(s) URL, got '${baseUrl.slice(0, 100)}'`);
  const clock = options.clock ?? systemClock;
  const quota = options.quota ?? {};
  const limiter =
    options.limiter ??
    sharedLimiterFor('virustotal', apiKey, () => new SlidingWindowLimiter({ perWindow: quota.perWindow ?? 4, windowMs: quota.windowMs ?? 60_000, perDay: quota.perDay ?? 500, dayResets: 'utc-midnight', clock }));
  const http = new CloudHttp({
    service: VIRUSTOTAL,
    shortName: 'VT',
    limiter,
    clock,
    retry: { maxAttempts: options.retry?.maxAttempts ?? 5, backoffMs: options.retry?.backoffMs ?? 2000, maxBackoffMs: options.retry?.maxBackoffMs ?? 60_000 },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    breaker: { afterFailures: options.breaker?.afterFailures ?? 3, pauseMs: options.breaker?.pauseMs ?? 60_000 },
    authHeaders: { 'x-apikey': apiKey },
    secrets: [apiKey],
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const poll = { initialMs: options.poll?.initialMs ?? 15_000, maxMs: options.poll?.maxMs ?? 60_000, timeoutMs: options.poll?.timeoutMs ?? 20 * 60_000 };
  return { http, baseUrl, poll, uploadTimeoutMs: options.uploadTimeoutMs ?? 600_000 };
}

/** A failure verdict for a response that is not the expected success. */
export function vtProblem(http: CloudHttp, what: string, outcome: CloudOutcome, scannedAt: string): Verdict {
  if (outcome.kind === 'response') {
    const error = serviceError(outcome.json);
    const code = error.code ?? `HTTP ${outcome.status}`;
    if (outcome.status === 401) return vtServiceVerdict('failure', http.clean(`VirusTotal rejected the API key (${code}): check VT_API_KEY`), scannedAt);
    if (outcome.status === 403) return vtServiceVerdict('failure', http.clean(`VirusTotal refused ${what} (${code}${error.message === null ? '' : `: ${error.message}`})`), scannedAt);
    return vtServiceVerdict('failure', http.clean(`VirusTotal ${what} failed (HTTP ${outcome.status} ${code}${error.message === null ? '' : `: ${error.message}`})`), scannedAt);
  }
  return vtServiceVerdict(outcome.kind === 'timeout' ? 'timeout' : 'failure', http.clean(`${what}: ${outcome.detail}`), scannedAt);
}

type Lookup = { state: 'known'; file: Record<string, unknown> } | { state: 'unknown' } | { state: 'failed'; verdict: Verdict };

/** What the port promises (lowercase hex); checked because the hash goes into a URL path. */
export function isSha256(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

export const NOT_KNOWN_DETAIL = 'not known to VirusTotal; not uploaded (upload policy never; --upload sends unknown files)';

/** The VirusTotal engine. One instance answers each SHA-256 once (concurrent and repeated scans of the same bytes share one lookup): create one per scan run. */
export function createVirusTotalEngine(options: VirusTotalEngineOptions): ScanEngine {
  const { http, baseUrl, poll, uploadTimeoutMs } = vtHttp(options, 'VirusTotal');
  const policy: UploadPolicy = options.upload ?? 'never';
  const clock = options.clock ?? systemClock;
  const nowIso = (): string => new Date(clock.now()).toISOString();
  let credentialsProblem: Verdict | null = null;

  const lookup = async (sha256: string, ctx: CallContext): Promise<Lookup> => {
    const outcome = await http.send({ method: 'GET', url: `${baseUrl}/files/${sha256}`, repeat: 'repeatable' }, ctx);
    if (outcome.kind === 'response') {
      if (outcome.status === 200 && isRecord(outcome.json) && isRecord(outcome.json.data)) return { state: 'known', file: outcome.json.data };
      if (outcome.status === 404) return { state: 'unknown' };
    }
    const verdict = vtProblem(http, 'lookup', outcome, nowIso());
    if (outcome.kind === 'response' && outcome.status === 401) credentialsProblem = verdict;
    return { state: 'failed', verdict };
  };

  const fileVerdicts = (file: Record<string, unknown>): Verdict[] => {
    const attributes = isRecord(file.attributes) ? file.attributes : {};
    return vtResultsToVerdicts(attributes.last_analysis_results, vtDate(attributes.last_analysis_date, nowIso()));
  };

  const pollUntil = <T>(ctx: CallContext, what: string, check: () => Promise<T | null>): Promise<T | 'timeout'> => pollUntilAnswer(http, clock, poll, ctx, `VirusTotal: ${what}, next check`, check);

  /** The file object once it carries engine results (after an upload or a rescan whose analysis id is lost). */
  const waitForFileResults = async (sha256: string, ctx: CallContext): Promise<Verdict[]> => {
    const answer = await pollUntil(ctx, 'analysis in progress', async () => {
      const found = await lookup(sha256, ctx);
      if (found.state === 'failed') return [found.verdict];
      if (found.state === 'known') {
        const verdicts = fileVerdicts(found.file);
        if (verdicts.length > 0) return verdicts;
      }
      return null;
    });
    return answer === 'timeout' ? [analysisTimeout()] : answer;
  };

  const analysisTimeout = (): Verdict =>
    vtServiceVerdict('timeout', `VirusTotal analysis not completed within ${Math.round(poll.timeoutMs / 60_000)} min; a later scan finds its results`, nowIso());

  /** Polls `GET /analyses/{id}` until `completed`, then reads the file object's results. */
  const waitForAnalysis = async (analysisId: string, sha256: string, ctx: CallContext): Promise<Verdict[]> => {
    const answer = await pollUntil(ctx, 'analysis queued', async () => {
      const outcome = await http.send({ method: 'GET', url: `${baseUrl}/analyses/${encodeURIComponent(analysisId)}`, repeat: 'repeatable' }, ctx);
      if (outcome.kind !== 'response' || outcome.status !== 200) return [vtProblem(http, 'analysis poll', outcome, nowIso())];
      const data = isRecord(outcome.json) && isRecord(outcome.json.data) ? outcome.json.data : {};
      const attributes = isRecord(data.attributes) ? data.attributes : {};
      return attributes.status === 'completed' ? ('completed' as const) : null;
    });
    if (answer === 'timeout') return [analysisTimeout()];
    if (answer !== 'completed') return answer;
    const found = await lookup(sha256, ctx);
    if (found.state === 'failed') return [found.verdict];
    if (found.state === 'known') {
      const verdicts = fileVerdicts(found.file);
      if (verdicts.length > 0) return verdicts;
    }
    return waitForFileResults(sha256, ctx);
  };

  const analysisIdOf = (json: unknown): string | null => {
    const data = isRecord(json) && isRecord(json.data) ? json.data : null;
    return data !== null && typeof data.id === 'string' && data.id.length > 0 ? data.id : null;
  };

  /** One upload: `{analysisId}`, `ambiguous` (the server may have it), or a failure verdict. */
  const uploadOnce = async (sample: ScanSample, ctx: CallContext): Promise<{ analysisId: string } | 'ambiguous' | Verdict> => {
    let url = `${baseUrl}/files`;
    if (sample.size > VT_DIRECT_UPLOAD_MAX_BYTES) {
      const outcome = await http.send({ method: 'GET', url: `${baseUrl}/files/upload_url`, repeat: 'repeatable' }, ctx);
      const data = outcome.kind === 'response' && outcome.status === 200 && isRecord(outcome.json) ? outcome.json.data : null;
      if (typeof data !== 'string' || !/^https?:\/\//.test(data)) return vtProblem(http, 'upload URL request', outcome, nowIso());
      url = data;
    }
    const outcome = await http.send(
      {
        method: 'POST',
        url,
        repeat: 'once',
        timeoutMs: uploadTimeoutMs,
        body: () => {
          const form = multipartBody({}, 'file', sample);
          return { body: form.body, contentLength: form.contentLength, contentType: form.contentType };
        },
      },
      ctx,
    );
    if (outcome.kind === 'ambiguous') return 'ambiguous';
    if (outcome.kind === 'response' && outcome.status === 200) {
      const id = analysisIdOf(outcome.json);
      if (id !== null) return { analysisId: id };
      return 'ambiguous';
    }
    return vtProblem(http, 'upload', outcome, nowIso());
  };

  const uploadAndWait = async (sample: ScanSample, ctx: CallContext): Promise<Verdict[]> => {
    if (sample.size > VT_UPLOAD_MAX_BYTES) {
      return [vtServiceVerdict('failure', `not known to VirusTotal; too large to upload (${Math.ceil(sample.size / 1048576)} MB, VirusTotal takes up to 650 MB: scan its inner files)`, nowIso())];
    }
    // At most two uploads, and the second only after a lookup showed the first did not arrive.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const uploaded = await uploadOnce(sample, ctx);
      if (uploaded !== 'ambiguous') return 'analysisId' in uploaded ? waitForAnalysis(uploaded.analysisId, sample.sha256, ctx) : [uploaded];
      const again = await lookupAfterAmbiguousUpload(sample.sha256, ctx);
      if (again.state === 'failed') return [again.verdict];
      if (again.state === 'known') {
        const verdicts = fileVerdicts(again.file);
        return verdicts.length > 0 ? verdicts : waitForFileResults(sample.sha256, ctx);
      }
    }
    return [vtServiceVerdict('failure', 'VirusTotal upload did not complete (twice); nothing more is sent for this file in this scan', nowIso())];
  };

  /** After an upload with no clear answer: is the file there now? Looks twice, a poll interval apart, before concluding it is not. */
  const lookupAfterAmbiguousUpload = async (sha256: string, ctx: CallContext): Promise<Lookup> => {
    const first = await lookup(sha256, ctx);
    if (first.state !== 'unknown') return first;
    await http.pause(poll.initialMs, 'VirusTotal: checking whether the upload arrived', ctx);
    return lookup(sha256, ctx);
  };

  const rescan = async (sha256: string, file: Record<string, unknown>, ctx: CallContext): Promise<Verdict[]> => {
    const outcome = await http.send({ method: 'POST', url: `${baseUrl}/files/${sha256}/analyse`, repeat: 'once' }, ctx);
    if (outcome.kind === 'response' && outcome.status === 200) {
      const id = analysisIdOf(outcome.json);
      if (id !== null) return waitForAnalysis(id, sha256, ctx);
    }
    // No rescan (refused, or no clear answer): the results VirusTotal already has are still verdicts.
    const verdicts = fileVerdicts(file);
    return verdicts.length > 0 ? verdicts : waitForFileResults(sha256, ctx);
  };

  const judge = async (sample: ScanSample, ctx: CallContext): Promise<Verdict[]> => {
    if (credentialsProblem !== null) return [{ ...credentialsProblem, scannedAt: nowIso() }];
    if (!isSha256(sample.sha256)) return [vtServiceVerdict('failure', 'not asked: the sample has no valid lowercase hex SHA-256', nowIso())];
    const found = await lookup(sample.sha256, ctx);
    if (found.state === 'failed') return [found.verdict];
    if (found.state === 'known') {
      if (policy === 'always') return rescan(sample.sha256, found.file, ctx);
      const verdicts = fileVerdicts(found.file);
      return verdicts.length > 0 ? verdicts : waitForFileResults(sample.sha256, ctx);
    }
    if (policy === 'never') return [vtServiceVerdict('failure', NOT_KNOWN_DETAIL, nowIso())];
    return uploadAndWait(sample, ctx);
  };

  const flights = new SingleFlight<Verdict[]>();
  return {
    id: 'virustotal',
    via: 'virustotal',
    scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      if (scanOptions.signal?.aborted === true) return Promise.reject(abortReason(scanOptions.signal));
      return flights.run(sample.sha256, scanOptions, (ctx) => judge(sample, ctx));
    },
  };
}

export { VIRUSTOTAL };
