/**
 * Shared parts of the fake cloud scanners (fake-virustotal.ts, fake-metadefender.ts): a server on
 * 127.0.0.1 with a random port, a request log, per-key quotas counted when a request is received,
 * seeded fault injection, and a streaming reader of uploads (hash and size, never the whole body
 * in memory).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from './seeded-random.ts';
import { maxInAnyWindow } from './window-count.ts';

export const serverNow = (): number => performance.timeOrigin + performance.now();

export interface LoggedRequest {
  method: string;
  path: string;
  /** `valid`, `invalid` or `missing` API key. */
  key: 'valid' | 'invalid' | 'missing';
  receivedAt: number;
  status: number | 'hung';
  /** The injected fault, if any. */
  fault?: Fault;
}

export type Fault = '429' | '500' | 'hang';

export interface FaultSettings {
  /** Fraction of requests answered with a fault (0..1). */
  rate: number;
  seed: number;
  kinds?: Fault[];
  /** Only requests whose method and path (`POST /api/v3/files`) match are faulted; default all. */
  only?: RegExp;
}

/** mulberry32 (test/support/seeded-random.ts). */
export const seededRandom = mulberry32;

export interface QuotaSettings {
  perWindow: number;
  windowMs: number;
  perDay: number;
}

/** Receipts per key; answers whether one more request fits (the request is counted either way, as a server would). */
export class ReceiptQuota {
  private readonly receipts = new Map<string, number[]>();
  constructor(private readonly settings: QuotaSettings) {}

  /** Records a receipt; 'minute' or 'day' when it exceeds a quota. */
  record(key: string, at: number): 'ok' | 'window' | 'day' {
    const list = this.receipts.get(key) ?? [];
    list.push(at);
    this.receipts.set(key, list);
    const inWindow = list.filter((t) => at - t < this.settings.windowMs).length;
    const day = new Date(at);
    const dayStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const today = list.filter((t) => t >= dayStart).length;
    if (today > this.settings.perDay) return 'day';
    if (inWindow > this.settings.perWindow) return 'window';
    return 'ok';
  }

  /** The most receipts of `key` seen in any half-open window [t, t + windowMs). */
  maxInAnyWindow(key: string): number {
    return maxInAnyWindow(this.receipts.get(key) ?? [], this.settings.windowMs);
  }
}

export interface UploadedFile {
  sha256: string;
  size: number;
  fileName: string | null;
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data upload whose file part is the last part, hashing the file bytes as
 * they arrive (memory bounded by a chunk). Other parts (small text fields) are kept.
 */
export async function readMultipartUpload(req: IncomingMessage, onBytes?: (n: number) => void): Promise<UploadedFile> {
  const type = req.headers['content-type'] ?? '';
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (boundary === undefined) throw new Error('not multipart/form-data');
  const hash = createHash('sha256');
  const closing = Buffer.from(`\r\n--${boundary}--`);
  let head = Buffer.alloc(0);
  let inFile = false;
  let carry = Buffer.alloc(0);
  let size = 0;
  let fileName: string | null = null;
  const fields: Record<string, string> = {};
  for await (const chunk of req as AsyncIterable<Buffer>) {
    onBytes?.(chunk.length);
    if (!inFile) {
      head = Buffer.concat([head, chunk]);
      if (head.length > 1 << 20) throw new Error('multipart preamble too long');
      // Parse complete parts until the file part's headers are read.
      for (;;) {
        const start = head.indexOf(`--${boundary}\r\n`);
        if (start < 0) break;
        const headersEnd = head.indexOf('\r\n\r\n', start);
        if (headersEnd < 0) break;
        const headers = head.subarray(start, headersEnd).toString('latin1');
        const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
        const file = /filename="([^"]*)"/.exec(headers);
        if (file !== null) {
          fileName = file[1] ?? null;
          inFile = true;
          carry = head.subarray(headersEnd + 4);
          head = Buffer.alloc(0);
          break;
        }
        const next = head.indexOf(`\r\n--${boundary}`, headersEnd + 4);
        if (next < 0) break;
        fields[name] = head.subarray(headersEnd + 4, next).toString('utf8');
        head = head.subarray(next + 2);
      }
      if (!inFile) continue;
    } else {
      carry = Buffer.concat([carry, chunk]);
    }
    // Hash all but a tail long enough to hold the closing boundary.
    const keep = closing.length + 4;
    if (carry.length > keep) {
      const part = carry.subarray(0, carry.length - keep);
      hash.update(part);
      size += part.length;
      carry = Buffer.from(carry.subarray(carry.length - keep));
    }
  }
  if (!inFile) throw new Error('no file part');
  const end = carry.lastIndexOf(closing);
  if (end < 0) throw new Error('multipart body not terminated');
  hash.update(carry.subarray(0, end));
  size += end;
  return { sha256: hash.digest('hex'), size, fileName, fields };
}

/** Reads a raw body (MetaDefender's binary upload), hashing it as it arrives. */
export async function readRawUpload(req: IncomingMessage): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export async function readJsonBody(req: IncomingMessage, limit = 1 << 20): Promise<unknown> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A started server on 127.0.0.1 and a random port; `close` ends hung connections too. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
