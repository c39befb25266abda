/**
 * A local VirusTotal API v3 that follows the public documentation (https://docs.virustotal.com/reference):
 * `x-apikey` authentication (missing → 401 AuthenticationRequiredError, unknown → 401
 * WrongCredentialsError); `GET /files/{id}` (404 NotFoundError for unknown hashes);
 * `POST /files` (multipart, < 32 MB), `GET /files/upload_url` (one-time URL, up to 650 MB);
 * `POST /files/{id}/analyse`; `GET /analyses/{id}` going queued → in-progress → completed;
 * VT Monitor `POST /monitor/items`, `GET /monitor/items?filter=path:…`, `GET /monitor/items/{id}`,
 * `GET /monitor/items/upload_url`. Quotas are counted per key when a request is received (429
 * QuotaExceededError). Errors use the documented body `{"error": {"code", "message"}}`.
 *
 * For tests: a request log, upload counts per hash, the most requests seen in any window, and
 * seeded fault injection (429 / 500 / a response that never comes). A fault on an upload happens
 * after the upload was stored (the worst case for a client: it cannot know the file arrived).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReceiptQuota, listen, readMultipartUpload, seededRandom, sendJson, serverNow, type Fault, type FaultSettings, type LoggedRequest, type QuotaSettings } from './fake-http.ts';

export const FAKE_VT_KEY = 'fake-vt-key-0123456789';
export const FAKE_VT_ENGINES = ['Avast', 'BitDefender', 'ClamAV', 'ESET-NOD32', 'Kaspersky', 'Microsoft', 'SentinelOne', 'Symantec'];

/** Per engine: a detection name (malicious), or `null` (undetected); engines not listed are undetected. */
export type FakeDetections = Record<string, string | null>;

interface FakeFile {
  sha256: string;
  size: number;
  detections: FakeDetections;
  /** Null until the first analysis completes. */
  lastAnalysisDate: number | null;
  pending: FakeAnalysis | null;
}

interface FakeAnalysis {
  id: string;
  sha256: string;
  checks: number;
  status: 'queued' | 'in-progress' | 'completed';
}

interface FakeMonitorItem {
  id: string;
  path: string;
  sha256: string;
  size: number;
  checks: number;
  lastAnalysisDate: number | null;
}

export interface FakeVirusTotalOptions {
  quota?: Partial<QuotaSettings>;
  faults?: FaultSettings;
  /** Checks (analysis polls or file lookups) before an analysis moves on: queued for `steps`, in progress for `steps`, then completed. Default 1. */
  analysisSteps?: number;
  /** Detections for files that get uploaded (by SHA-256). */
  detectionsOnUpload?: Map<string, FakeDetections>;
  /** How long a hung response stays open (default: until the server closes). */
  hangMs?: number;
}

export class FakeVirusTotal {
  readonly log: LoggedRequest[] = [];
  /** Uploads received per SHA-256 (public and Monitor). */
  readonly uploads = new Map<string, number>();
  readonly files = new Map<string, FakeFile>();
  readonly monitorItems = new Map<string, FakeMonitorItem>();
  /** Upload body bytes received so far (to check that clients stream with bounded memory). */
  uploadBytesReceived = 0;
  /** 429s answered because the key really was over its quota (not injected). */
  quotaRejections = 0;
  origin = '';
  private readonly quota: ReceiptQuota;
  private readonly settings: QuotaSettings;
  private readonly random: () => number;
  private readonly analyses = new Map<string, FakeAnalysis>();
  private readonly uploadUrls = new Set<string>();
  private seq = 0;
  private closeServer: () => Promise<void> = () => Promise.resolve();

  /** Settings may be changed while the server runs (e.g. `faults`, to stop injecting them). */
  constructor(readonly options: FakeVirusTotalOptions) {
    this.settings = { perWindow: options.quota?.perWindow ?? 4, windowMs: options.quota?.windowMs ?? 60_000, perDay: options.quota?.perDay ?? 500 };
    this.quota = new ReceiptQuota(this.settings);
    this.random = seededRandom(options.faults?.seed ?? 1);
  }

  static async start(options: FakeVirusTotalOptions = {}): Promise<FakeVirusTotal> {
    const fake = new FakeVirusTotal(options);
    const { origin, close } = await listen((req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'InternalError', message: String(error) } });
      });
    });
    fake.origin = origin;
    fake.closeServer = close;
    return fake;
  }

  get baseUrl(): string {
    return `${this.origin}/api/v3`;
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  /** A file VirusTotal already knows, analysed, with these detections. */
  addKnownFile(sha256: string, detections: FakeDetections = {}, size = 1024): void {
    this.files.set(sha256, { sha256, size, detections, lastAnalysisDate: Math.floor(Date.UTC(2026, 10, 30) / 1000), pending: null });
  }

  /** The most requests received with the valid key in any window of the quota. */
  maxRequestsInAnyWindow(): number {
    return this.quota.maxInAnyWindow(FAKE_VT_KEY);
  }

  requests(method: string, pathPattern: RegExp): LoggedRequest[] {
    return this.log.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  private error(res: ServerResponse, entry: LoggedRequest, status: number, code: string, message: string): void {
    entry.status = status;
    sendJson(res, status, { error: { code, message } });
  }

  private ok(res: ServerResponse, entry: LoggedRequest, body: unknown): void {
    entry.status = 200;
    sendJson(res, 200, body);
  }

  private pickFault(request: string): Fault | undefined {
    const faults = this.options.faults;
    if (faults === undefined || faults.rate <= 0) return undefined;
    if (faults.only !== undefined && !faults.only.test(request)) return undefined;
    if (this.random() >= faults.rate) return undefined;
    const kinds = faults.kinds ?? ['429', '500', 'hang'];
    return kinds[Math.floor(this.random() * kinds.length)];
  }

  private hang(res: ServerResponse, entry: LoggedRequest): void {
    entry.status = 'hung';
    if (this.options.hangMs !== undefined) setTimeout(() => res.destroy(), this.options.hangMs).unref();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = serverNow();
    const url = new URL(req.url ?? '/', this.origin);
    const header = req.headers['x-apikey'];
    const key = header === undefined ? 'missing' : header === FAKE_VT_KEY ? 'valid' : 'invalid';
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, key, receivedAt, status: 0 };
    this.log.push(entry);
    if (key === 'missing') return this.error(res, entry, 401, 'AuthenticationRequiredError', 'X-Apikey header is missing');
    if (key === 'invalid') return this.error(res, entry, 401, 'WrongCredentialsError', 'Wrong API key');
    const counted = this.quota.record(FAKE_VT_KEY, receivedAt);
    if (counted !== 'ok') {
      this.quotaRejections++;
      req.resume();
      return this.error(res, entry, 429, 'QuotaExceededError', counted === 'day' ? 'Daily quota exceeded' : 'Quota exceeded');
    }
    const fault = this.pickFault(`${entry.method} ${entry.path}`);
    if (fault !== undefined) entry.fault = fault;
    const isUpload = req.method === 'POST' && (url.pathname === '/api/v3/files' || url.pathname.startsWith('/_upload/') || url.pathname === '/api/v3/monitor/items');
    if (fault === '429') {
      req.resume();
      return this.error(res, entry, 429, 'QuotaExceededError', 'Quota exceeded');
    }
    if (!isUpload && fault === '500') {
      req.resume();
      return this.error(res, entry, 503, 'TransientError', 'Transient server error. Retry might work.');
    }
    if (!isUpload && fault === 'hang') {
      req.resume();
      return this.hang(res, entry);
    }
    await this.route(req, res, entry, url, fault);
  }

  private async route(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest, url: URL, fault: Fault | undefined): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/api/v3/files/upload_url') return this.ok(res, entry, { data: this.newUploadUrl('public') });
    if (method === 'GET' && path === '/api/v3/monitor/items/upload_url') return this.ok(res, entry, { data: this.newUploadUrl('monitor') });
    if (method === 'POST' && (path === '/api/v3/files' || path === '/api/v3/monitor/items' || path.startsWith('/_upload/'))) {
      let target: 'public' | 'monitor' = path === '/api/v3/monitor/items' ? 'monitor' : 'public';
      if (path.startsWith('/_upload/')) {
        if (!this.uploadUrls.delete(path)) {
          req.resume();
          return this.error(res, entry, 400, 'BadRequestError', 'Upload URL already used or unknown');
        }
        target = path.includes('/monitor-') ? 'monitor' : 'public';
      } else {
        const length = Number(req.headers['content-length'] ?? '0');
        if (length > 32 * 1024 * 1024 + 64 * 1024) {
          req.resume();
          return this.error(res, entry, 413, 'RequestEntityTooLargeError', 'Files larger than 32MB must be uploaded to an upload URL');
        }
      }
      const length = Number(req.headers['content-length'] ?? '0');
      if (length > 650 * 1024 * 1024 + 64 * 1024) {
        req.resume();
        return this.error(res, entry, 413, 'RequestEntityTooLargeError', 'Files larger than 650MB are not accepted');
      }
      const upload = await readMultipartUpload(req, (n) => (this.uploadBytesReceived += n));
      this.uploads.set(upload.sha256, (this.uploads.get(upload.sha256) ?? 0) + 1);
      let body: unknown;
      if (target === 'monitor') {
        const itemPath = upload.fields.path ?? `/${upload.fileName ?? 'file'}`;
        const id = Buffer.from(`vtmonitor-v1://fakeowner${itemPath}`).toString('base64url');
        this.monitorItems.set(id, { id, path: itemPath, sha256: upload.sha256, size: upload.size, checks: 0, lastAnalysisDate: null });
        body = { data: { type: 'monitor_item', id, attributes: { path: itemPath, sha256: upload.sha256 } } };
      } else {
        const analysis = this.startAnalysis(upload.sha256, upload.size);
        body = { data: { type: 'analysis', id: analysis.id } };
      }
      if (fault === '500') return this.error(res, entry, 503, 'TransientError', 'Transient server error. Retry might work.');
      if (fault === 'hang') return this.hang(res, entry);
      return this.ok(res, entry, body);
    }
    if (method === 'GET' && (m = /^\/api\/v3\/analyses\/([^/]+)$/.exec(path)) !== null) {
      const analysis = this.analyses.get(decodeURIComponent(m[1] ?? ''));
      if (analysis === undefined) return this.error(res, entry, 404, 'NotFoundError', `Analysis "${m[1]}" not found`);
      this.advance(analysis);
      const file = this.files.get(analysis.sha256);
      return this.ok(res, entry, {
        data: {
          type: 'analysis',
          id: analysis.id,
          attributes: { status: analysis.status, date: Math.floor(Date.now() / 1000), results: analysis.status === 'completed' && file !== undefined ? this.results(file) : {}, stats: {} },
        },
        meta: { file_info: { sha256: analysis.sha256 } },
      });
    }
    if (method === 'POST' && (m = /^\/api\/v3\/files\/([0-9a-fA-F]{64})\/analyse$/.exec(path)) !== null) {
      req.resume();
      const file = this.files.get((m[1] ?? '').toLowerCase());
      if (file === undefined) return this.error(res, entry, 404, 'NotFoundError', `File "${m[1]}" not found`);
      const analysis = this.startAnalysis(file.sha256, file.size);
      return this.ok(res, entry, { data: { type: 'analysis', id: analysis.id } });
    }
    if (method === 'GET' && (m = /^\/api\/v3\/files\/([^/]+)$/.exec(path)) !== null) {
      const file = this.files.get((m[1] ?? '').toLowerCase());
      if (file === undefined) return this.error(res, entry, 404, 'NotFoundError', `File "${m[1]}" not found`);
      if (file.pending !== null) this.advance(file.pending);
      return this.ok(res, entry, {
        data: {
          type: 'file',
          id: file.sha256,
          attributes: {
            sha256: file.sha256,
            size: file.size,
            ...(file.lastAnalysisDate === null ? {} : { last_analysis_date: file.lastAnalysisDate }),
            last_analysis_results: file.lastAnalysisDate === null ? {} : this.results(file),
            last_analysis_stats: {},
          },
        },
      });
    }
    if (method === 'GET' && path === '/api/v3/monitor/items') {
      const filter = url.searchParams.get('filter') ?? '';
      const prefix = filter.startsWith('path:') ? filter.slice(5) : '';
      const items = [...this.monitorItems.values()].filter((i) => i.path.startsWith(prefix));
      return this.ok(res, entry, { data: items.map((i) => this.monitorItem(i, false)), meta: { count: items.length } });
    }
    if (method === 'GET' && (m = /^\/api\/v3\/monitor\/items\/([^/]+)$/.exec(path)) !== null) {
      const item = this.monitorItems.get(m[1] ?? '');
      if (item === undefined) return this.error(res, entry, 404, 'NotFoundError', `Monitor item "${m[1]}" not found`);
      return this.ok(res, entry, { data: this.monitorItem(item, true) });
    }
    req.resume();
    return this.error(res, entry, 404, 'NotFoundError', `Resource "${path}" not found`);
  }

  private newUploadUrl(kind: 'public' | 'monitor'): string {
    const path = `/_upload/${kind === 'monitor' ? 'monitor-' : ''}${++this.seq}-${Math.floor(this.random() * 1e9)}`;
    this.uploadUrls.add(path);
    return `${this.origin}${path}`;
  }

  private startAnalysis(sha256: string, size: number): FakeAnalysis {
    const id = Buffer.from(`${sha256}:${++this.seq}`).toString('base64url');
    const analysis: FakeAnalysis = { id, sha256, checks: 0, status: 'queued' };
    this.analyses.set(id, analysis);
    const existing = this.files.get(sha256);
    if (existing === undefined) {
      // The file object exists from the upload on; its results come with the first completed analysis.
      this.files.set(sha256, { sha256, size, detections: this.options.detectionsOnUpload?.get(sha256) ?? {}, lastAnalysisDate: null, pending: analysis });
    } else existing.pending = analysis;
    return analysis;
  }

  private advance(analysis: FakeAnalysis): void {
    if (analysis.status === 'completed') return;
    analysis.checks++;
    const steps = this.options.analysisSteps ?? 1;
    analysis.status = analysis.checks > 2 * steps ? 'completed' : analysis.checks > steps ? 'in-progress' : 'queued';
    if (analysis.status === 'completed') {
      const file = this.files.get(analysis.sha256);
      if (file !== undefined) {
        file.lastAnalysisDate = Math.floor(Date.now() / 1000);
        if (file.pending === analysis) file.pending = null;
      }
    }
  }

  private results(file: { detections: FakeDetections }): Record<string, unknown> {
    return Object.fromEntries(
      FAKE_VT_ENGINES.map((engine) => {
        const name = file.detections[engine] ?? null;
        return [engine, { category: name === null ? 'undetected' : 'malicious', engine_name: engine, engine_version: '1.2.3', engine_update: '20261130', method: 'blacklist', result: name }];
      }),
    );
  }

  private monitorItem(item: FakeMonitorItem, check: boolean): Record<string, unknown> {
    if (check && item.lastAnalysisDate === null && ++item.checks > 2 * (this.options.analysisSteps ?? 1)) item.lastAnalysisDate = Math.floor(Date.now() / 1000);
    const detections = this.options.detectionsOnUpload?.get(item.sha256) ?? {};
    return {
      type: 'monitor_item',
      id: item.id,
      attributes: {
        path: item.path,
        sha256: item.sha256,
        size: item.size,
        item_type: 'file',
        ...(item.lastAnalysisDate === null ? {} : { last_analysis_date: item.lastAnalysisDate }),
        last_analysis_results: item.lastAnalysisDate === null ? {} : this.results({ detections }),
      },
    };
  }
}
