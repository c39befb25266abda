/**
 * The VirusTotal Monitor engine, for publishers whose account has Monitor
 * (https://docs.virustotal.com/reference/monitor-items-create and the pages it links). Monitor keeps
 * the files in the account's private store, rescans them daily and notifies the AV vendors that
 * flag one (who then get access to the file): so, like the public engine, it uploads nothing unless
 * the policy allows it.
 *
 * What is mapped to verdicts: each sample lives at the Monitor path `{folder}/{sha256}/{file name}`.
 * The item is found with `GET /monitor/items?filter=path:{folder}/{sha256}/`, uploaded when missing
 * (`POST /monitor/items` with form fields `path` and `file` up to 32 MB, `GET /monitor/items/upload_url`
 * above), and its `GET /monitor/items/{id}` attributes `last_analysis_results` (the same per-engine
 * dictionary as a file object's, https://docs.virustotal.com/reference/monitor-items-stat) become one
 * verdict per AV engine, `last_analysis_date` their scan time. An item not analysed yet is polled until
 * it is. Monitor's event log (`GET /monitor/events`: DETECTED / CLEAN / RESOLVED per engine) says
 * what changed between analyses; the scan history Absolve stores already derives those changes from
 * successive verdicts, so the engine does not read it.
 */
import { type ScanEngine, type ScanOptions, type ScanSample, type Verdict } from '../../core/scans/index.ts';
import { isRecord, type CallContext } from '../cloud/cloud-http.ts';
import { multipartBody, uploadFileName } from '../cloud/multipart.ts';
import { pollUntil } from '../cloud/poll.ts';
import { SingleFlight } from '../cloud/single-flight.ts';
import { abortReason, systemClock } from '../quota/request-limiter.ts';
import { VT_DIRECT_UPLOAD_MAX_BYTES, VT_UPLOAD_MAX_BYTES, isSha256, vtHttp, vtProblem, type UploadPolicy, type VirusTotalEngineOptions } from './virustotal-engine.ts';
import { vtDate, vtResultsToVerdicts, vtServiceVerdict } from './virustotal-verdicts.ts';

export interface VirusTotalMonitorEngineOptions extends VirusTotalEngineOptions {
  /** The Monitor folder Absolve keeps its items in; default `/absolve`. */
  folder?: string;
  /** `never` (default): only items already in Monitor are read. `unknown`: samples missing from Monitor are uploaded there. `always` acts as `unknown`: Monitor rescans its items daily by itself. */
  upload?: UploadPolicy;
}

export const MONITOR_NOT_FOUND_DETAIL = 'not in VirusTotal Monitor; not uploaded (upload policy never; --upload sends unknown files)';

type Found = { state: 'found'; id: string; item: Record<string, unknown> } | { state: 'missing' } | { state: 'failed'; verdict: Verdict };

/** The VT Monitor engine (`--engines vt-monitor`). Shares the quota of its API key with the VirusTotal engine when both use the default limiter. */
export function createVirusTotalMonitorEngine(options: VirusTotalMonitorEngineOptions): ScanEngine {
  const { http, baseUrl, poll, uploadTimeoutMs } = vtHttp(options, 'VirusTotal Monitor');
  const clock = options.clock ?? systemClock;
  const nowIso = (): string => new Date(clock.now()).toISOString();
  const folder = `/${(options.folder ?? '/absolve').replace(/^\/+|\/+$/g, '')}`;
  const policy = options.upload ?? 'never';
  let credentialsProblem: Verdict | null = null;

  const failed = (what: string, outcome: Parameters<typeof vtProblem>[2]): Found => {
    const verdict = vtProblem(http, what, outcome, nowIso());
    if (outcome.kind === 'response' && outcome.status === 401) credentialsProblem = verdict;
    return { state: 'failed', verdict };
  };

  const find = async (sha256: string, ctx: CallContext): Promise<Found> => {
    const url = `${baseUrl}/monitor/items?filter=${encodeURIComponent(`path:${folder}/${sha256}/`)}`;
    const outcome = await http.send({ method: 'GET', url, repeat: 'repeatable' }, ctx);
    if (outcome.kind !== 'response' || outcome.status !== 200 || !isRecord(outcome.json) || !Array.isArray(outcome.json.data)) return failed('Monitor item search', outcome);
    for (const item of outcome.json.data) {
      if (!isRecord(item) || typeof item.id !== 'string') continue;
      const attributes = isRecord(item.attributes) ? item.attributes : {};
      if (attributes.sha256 === sha256) return { state: 'found', id: item.id, item };
    }
    return { state: 'missing' };
  };

  const itemVerdicts = (item: Record<string, unknown>): Verdict[] => {
    const attributes = isRecord(item.attributes) ? item.attributes : {};
    return vtResultsToVerdicts(attributes.last_analysis_results, vtDate(attributes.last_analysis_date, nowIso()), 'VirusTotal Monitor');
  };

  const readItem = async (id: string, first: Record<string, unknown> | null, ctx: CallContext): Promise<Verdict[]> => {
    if (first !== null) {
      const verdicts = itemVerdicts(first);
      if (verdicts.length > 0) return verdicts;
    }
    const answer = await pollUntil(http, clock, poll, ctx, 'VT Monitor: analysis pending, next check', async () => {
      const outcome = await http.send({ method: 'GET', url: `${baseUrl}/monitor/items/${encodeURIComponent(id)}`, repeat: 'repeatable' }, ctx);
      if (outcome.kind !== 'response' || outcome.status !== 200 || !isRecord(outcome.json) || !isRecord(outcome.json.data)) {
        const found = failed('Monitor item read', outcome);
        return found.state === 'failed' ? [found.verdict] : null;
      }
      const verdicts = itemVerdicts(outcome.json.data);
      return verdicts.length > 0 ? verdicts : null;
    });
    return answer === 'timeout' ? [vtServiceVerdict('timeout', `VirusTotal Monitor analysis not completed within ${Math.round(poll.timeoutMs / 60_000)} min; a later scan finds its results`, nowIso())] : answer;
  };

  const upload = async (sample: ScanSample, ctx: CallContext): Promise<{ id: string } | 'ambiguous' | Verdict> => {
    let url = `${baseUrl}/monitor/items`;
    if (sample.size > VT_DIRECT_UPLOAD_MAX_BYTES) {
      const outcome = await http.send({ method: 'GET', url: `${baseUrl}/monitor/items/upload_url`, repeat: 'repeatable' }, ctx);
      const data = outcome.kind === 'response' && outcome.status === 200 && isRecord(outcome.json) ? outcome.json.data : null;
      if (typeof data !== 'string' || !/^https?:\/\//.test(data)) return vtProblem(http, 'Monitor upload URL request', outcome, nowIso());
      url = data;
    }
    const path = `${folder}/${sample.sha256}/${uploadFileName(sample.displayName)}`;
    const outcome = await http.send(
      {
        method: 'POST',
        url,
        repeat: 'once',
        timeoutMs: uploadTimeoutMs,
        body: () => {
          const form = multipartBody({ path }, 'file', sample);
          return { body: form.body, contentLength: form.contentLength, contentType: form.contentType };
        },
      },
      ctx,
    );
    if (outcome.kind === 'ambiguous') return 'ambiguous';
    if (outcome.kind === 'response' && outcome.status === 200 && isRecord(outcome.json) && isRecord(outcome.json.data) && typeof outcome.json.data.id === 'string') return { id: outcome.json.data.id };
    if (outcome.kind === 'response' && outcome.status === 200) return 'ambiguous';
    return vtProblem(http, 'Monitor upload', outcome, nowIso());
  };

  const judge = async (sample: ScanSample, ctx: CallContext): Promise<Verdict[]> => {
    if (credentialsProblem !== null) return [{ ...credentialsProblem, scannedAt: nowIso() }];
    if (!isSha256(sample.sha256)) return [vtServiceVerdict('failure', 'not asked: the sample has no valid lowercase hex SHA-256', nowIso())];
    const found = await find(sample.sha256, ctx);
    if (found.state === 'failed') return [found.verdict];
    if (found.state === 'found') return readItem(found.id, found.item, ctx);
    if (policy === 'never') return [vtServiceVerdict('failure', MONITOR_NOT_FOUND_DETAIL, nowIso())];
    if (sample.size > VT_UPLOAD_MAX_BYTES) return [vtServiceVerdict('failure', 'not in VirusTotal Monitor; too large to upload (VirusTotal takes up to 650 MB: scan its inner files)', nowIso())];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const uploaded = await upload(sample, ctx);
      if (uploaded === 'ambiguous') {
        // The item may be there: search before uploading again.
        const again = await find(sample.sha256, ctx);
        if (again.state === 'failed') return [again.verdict];
        if (again.state === 'found') return readItem(again.id, again.item, ctx);
        continue;
      }
      return 'id' in uploaded ? readItem(uploaded.id, null, ctx) : [uploaded];
    }
    return [vtServiceVerdict('failure', 'VirusTotal Monitor upload did not complete (twice); nothing more is sent for this file in this scan', nowIso())];
  };

  const flights = new SingleFlight<Verdict[]>();
  return {
    id: 'vt-monitor',
    via: 'virustotal',
    scan(sample: ScanSample, scanOptions: ScanOptions): Promise<Verdict[]> {
      if (scanOptions.signal?.aborted === true) return Promise.reject(abortReason(scanOptions.signal));
      return flights.run(sample.sha256, scanOptions, (ctx) => judge(sample, ctx));
    },
  };
}
