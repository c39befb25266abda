/**
 * The dashboard's only way to the server: fetch on the same origin, `/api/v1`, with the API token
 * the user signed in with (kept in sessionStorage: it goes when the tab closes) as a Bearer header.
 * Everything that comes back is untrusted text: React escapes it; nothing is ever set as HTML.
 */
import type { CaseEvent, CaseRecord, CaseState, SubmissionRecord } from '../core/cases/case.types.ts';
import type { SubmissionPlan } from '../core/cases/submission-plan.ts';
import type { DetectionEvent } from '../core/monitor/detection-events.ts';
import type { CertificateUsage, ReleaseDetail } from '../core/releases/release.types.ts';

const TOKEN_KEY = 'absolve.token';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
  window.dispatchEvent(new Event('absolve-token'));
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const token = init.token ?? getToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? null : JSON.stringify(init.body), credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'the server did not answer (is `absolve serve` running?)');
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? null : JSON.parse(text);
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`;
    const message = typeof error?.message === 'string' ? error.message : `the server answered ${response.status}`;
    // A token that stopped working (revoked, or the store changed) signs the user out.
    if (response.status === 401 && init.token === undefined) setToken(null);
    throw new ApiError(response.status, code, message);
  }
  return data as T;
}

const seg = encodeURIComponent;
const releasePath = (product: string, version: string): string => `/products/${seg(product)}/releases/${seg(version)}`;

export interface GateReason {
  code: string;
  message: string;
  files: string[];
}

export interface ReleaseStatus {
  product: string;
  version: string;
  channel: string;
  createdAt: string;
  files: number;
  signatures: { valid: number; invalid: number; untrusted: number; unsigned: number; malformed: number };
  gate: { pass: boolean; reasons: GateReason[] };
  detections: { flaggedFiles: number; engines: string[]; detections: number };
  openCases: number;
}

export interface MatrixVerdict {
  engine: string;
  via: string;
  category: string;
  result: string | null;
  kind: string | null;
  generic: boolean | null;
  scannedAt: string;
}

export interface MatrixFile {
  path: string;
  parentPath: string | null;
  sha256: string;
  format: string;
  signature: { status: string; signer: string | null; thumbprintSha256: string | null } | null;
  flagged: number;
  verdicts: MatrixVerdict[];
}

export interface Matrix {
  engines: string[];
  files: MatrixFile[];
}

export interface Timeline {
  engines: string[];
  scans: Array<{ id: string; at: string; trigger: string; flagging: string[]; answered: number }>;
  events: DetectionEvent[];
}

export type CaseView = CaseRecord & { overdue: boolean; next: CaseState[] };

export interface CaseDetail {
  case: CaseView;
  events: CaseEvent[];
  submissions: SubmissionRecord[];
  package: SubmissionPlan | null;
  next: CaseState[];
}

export type { CaseState, CertificateUsage, DetectionEvent, ReleaseDetail };

export const api = {
  /** Checks a token before keeping it. */
  check: (token: string) => request<{ id: string; name: string; role: string }>('/session', { token }),
  session: () => request<{ id: string; name: string; role: string }>('/session'),
  releaseStatus: () => request<{ releases: ReleaseStatus[] }>('/release-status'),
  products: () => request<{ products: Array<{ name: string; releases: number; latest: string }> }>('/products'),
  release: (product: string, version: string) => request<ReleaseDetail>(releasePath(product, version)),
  gate: (product: string, version: string) => request<{ pass: boolean; reasons: GateReason[] }>(`${releasePath(product, version)}/gate`),
  matrix: (product: string, version: string) => request<Matrix>(`${releasePath(product, version)}/matrix`),
  timeline: (product: string, version: string, sha256?: string) => request<Timeline>(`${releasePath(product, version)}/timeline${sha256 === undefined ? '' : `?sha256=${seg(sha256)}`}`),
  cases: (filter: { product?: string; version?: string } = {}) => {
    const q = new URLSearchParams();
    if (filter.product !== undefined) q.set('product', filter.product);
    if (filter.version !== undefined) q.set('version', filter.version);
    const s = q.toString();
    return request<{ cases: CaseView[] }>(`/cases${s === '' ? '' : `?${s}`}`);
  },
  caseDetail: (id: number) => request<CaseDetail>(`/cases/${id}`),
  setCaseState: (id: number, state: CaseState, expected: CaseState) => request<CaseView>(`/cases/${id}/state`, { method: 'POST', body: { state, expected } }),
  certificates: (product?: string) => request<{ certificates: CertificateUsage[] }>(`/certificates${product === undefined ? '' : `?product=${seg(product)}`}`),
  /** One scan's files (path and sha256) and release: what names an event's file. */
  scanFiles: (id: string) => request<{ id: string; release: { product: string; version: string } | null; files: Array<{ path: string; sha256: string }> }>(`/scans/${seg(id)}`),
  /** The newest `limit` events since `since`, newest first (the store reads them by its (at, id) index backwards). */
  events: (since: string, limit: number) => request<{ events: DetectionEvent[] }>(`/events?since=${seg(since)}&limit=${limit}&order=newest`),
};
