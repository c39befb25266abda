import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { ScanSample } from '../core/scans/index.ts';

/**
 * A sample backed by a file on disk (a release file, a stored blob). The hash is computed by one
 * streaming read unless the caller already knows it (the audit or the blob store name).
 */
export async function fileSample(path: string, displayName: string, known?: { sha256: string; size: number }): Promise<ScanSample> {
  let sha256 = known?.sha256;
  let size = known?.size;
  if (sha256 === undefined || size === undefined) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
    sha256 = hash.digest('hex');
    size = (await stat(path)).size;
  }
  return {
    sha256,
    size,
    displayName,
    filePath: path,
    async *stream() {
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) yield chunk;
    },
  };
}
