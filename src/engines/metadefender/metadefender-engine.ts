/**
 * The MetaDefender Cloud v4 engine (https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4):
 * hash lookups (`GET /v4/hash/{hash}`, and `POST /v4/hash` for up to 1,000 hashes at once through
 * `lookupMany`), an upload only when the file is unknown and the policy allows it (`POST /v4/file`,
 * the raw bytes streamed), `GET /v4/file/{data_id}` polled until `scan_results.progress_percentage`
 * is 100, and `GET /v4/file/{file_id}/rescan` for known files under policy `always`. Header `apikey`.
 * Same quota, retry and no-blind-re-upload rules as the VirusTotal engine.
 */
import { ScanError, type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { CloudHttp, isRecord, serviceError, type CallContext, type CloudOutcome } from '../cloud/cloud-http.ts';
import { uploadFileName, streamOf } from '../cloud/multipart.ts';
import { pollUntil } from '../cloud/poll.ts';
import { SingleFlight } from '../cloud/single-flight.ts';
import { CombinedLimiter, SlidingWindowLimiter, abortReason, sharedLimiterFor, systemClock, type RequestLimiter } from '../quota/request-limiter.ts';
import { isSha256, type CloudServiceOptions, type UploadPolicy } from '../virustotal/virustotal-engine.ts';
import { METADEFENDER, mdReportToVerdicts, mdServiceVerdict } from './metadefender-verdicts.ts';

export const METADEFENDER_DEFAULT_URL = 'https://api.metadefender.com/v4';
/** "The maximum number of hashes to be retrieved in 1 request is 1000" (3.2 Retrieving scan reports for multiple data hashes). */
export const MD_BULK_MAX = 1000;

/**
 * MetaDefender: key MD_API_KEY, URL MD_API_URL (default `https://api.metadefender.com/v4`). Quota defaults: 10
 * requests in any 60-s window (free throttling), 4,000 a day (Reputation API), the day counted from the first
 * request (MetaDefender's limits reset 24 h after it). Polls start after 10 s, grow to 60 s, give up after 20 min.
 */
export interface MetaDefenderEngineOptions extends CloudServiceOptions {
  /** Uploads and rescans (the Prevention API's own daily allowance). Default: one limiter per key with `uploadsPerDay`. */
  uploadLimiter?: RequestLimiter;
  /** Uploads and rescans per 24 h when `uploadLimiter` is not given; default 40 (the free key). */
  uploadsPerDay?: number;
}

/** The MetaDefender engine: a ScanEngine plus a bulk lookup the scan use case can call first. */
export interface MetaDefenderEngine extends ScanEngine {
  /**
   * Looks up many SHA-256s with `POST /v4/hash` (1,000 per request) and keeps the reports, so that
   * `scan()` of those samples needs no further lookup. Resolves with what MetaDefender knows;
   * hashes missing from the map could not be looked up (scan() will try them one by one).
   */
  lookupMany(sha256s: readonly string[], options?: ScanOptions): Promise<Map<string, 'known' | 'unknown'>>;
}

type Report = { state: 'known'; report: Record<string, unknown> } | { state: 'unknown' };
type Lookup = Report | { state: 'failed'; verdict: Verdict };

export const MD_NOT_KNOWN_DETAIL = 'not known to MetaDefender; not uploaded (upload policy never; --upload sends unknown files)';

export function createMetaDefenderEngine(options: MetaDefenderEngineOptions): MetaDefenderEngine {
  const apiKey = options.apiKey?.trim() ?? '';
  if (apiKey.length === 0) throw new ScanError('ENGINE_CONFIG_INVALID', 'MetaDefender needs an API key: set MD_API_KEY (your key is on https://metadefender.opswat.com/account)');
  const baseUrl = (options.baseUrl ?? METADEFENDER_DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new ScanError('ENGINE_CONFIG_INVALID', `MD_API_URL must be an http(s) URL, got '${baseUrl.slice(0, 100)}'`);
  const policy: UploadPolicy = options.upload ?? 'never';
  const clock = options.clock ?? systemClock;
  const quota = options.quota ?? {};
  const limiter =
    options.limiter ??
    sharedLimiterFor('metadefender', apiKey, () => new SlidingWindowLimiter({ perWindow: quota.perWindow ?? 10, windowMs: quota.windowMs ?? 60_000, perDay: quota.perDay ?? 4000, dayResets: 'rolling-24h', clock }));
  const uploadLimiter = options.uploadLimiter ?? sharedLimiterFor('metadefender-prevention', apiKey, () => new SlidingWindowLimiter({ perWindow: 1_000_000, windowMs: 1000, perDay: options.uploadsPerDay ?? 40, dayResets: 'rolling-24h', clock }));
  const settings = {
    service: METADEFENDER,
    clock,
    retry: { maxAttempts: options.retry?.maxAttempts ?? 5, backoffMs: options.retry?.backoffMs ?? 2000, maxBackoffMs: options.retry?.maxBackoffMs ?? 60_000 },
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    breaker: { afterFailures: options.breaker?.afterFailures ?? 3, pauseMs: options.breaker?.pauseMs ?? 60_000 },
    authHeaders: { apikey: apiKey },
    secrets: [apiKey],
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const http = new CloudHttp({ ...settings, limiter });
  const uploadHttp = new CloudHttp({ ...settings, limiter: new CombinedLimiter([uploadLimiter, limiter]) });
  const poll = { initialMs: options.poll?.initialMs ?? 10_000, maxMs: options.poll?.maxMs ?? 60_000, timeoutMs: options.poll?.timeoutMs ?? 20 * 60_000 };
  const uploadTimeoutMs = options.uploadTimeoutMs ?? 600_000;
  const nowIso = (): string => new Date(clock.now()).toISOString();
  const known = new Map<string, Report>();
  let credentialsProblem: Verdict | null = null;

  const problem = (what: string, outcome: CloudOutcome): Verdict => {
    if (outcome.kind === 'response') {
      const error = serviceError(outcome.json);
      const code = error.code === null ? `HTTP ${outcome.status}` : `HTTP ${outcome.status} ${error.code}`;
      if (outcome.status === 401) {
        credentialsProblem = mdServiceVerdict('failure', http.clean(`MetaDefender rejected the API key (${code}${error.message === null ? '' : `: ${error.message}`}): check MD_API_KEY`), nowIso());
        return credentialsProblem;
      }
      return mdServiceVerdict('failure', http.clean(`MetaDefender ${what} failed (${code}${error.message === null ? '' : `: ${error.message}`})`), nowIso());
    }
    return mdServiceVerdict(outcome.kind === 'timeout' ? 'timeout' : 'failure', http.clean(`${what}: ${outcome.detail}`), nowIso());
  };

  const lookup = async (sha256: string, ctx: CallContext): Promise<Lookup> => {
    const outcome = await http.send({ method: 'GET', url: `${baseUrl}/hash/${sha256}`, repeat: 'repeatable' }, ctx);
    if (outcome.kind === 'response') {
      if (outcome.status === 200 && isRecord(outcome.json)) return { state: 'known', report: outcome.json };
      if (outcome.status === 404) return { state: 'unknown' };
    }
    return { state: 'failed', verdict: problem('lookup', outcome) };
  };

  const dataIdOf = (json: unknown): string | null => (isRecord(json) && typeof json.data_id === 'string' && json.data_id.length > 0 ? json.data_id : null);

  const isComplete = (report: Record<string, unknown>): boolean => {
    const results = isRecord(report.scan_results) ? report.scan_results : null;
    return results !== null && results.progress_percentage === 100 && isRecord(results.scan_details);
  };

  const verdictsOf = (report: Record<string, unknown>): Verdict[] => {
    const verdicts = mdReportToVerdicts(report, nowIso());
    return verdicts.length > 0 ? verdicts : [mdServiceVerdict('failure', 'MetaDefender returned a report without engine results', nowIso())];
  };

  const waitForReport = async (dataId: string, ctx: CallContext): Promise<Verdict[]> => {
    const answer = await pollUntil(http, clock, poll, ctx, 'MetaDefender: scan in progress, next check', async () => {
      const outcome = await http.send({ method: 'GET', url: `${baseUrl}/file/${encodeURIComponent(dataId)}`, repeat: 'repeatable' }, ctx);
      if (outcome.kind !== 'response' || outcome.status !== 200 || !isRecord(outcome.json)) return [problem('report poll', outcome)];
      return isComplete(outcome.json) ? verdictsOf(outcome.json) : null;
    });
    return answer === 'timeout' ? [mdServiceVerdict('timeout', `MetaDefender scan not completed within ${Math.round(poll.timeoutMs / 60_000)} min; a later scan finds its results`, nowIso())] : answer;
  };

  /** A known file's report, waiting for it when MetaDefender is still scanning it (after an upload whose answer was lost). */
  const completeReport = async (sha256: string, report: Record<string, unknown>, ctx: CallContext): Promise<Verdict[]> => {
    if (isComplete(report)) return verdictsOf(report);
    const dataId = dataIdOf(report);
    if (dataId !== null) return waitForReport(dataId, ctx);
    const answer = await pollUntil(http, clock, poll, ctx, 'MetaDefender: scan in progress, next check', async () => {
      const again = await lookup(sha256, ctx);
      if (again.state === 'failed') return [again.verdict];
      return again.state === 'known' && isComplete(again.report) ? verdictsOf(again.report) : null;
    });
    return answer === 'timeout' ? [mdServiceVerdict('timeout', 'MetaDefender scan not completed in time', nowIso())] : answer;
  };

  const uploadOnce = async (sample: ScanSample, ctx: CallContext): Promise<{ dataId: string } | 'ambiguous' | Verdict> => {
    const outcome = await uploadHttp.send(
      {
        method: 'POST',
        url: `${baseUrl}/file`,
        repeat: 'once',
        timeoutMs: uploadTimeoutMs,
        // 2.1 Scanning a file by file upload: the body is the file; `filename` names it in the report.
        headers: { filename: uploadFileName(sample.displayName), rule: 'multiscan' },
        body: () => ({ body: streamOf(sample), contentLength: sample.size, contentType: 'application/octet-stream' }),
      },
      ctx,
    );
    if (outcome.kind === 'ambiguous') return 'ambiguous';
    if (outcome.kind === 'response' && outcome.status === 200) return dataIdOf(outcome.json) === null ? 'ambiguous' : { dataId: dataIdOf(outcome.json) ?? '' };
    return problem('upload', outcome);
  };

  const uploadAndWait = async (sample: ScanSample, ctx: CallContext): Promise<Verdict[]> => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const uploaded = await uploadOnce(sample, ctx);
      if (uploaded !== 'ambiguous') return 'dataId' in uploaded ? waitForReport(uploaded.dataId, ctx) : [uploaded];
      // The upload may have arrived: look before sending it again.
      let again = await lookup(sample.sha256, ctx);
      if (again.state === 'unknown') {
        await http.pause(poll.initialMs, 'MetaDefender: checking whether the upload arrived', ctx);
        again = await lookup(sample.sha256, ctx);
      }
      if (again.state === 'failed') return [again.verdict];
      if (again.state === 'known') return completeReport(sample.sha256, again.report, ctx);
    }
    return [mdServiceVerdict('failure', 'MetaDefender upload did not complete (twice); nothing more is sent for this file in this scan', nowIso())];
  };

  const rescan = async (sha256: string, report: Record<string, unknown>, ctx: CallContext): Promise<Verdict[]> => {
    const fileId = typeof report.file_id === 'string' && report.file_id.length > 0 ? report.file_id : null;
    if (fileId !== null) {
      // 2.3 Rescanning a file: a new data_id per scan (not available for files scanned privately).
      const outcome = await uploadHttp.send({ method: 'GET', url: `${baseUrl}/file/${encodeURIComponent(fileId)}/rescan`, repeat: 'once' }, ctx);
      const dataId = outcome.kind === 'response' && outcome.status === 200 ? dataIdOf(outcome.json) : null;
      if (dataId !== null) return waitForReport(dataId, ctx);
    }
    return completeReport(sha256, report, ctx);
  };

  const judge = async (sample: ScanSample, ctx: CallContext): Promise<Verdict[]> => {
    if (credentialsProblem !== null) return [{ ...credentialsProblem, scannedAt: nowIso() }];
    if (!isSha256(sample.sha256)) return [mdServiceVerdict('failure', 'not asked: the sample has no valid lowercase hex SHA-256', nowIso())];
    let found: Lookup | undefined = known.get(sample.sha256);
    if (found === undefined || (found.state === 'known' && (policy === 'always' || !isComplete(found.report)))) found = await lookup(sample.sha256, ctx);
    if (found.state === 'failed') return [found.verdict];
    if (found.state === 'known') return policy === 'always' ? rescan(sample.sha256, found.report, ctx) : completeReport(sample.sha256, found.report, ctx);
    if (policy === 'never') return [mdServiceVerdict('failure', MD_NOT_KNOWN_DETAIL, nowIso())];
    return uploadAndWait(sample, ctx);
  };

  const flights = new SingleFlight<Verdict[]>();
  return {
    id: 'metadefender',
    via: 'metadefender',
    scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      if (scanOptions.signal?.aborted === true) return Promise.reject(abortReason(scanOptions.signal));
      return flights.run(sample.sha256, scanOptions, (ctx) => judge(sample, ctx));
    },
    async lookupMany(sha256s: readonly string[], scanOptions: ScanOptions = {}): Promise<Map<string, 'known' | 'unknown'>> {
      const answer = new Map<string, 'known' | 'unknown'>();
      const wanted = [...new Set(sha256s.map((h) => h.toLowerCase()))].filter((h) => isSha256(h) && !known.has(h));
      for (const h of sha256s) {
        const cached = known.get(h.toLowerCase());
        if (cached !== undefined) answer.set(h.toLowerCase(), cached.state);
      }
      for (let i = 0; i < wanted.length; i += MD_BULK_MAX) {
        const batch = wanted.slice(i, i + MD_BULK_MAX);
        const outcome = await http.send(
          {
            method: 'POST',
            url: `${baseUrl}/hash`,
            repeat: 'repeatable',
            headers: { includescandetails: '1' },
            body: () => ({ body: JSON.stringify({ hash: batch }), contentType: 'application/json' }),
          },
          { signal: scanOptions.signal, onWait: scanOptions.onWait },
        );
        if (outcome.kind !== 'response' || outcome.status !== 200 || !isRecord(outcome.json) || !Array.isArray(outcome.json.data)) {
          if (outcome.kind === 'response' && outcome.status === 401) problem('bulk lookup', outcome);
          continue; // scan() looks these up one by one
        }
        for (const entry of outcome.json.data) {
          if (!isRecord(entry) || typeof entry.hash !== 'string') continue;
          const hash = entry.hash.toLowerCase();
          if (!batch.includes(hash)) continue;
          // "A scan_result_i value of 5 means the hash is not found, or it is invalid."
          const state: Report = entry.scan_result_i === 5 || entry.data_id === null ? { state: 'unknown' } : { state: 'known', report: { ...entry, scan_results: { scan_details: entry.scan_details, progress_percentage: 100, scan_all_result_i: entry.scan_result_i } } };
          known.set(hash, state);
          answer.set(hash, state.state);
        }
      }
      return answer;
    },
  };
}
