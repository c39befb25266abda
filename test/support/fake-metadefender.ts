/**
 * A local MetaDefender Cloud v4 that follows its public documentation
 * (https://www.opswat.com/docs/mdcloud/metadefender-cloud-api-v4): header `apikey` (invalid → 401);
 * `GET /v4/hash/{hash}` (404 for unknown hashes); `POST /v4/hash` `{"hash": [...]}` (at most 1,000;
 * unknown entries `scan_result_i: 5`, `data_id: null`, `total_detected_avs: -1`; `includescandetails: 1`
 * adds `scan_details`); `POST /v4/file` (raw body, answered with a `data_id`);
 * `GET /v4/file/{data_id}` (`in_queue` then `scan_results.progress_percentage` up to 100);
 * `GET /v4/file/{file_id}/rescan` (a new `data_id`). Over quota → 429 with `X-RateLimit-*` headers
 * (https://www.opswat.com/docs/mdcloud/integrations/rate-limiting). Errors `{"error": {"code", "messages": [...]}}`.
 * The numeric error codes are those the docs' examples show; the adapter reads only HTTP statuses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReceiptQuota, listen, readJsonBody, readRawUpload, seededRandom, sendJson, serverNow, type Fault, type FaultSettings, type LoggedRequest, type QuotaSettings } from './fake-http.ts';

export const FAKE_MD_KEY = 'fake-md-key-abcdef';
export const FAKE_MD_ENGINES = ['Ahnlab', 'Bitdefender', 'ClamAV', 'CrowdStrike Falcon ML', 'ESET', 'K7', 'Vir.IT eXplorer'];

/** Per engine: a threat name (scan_result_i 1), or a numeric code for other results. */
export type FakeMdDetections = Record<string, string | number>;

interface FakeReport {
  sha256: string;
  dataId: string;
  fileId: string;
  detections: FakeMdDetections;
  checks: number;
}

export interface FakeMetaDefenderOptions {
  quota?: Partial<QuotaSettings>;
  faults?: FaultSettings;
  /** Polls before a scan completes: in queue for `steps`, in progress for `steps`. Default 1. */
  scanSteps?: number;
  detectionsOnUpload?: Map<string, FakeMdDetections>;
}

export class FakeMetaDefender {
  readonly log: LoggedRequest[] = [];
  readonly uploads = new Map<string, number>();
  quotaRejections = 0;
  origin = '';
  private readonly bySha = new Map<string, FakeReport>();
  private readonly byDataId = new Map<string, FakeReport>();
  private readonly quota: ReceiptQuota;
  private readonly random: () => number;
  private seq = 0;
  private closeServer: () => Promise<void> = () => Promise.resolve();

  constructor(readonly options: FakeMetaDefenderOptions) {
    this.quota = new ReceiptQuota({ perWindow: options.quota?.perWindow ?? 10, windowMs: options.quota?.windowMs ?? 60_000, perDay: options.quota?.perDay ?? 4000 });
    this.random = seededRandom(options.faults?.seed ?? 1);
  }

  static async start(options: FakeMetaDefenderOptions = {}): Promise<FakeMetaDefender> {
    const fake = new FakeMetaDefender(options);
    const { origin, close } = await listen((req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { code: 500000, messages: [String(error)] } });
      });
    });
    fake.origin = origin;
    fake.closeServer = close;
    return fake;
  }

  get baseUrl(): string {
    return `${this.origin}/v4`;
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  addKnownFile(sha256: string, detections: FakeMdDetections = {}): void {
    const report = this.newReport(sha256, detections);
    report.checks = Infinity;
  }

  maxRequestsInAnyWindow(): number {
    return this.quota.maxInAnyWindow(FAKE_MD_KEY);
  }

  requests(method: string, pathPattern: RegExp): LoggedRequest[] {
    return this.log.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  private newReport(sha256: string, detections: FakeMdDetections): FakeReport {
    const report: FakeReport = { sha256, dataId: `d${++this.seq}${sha256.slice(0, 8)}`, fileId: `f${sha256.slice(0, 16)}`, detections, checks: 0 };
    this.bySha.set(sha256, report);
    this.byDataId.set(report.dataId, report);
    return report;
  }

  private error(res: ServerResponse, entry: LoggedRequest, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
    entry.status = status;
    sendJson(res, status, { error: { code, messages: [message] } }, headers);
  }

  private ok(res: ServerResponse, entry: LoggedRequest, body: unknown): void {
    entry.status = 200;
    sendJson(res, 200, body);
  }

  private details(report: FakeReport): Record<string, unknown> {
    return Object.fromEntries(
      FAKE_MD_ENGINES.map((engine) => {
        const d = report.detections[engine];
        const code = typeof d === 'number' ? d : d === undefined ? 0 : 1;
        return [engine, { scan_result_i: code, threat_found: typeof d === 'string' ? d : '', def_time: '2026-11-30T06:00:00.000Z', scan_time: 12, wait_time: 3 }];
      }),
    );
  }

  private complete(report: FakeReport): boolean {
    return report.checks > 2 * (this.options.scanSteps ?? 1);
  }

  private fullReport(report: FakeReport): Record<string, unknown> {
    const done = this.complete(report);
    const detected = Object.values(report.detections).filter((d) => typeof d === 'string').length;
    if (report.checks <= (this.options.scanSteps ?? 1)) return { data_id: report.dataId, status: 'inqueue', in_queue: 1, queue_priority: 'normal' };
    return {
      data_id: report.dataId,
      file_id: report.fileId,
      scan_result_history_length: 1,
      file_info: { sha256: report.sha256.toUpperCase(), file_size: 1024 },
      scan_results: {
        scan_details: done ? this.details(report) : {},
        scan_all_result_i: done ? (detected > 0 ? 1 : 0) : 0,
        scan_all_result_a: done ? (detected > 0 ? 'Infected' : 'No Threat Detected') : 'In Progress',
        start_time: '2026-12-01T10:00:00.000Z',
        total_avs: FAKE_MD_ENGINES.length,
        total_detected_avs: detected,
        progress_percentage: done ? 100 : 50,
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = serverNow();
    const url = new URL(req.url ?? '/', this.origin);
    const header = req.headers.apikey;
    const key = header === undefined ? 'missing' : header === FAKE_MD_KEY ? 'valid' : 'invalid';
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, key, receivedAt, status: 0 };
    this.log.push(entry);
    if (key !== 'valid') {
      req.resume();
      return this.error(res, entry, 401, 401006, 'Invalid apikey');
    }
    const counted = this.quota.record(FAKE_MD_KEY, receivedAt);
    if (counted !== 'ok') {
      this.quotaRejections++;
      req.resume();
      return this.error(res, entry, 429, 429000, 'API key limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-in': '1' });
    }
    const faults = this.options.faults;
    let fault: Fault | undefined;
    if (faults !== undefined && (faults.only === undefined || faults.only.test(`${entry.method} ${entry.path}`)) && this.random() < faults.rate) {
      const kinds = faults.kinds ?? ['429', '500', 'hang'];
      fault = kinds[Math.floor(this.random() * kinds.length)];
      entry.fault = fault;
    }
    const isUpload = req.method === 'POST' && url.pathname === '/v4/file';
    if (fault === '429') {
      req.resume();
      return this.error(res, entry, 429, 429000, 'API key limit exceeded');
    }
    if (fault !== undefined && !isUpload) {
      req.resume();
      if (fault === 'hang') {
        entry.status = 'hung';
        return;
      }
      return this.error(res, entry, 500, 500000, 'Internal server error');
    }
    let m: RegExpExecArray | null;
    const path = url.pathname;
    if (req.method === 'POST' && path === '/v4/hash') {
      const body = await readJsonBody(req);
      const hashes = typeof body === 'object' && body !== null && Array.isArray((body as { hash?: unknown }).hash) ? (body as { hash: unknown[] }).hash : null;
      if (hashes === null || hashes.length === 0 || hashes.length > 1000) return this.error(res, entry, 400, 400064, 'Invalid hash list (1 to 1000 hashes)');
      const withDetails = req.headers.includescandetails === '1';
      return this.ok(res, entry, {
        data: hashes.map((h) => {
          const report = typeof h === 'string' ? this.bySha.get(h.toLowerCase()) : undefined;
          if (report === undefined || !this.complete(report)) return { data_id: null, hash: h, scan_result_i: 5, total_detected_avs: -1 };
          const full = this.fullReport(report);
          const results = full.scan_results as Record<string, unknown>;
          return { data_id: report.dataId, hash: h, scan_result_i: results.scan_all_result_i, total_detected_avs: results.total_detected_avs, ...(withDetails ? { scan_details: results.scan_details } : {}) };
        }),
      });
    }
    if (req.method === 'GET' && (m = /^\/v4\/hash\/([0-9a-fA-F]{32,64})$/.exec(path)) !== null) {
      const report = this.bySha.get((m[1] ?? '').toLowerCase());
      if (report === undefined) return this.error(res, entry, 404, 404003, 'The hash was not found');
      return this.ok(res, entry, this.fullReport(report));
    }
    if (isUpload) {
      const upload = await readRawUpload(req);
      this.uploads.set(upload.sha256, (this.uploads.get(upload.sha256) ?? 0) + 1);
      const report = this.bySha.get(upload.sha256) ?? this.newReport(upload.sha256, this.options.detectionsOnUpload?.get(upload.sha256) ?? {});
      if (fault === '500') return this.error(res, entry, 500, 500000, 'Internal server error');
      if (fault === 'hang') {
        entry.status = 'hung';
        return;
      }
      return this.ok(res, entry, { data_id: report.dataId, status: 'inqueue', in_queue: 1, queue_priority: 'normal', sha256: upload.sha256 });
    }
    if (req.method === 'GET' && (m = /^\/v4\/file\/([^/]+)\/rescan$/.exec(path)) !== null) {
      const prior = [...this.bySha.values()].find((r) => r.fileId === m?.[1]);
      if (prior === undefined) return this.error(res, entry, 404, 404008, 'File not found');
      const report = this.newReport(prior.sha256, prior.detections);
      return this.ok(res, entry, { data_id: report.dataId, status: 'inqueue', in_queue: 1 });
    }
    if (req.method === 'GET' && (m = /^\/v4\/file\/([^/]+)$/.exec(path)) !== null) {
      const report = this.byDataId.get(m[1] ?? '');
      if (report === undefined) return this.error(res, entry, 404, 404003, 'The data_id was not found');
      report.checks++;
      return this.ok(res, entry, this.fullReport(report));
    }
    req.resume();
    return this.error(res, entry, 404, 404000, `Endpoint ${path} not found`);
  }
}
