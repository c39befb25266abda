/**
 * A multipart/form-data body (RFC 7578) whose file part is streamed from the sample: memory stays
 * bounded by one chunk whatever the file size, and the length is known in advance so the request
 * carries a Content-Length (VirusTotal's upload URLs take files up to 650 MB).
 */
import { randomBytes } from 'node:crypto';
import type { ScanSample } from '../../core/scans/index.ts';

export interface MultipartBody {
  body: ReadableStream<Uint8Array>;
  contentLength: number;
  contentType: string;
}

/** The last segment of a report path (`setup.msi!/bin/app.exe` → `app.exe`), safe in a header value: never a folder name, never a quote. */
export function uploadFileName(displayName: string): string {
  const last = displayName.split(/[\\/!]/).filter((s) => s.length > 0).pop() ?? 'sample';
  const safe = last.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 200);
  return safe.length > 0 ? safe : 'sample';
}

export function multipartBody(fields: Record<string, string>, fileField: string, sample: ScanSample): MultipartBody {
  const boundary = `absolve-${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${uploadFileName(sample.displayName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const headBytes = encoder.encode(head);
  const tailBytes = encoder.encode(`\r\n--${boundary}--\r\n`);
  return {
    body: streamOf(sample, headBytes, tailBytes),
    contentLength: headBytes.length + sample.size + tailBytes.length,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** The sample's bytes as a pull-based web stream (read one chunk at a time, as the socket drains), framed by `head` and `tail`. */
export function streamOf(sample: ScanSample, head?: Uint8Array, tail?: Uint8Array): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | null = null;
  let state: 'head' | 'body' | 'tail' | 'done' = head === undefined ? 'body' : 'head';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (state === 'head' && head !== undefined) {
        state = 'body';
        controller.enqueue(head);
        return;
      }
      if (state === 'body') {
        iterator ??= sample.stream()[Symbol.asyncIterator]();
        const next = await iterator.next();
        if (!next.done) {
          controller.enqueue(next.value);
          return;
        }
        state = 'tail';
      }
      if (state === 'tail' && tail !== undefined) controller.enqueue(tail);
      state = 'done';
      controller.close();
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
